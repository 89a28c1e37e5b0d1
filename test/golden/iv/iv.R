# Golden numbers for feols with instrumental variables (iv-golden.test.ts), computed with fixest 0.12.2
# itself (R 4.2, fixef.tol = 1e-11) on
#   - cigarettes.csv: AER's CigarettesSW (Stock and Watson's cigarette demand, 48 states, 1985 and 1995),
#     with the usual derived columns (real prices and income in logs, real taxes);
#   - panel.csv: a generated panel (set.seed(20261205)), 150 units x 8 years, two endogenous variables,
#     three instruments, two exogenous regressors, weights, unit and year effects.
# For each model: the second stage's coefficients and standard errors, the first stages', and
# fitstat(ivf, ivwald, wh, ivf2, ivwald2) with the variance given at estimation (as didwasm computes it);
# for two models also fixef() and the residuals.
#
# Usage (from the project root): Rscript test/golden/iv/iv.R [test/golden/iv]
# Writes DIR/cigarettes.csv, DIR/panel.csv and DIR/expected.json (numbers with 15 significant digits).
suppressPackageStartupMessages({
  library(fixest)
  library(jsonlite)
  library(AER)
})
stopifnot(packageVersion("fixest") == "0.12.2")
setFixest_nthreads(1)

args <- commandArgs(trailingOnly = TRUE)
dir <- if (length(args) >= 1) args[1] else "test/golden/iv"

# --- data -------------------------------------------------------------------------------------------------
data(CigarettesSW, package = "AER")
cig <- with(CigarettesSW, data.frame(
  state = as.character(state), year = as.integer(as.character(year)),
  lpacks = log(packs), lrprice = log(price / cpi), lrincome = log(income / population / cpi),
  salestax = (taxs - tax) / cpi, cigtax = tax / cpi, pop = population / 1e6
))
write.csv(cig, file.path(dir, "cigarettes.csv"), row.names = FALSE)

set.seed(20261205)
units <- 150; years <- 8
p <- data.frame(unit = rep(sprintf("u%03d", 1:units), each = years), year = rep(2001:(2000 + years), units))
n <- nrow(p)
a_unit <- rnorm(units)[as.integer(factor(p$unit))]
a_year <- rnorm(years)[p$year - 2000]
p$x1 <- rnorm(n) + 0.3 * a_unit
p$x2 <- runif(n)
p$z1 <- rnorm(n); p$z2 <- rnorm(n) + 0.2 * a_unit; p$z3 <- rbinom(n, 1, 0.4)
common <- rnorm(n)
p$e1 <- 0.8 * p$z1 + 0.5 * p$z2 + 0.3 * p$x1 + common + 0.5 * a_unit + rnorm(n)
p$e2 <- 0.6 * p$z3 - 0.4 * p$z1 + 0.2 * p$x2 + 0.7 * common + a_year + rnorm(n)
p$y <- 1 + 1.5 * p$e1 - 0.7 * p$e2 + 0.4 * p$x1 - 0.2 * p$x2 + a_unit + a_year + 2 * common + rnorm(n)
p$w <- round(runif(n, 0.5, 3), 3)
write.csv(p, file.path(dir, "panel.csv"), row.names = FALSE)

datasets <- list(cigarettes = read.csv(file.path(dir, "cigarettes.csv")), panel = read.csv(file.path(dir, "panel.csv")))

# --- models -----------------------------------------------------------------------------------------------
vcov_formula <- function(v) if (v %in% c("iid", "hetero")) v else as.formula(paste("~", sub("^cluster:", "", gsub("\\+", " + ", v))))
coef_rows <- function(fit) {
  ct <- coeftable(fit)
  lapply(seq_len(nrow(ct)), function(j) list(term = rownames(ct)[j], estimate = unname(ct[j, 1]), std_error = unname(ct[j, 2])))
}
stat_of <- function(s) if (is.list(s)) list(stat = s$stat, p = s$p, df1 = s$df1, df2 = s$df2) else NULL

iv_case <- function(id, data, formula, vcov, weights = NULL, with_fixef = FALSE) {
  d <- datasets[[data]]
  w <- if (is.null(weights)) NULL else as.formula(paste("~", weights))
  est <- feols(as.formula(formula), data = d, vcov = vcov_formula(vcov), weights = w, fixef.tol = 1e-11)
  fs <- fitstat(est, ~ ivf + ivwald + wh + ivf2 + ivwald2)
  endo <- est$iv_endo_names
  first <- lapply(endo, function(e) {
    f1 <- summary(est$iv_first_stage[[e]], vcov = vcov_formula(vcov))
    list(endogenous = e, coefficients = coef_rows(f1),
         ivf = stat_of(fs[[paste0("ivf1::", e)]]), ivwald = stat_of(fs[[paste0("ivwald1::", e)]]))
  })
  expect <- list(nobs = nobs(est), coefficients = coef_rows(est), first_stages = first,
                 wh = stat_of(fs$wh), ivf2 = stat_of(fs$ivf2), ivwald2 = stat_of(fs$ivwald2))
  # fixef(): the fixed effects' values (y - residuals = fixed effects + actual endogenous and exogenous
  # variables times their coefficients), and the residuals (with the actual endogenous variables).
  if (with_fixef) {
    fe <- fixef(est)
    expect$fixef <- lapply(names(fe), function(nm) list(name = nm, levels = names(fe[[nm]]), values = unname(fe[[nm]])))
    expect$residuals <- unname(resid(est))
  }
  list(id = id, data = paste0(data, ".csv"), formula = formula, vcov = vcov, weights = weights, expect = expect)
}

cases <- list(
  iv_case("cig_hetero", "cigarettes", "lpacks ~ lrincome | lrprice ~ salestax + cigtax", "hetero"),
  iv_case("cig_iid_weighted", "cigarettes", "lpacks ~ lrincome | lrprice ~ salestax + cigtax", "iid", weights = "pop"),
  iv_case("cig_fe_cluster", "cigarettes", "lpacks ~ lrincome | state + year | lrprice ~ salestax + cigtax", "cluster:state", with_fixef = TRUE),
  iv_case("cig_fe_iid", "cigarettes", "lpacks ~ lrincome | state + year | lrprice ~ salestax + cigtax", "iid"),
  iv_case("cig_just_identified", "cigarettes", "lpacks ~ 1 | lrprice ~ cigtax", "hetero"),
  iv_case("panel_two_endo_weighted", "panel", "y ~ x1 + x2 | unit + year | e1 + e2 ~ z1 + z2 + z3", "cluster:unit", weights = "w", with_fixef = TRUE),
  iv_case("panel_two_endo_hetero", "panel", "y ~ x1 + x2 | unit + year | e1 + e2 ~ z1 + z2 + z3", "hetero"),
  iv_case("panel_twoway_cluster", "panel", "y ~ x1 | unit | e1 ~ z1 + z2", "cluster:unit+year"),
  iv_case("panel_no_exo_year_fe", "panel", "y ~ 1 | year | e2 ~ z1 + z3", "iid", weights = "w")
)

writeLines(toJSON(list(fixest = as.character(packageVersion("fixest")), cases = cases), auto_unbox = TRUE, digits = 15, pretty = TRUE, null = "null"),
           file.path(dir, "expected.json"))
