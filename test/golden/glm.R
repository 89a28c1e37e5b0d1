# Golden numbers for fepois and feglm (glm-golden.test.ts; with varying slopes fe[x] too), computed with fixest 0.12.2 itself (R 4.2) with
# fixef.tol = 1e-11 and glm.tol = 1e-10, on public or generated data written next to them:
#   - data/glm_trade.csv: fixest's own `trade` data, products 1-3 (5,660 rows), with log_dist = log(dist_km);
#   - data/glm_did.csv: fixest's `base_did`, with the binary outcome yb = (y > 0) and a positive weight w;
#   - data/glm_counts.csv: a generated count panel (R's RNG, set.seed(2024) below): 80 units x 8 years,
#     x1, x2, exposure (offset log_exp), weights w; 6 units have only zero counts (perfect fit) and a
#     binary outcome yb;
#   - data/glm_sep.csv: generated counts where the regressor `d` separates (with weights w): rows with d = 1 all have y = 0
#     (ppmlhdfe's iterative rectifier removes them; the expected numbers are fixest's on the other rows);
#   - R's own mtcars and airquality, written to data/ as they are (airquality: the rows with Ozone).
#
# Usage (from the project root): Rscript test/golden/glm.R [test/golden]
# Writes DIR/data/glm_*.csv and DIR/glm-expected.json (numbers with 15 significant digits).
suppressPackageStartupMessages({
  library(fixest)
  library(jsonlite)
})
stopifnot(packageVersion("fixest") == "0.12.2")
setFixest_nthreads(1)

args <- commandArgs(trailingOnly = TRUE)
dir <- if (length(args) >= 1) args[1] else "test/golden"
out_csv <- function(d, file) write.csv(d, file.path(dir, "data", file), row.names = FALSE)

data(trade, package = "fixest")
trade_sub <- trade[trade$Product <= 3, c("Origin", "Destination", "Product", "Year", "dist_km", "Euros")]
trade_sub$log_dist <- log(trade_sub$dist_km)
out_csv(trade_sub, "glm_trade.csv")

data(base_did, package = "fixest")
did <- base_did
did$yb <- as.integer(did$y > 0)
did$w <- 0.5 + (did$id %% 4) / 2 # 0.5, 1, 1.5, 2: whole and fractional weights
out_csv(did, "glm_did.csv")

set.seed(2024)
units <- 80; years <- 8
counts <- expand.grid(year = 2001:(2000 + years), unit = 1:units)[, c("unit", "year")]
n <- nrow(counts)
alpha <- rnorm(units, 0, 0.7)
counts$x1 <- round(rnorm(n), 6)
counts$x2 <- round(runif(n, -1, 1), 6)
counts$exposure <- round(runif(n, 0.5, 3), 6)
counts$log_exp <- log(counts$exposure)
counts$w <- round(runif(n, 0.2, 2), 3)
mu <- exp(-0.3 + alpha[counts$unit] + 0.05 * (counts$year - 2000) + 0.4 * counts$x1 - 0.6 * counts$x2 + counts$log_exp)
counts$y <- rpois(n, mu)
counts$y[counts$unit %in% c(3, 17, 29, 41, 58, 77)] <- 0
counts$yb <- as.integer(counts$y > 0)
out_csv(counts, "glm_counts.csv")

set.seed(7)
sep <- expand.grid(t = 1:6, g = 1:40)[, c("g", "t")]
m <- nrow(sep)
sep$x <- round(rnorm(m), 6)
sep$d <- as.integer(sep$g %% 5 == 0 & sep$t >= 4)
sep$y <- rpois(m, exp(0.5 + 0.3 * sep$x))
sep$y[sep$d == 1] <- 0
sep$w <- 0.5 + (sep$g %% 3) / 2 # weights after the draws: the draws above are unchanged
out_csv(sep, "glm_sep.csv")

out_csv(mtcars, "glm_mtcars.csv")
aq <- airquality[!is.na(airquality$Ozone), ]
aq$high <- as.integer(aq$Ozone > 60)
out_csv(aq, "glm_airquality.csv")

datasets <- list(
  glm_trade = trade_sub, glm_did = did, glm_counts = counts, glm_sep = sep, glm_mtcars = mtcars, glm_airquality = aq
)

# didwasm's variance text as fixest's argument: "NW(1):unit+year" is NW(1) ~ unit + year.
vcov_formula <- function(v) {
  if (v %in% c("iid", "hetero", "twoway")) return(v)
  if (grepl("^(NW|DK)\\(", v)) return(as.formula(sub(":", " ~ ", gsub("\\+", " + ", v))))
  as.formula(paste("~", sub("^cluster:", "", gsub("\\+", " + ", v))))
}

coef_table <- function(fit) {
  ct <- coeftable(fit)
  lapply(seq_len(nrow(ct)), function(j) list(term = rownames(ct)[j], estimate = unname(ct[j, 1]), std_error = unname(ct[j, 2])))
}

glm_case <- function(id, data, family, formula, vcov, weights = NULL, offset = NULL, subset_rows = NULL, note = NULL) {
  d <- datasets[[data]]
  if (!is.null(subset_rows)) d <- d[subset_rows, ]
  fam <- switch(family, poisson = "poisson", logit = binomial("logit"), probit = binomial("probit"))
  args <- list(fml = as.formula(formula), data = d, family = fam, vcov = vcov_formula(vcov), fixef.tol = 1e-11, glm.tol = 1e-10)
  if (!is.null(weights)) args$weights <- as.formula(paste("~", weights))
  if (!is.null(offset)) args$offset <- as.formula(paste("~", offset))
  fit <- do.call(feglm, args)
  removed <- if (is.null(fit$fixef_removed)) list() else lapply(fit$fixef_removed, length)
  list(
    id = id, data = paste0(data, ".csv"), family = family, formula = formula, vcov = vcov, weights = weights, offset = offset,
    note = note,
    expect = list(
      nobs = nobs(fit),
      coefficients = coef_table(fit),
      deviance = fit$deviance,
      log_lik = as.numeric(logLik(fit)),
      log_lik_null = fit$ll_null,
      pseudo_r2 = unname(r2(fit, "pr2")),
      adj_pseudo_r2 = unname(r2(fit, "apr2")),
      sq_cor = unname(r2(fit, "cor2")),
      bic = BIC(fit),
      iterations = fit$iterations,
      fixef_sizes = as.list(fit$fixef_sizes),
      perfect_fit_removed = removed
    )
  )
}

sep_rows <- datasets$glm_sep$d == 0
cases <- list(
  glm_case("pois_trade_4fe", "glm_trade", "poisson", "Euros ~ log_dist | Origin + Destination + Product + Year", "cluster:Origin"),
  glm_case("pois_trade_twoway", "glm_trade", "poisson", "Euros ~ log_dist | Origin + Destination", "cluster:Origin+Destination"),
  glm_case("pois_counts_offset", "glm_counts", "poisson", "y ~ x1 + x2 | unit + year", "hetero", offset = "log_exp"),
  glm_case("pois_counts_weights", "glm_counts", "poisson", "y ~ x1 + x2 | unit", "iid", weights = "w"),
  glm_case("pois_counts_twoway", "glm_counts", "poisson", "y ~ x1 + x2 | unit + year", "twoway", offset = "log_exp"),
  glm_case("pois_counts_nw", "glm_counts", "poisson", "y ~ x1 + x2 | unit + year", "NW(1):unit+year", offset = "log_exp"),
  glm_case("pois_counts_nofe", "glm_counts", "poisson", "y ~ x1 + x2", "iid", offset = "log_exp"),
  glm_case("pois_sep_kept_rows", "glm_sep", "poisson", "y ~ x + d | g", "cluster:g", subset_rows = sep_rows,
           note = "fixest on the rows not separated by d (d = 0); didwasm fits the whole file and removes the separated rows"),
  # Separation again, without fixed effects, weighted, hetero-robust: the separated rows are removed and d
  # (0 on the other rows) is dropped as collinear, as fixest drops it on those rows.
  glm_case("pois_sep_nofe_weighted", "glm_sep", "poisson", "y ~ x + d", "hetero", weights = "w", subset_rows = sep_rows,
           note = "fixest on the rows not separated by d (d = 0); didwasm fits the whole file and removes the separated rows"),
  # Varying slopes: a slope in year per unit with an offset; a unit intercept plus a slope-only term, weighted.
  glm_case("pois_counts_slopes_offset", "glm_counts", "poisson", "y ~ x1 + x2 | unit[year]", "cluster:unit", offset = "log_exp"),
  glm_case("pois_counts_slopes_merged_weighted", "glm_counts", "poisson", "y ~ x1 + x2 | unit + unit[[year]]", "hetero", weights = "w"),
  glm_case("logit_did_slopes_weighted", "glm_did", "logit", "yb ~ x1 | period + treat[period]", "cluster:id", weights = "w"),
  glm_case("probit_did_slopes", "glm_did", "probit", "yb ~ x1 | id[period]", "cluster:id"),
  glm_case("logit_did_cluster", "glm_did", "logit", "yb ~ x1 | id + period", "cluster:id"),
  glm_case("logit_did_weights", "glm_did", "logit", "yb ~ x1 + treat:post | period", "hetero", weights = "w"),
  glm_case("logit_mtcars", "glm_mtcars", "logit", "am ~ hp + wt", "iid"),
  glm_case("logit_counts_offset", "glm_counts", "logit", "yb ~ x1 + x2 | unit + year", "cluster:unit", offset = "x2"),
  glm_case("probit_did_cluster", "glm_did", "probit", "yb ~ x1 | id + period", "cluster:id"),
  glm_case("probit_airquality", "glm_airquality", "probit", "high ~ Temp + Wind | Month", "hetero"),
  glm_case("probit_counts_weights", "glm_counts", "probit", "yb ~ x1 + x2 | year", "iid", weights = "w", offset = "x2")
)

out <- list(fixest = as.character(packageVersion("fixest")), r = R.version.string, cases = cases)
write(toJSON(out, auto_unbox = TRUE, digits = 15, null = "null", pretty = TRUE), file.path(dir, "glm-expected.json"))
cat("wrote", length(cases), "cases\n")
