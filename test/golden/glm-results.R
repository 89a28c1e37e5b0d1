# Golden numbers for the results of fepois and feglm fits (glm-results.test.ts): fitted means and response
# residuals over every input row (fitted()/resid(na.rm = FALSE), NA where a row is not in the sample: missing
# values, perfect-fit groups), the fixed effects' values on the link scale by level (fixef()) with their
# references, and wald(keep = regex). Computed with fixest 0.12.2 (R 4.2), fixef.tol = 1e-11, glm.tol = 1e-10,
# on the data glm.R wrote (data/glm_*.csv: fixest's trade and base_did, a generated count panel), read here
# as they are.
#
# Usage (from the project root): Rscript test/golden/glm-results.R [test/golden]
# Writes DIR/glm-results.json (numbers with 17 significant digits).
suppressPackageStartupMessages({
  library(fixest)
  library(jsonlite)
})
stopifnot(packageVersion("fixest") == "0.12.2")
setFixest_nthreads(1)
setFixest_notes(FALSE)

args <- commandArgs(trailingOnly = TRUE)
dir <- if (length(args) >= 1) args[1] else "test/golden"
read <- function(file) read.csv(file.path(dir, "data", file), stringsAsFactors = FALSE)

vcov_formula <- function(v) if (v %in% c("iid", "hetero")) v else as.formula(paste("~", sub("^cluster:", "", gsub("\\+", " + ", v))))

result_case <- function(id, data, family, formula, vcov, wald_keep, weights = NULL, offset = NULL) {
  d <- read(data)
  fam <- switch(family, poisson = "poisson", logit = binomial("logit"), probit = binomial("probit"))
  a <- list(fml = as.formula(formula), data = d, family = fam, vcov = vcov_formula(vcov), fixef.tol = 1e-11, glm.tol = 1e-10)
  if (!is.null(weights)) a$weights <- as.formula(paste("~", weights))
  if (!is.null(offset)) a$offset <- as.formula(paste("~", offset))
  fit <- do.call(feglm, a)
  fe <- fixef(fit, fixef.tol = 1e-11)
  refs <- attr(fe, "references")
  values <- unlist(lapply(names(fe), function(q) lapply(seq_along(fe[[q]]), function(j) list(fe = q, level = names(fe[[q]])[j], value = unname(fe[[q]][j])))), recursive = FALSE)
  w <- wald(fit, keep = wald_keep, print = FALSE)
  list(id = id, data = data, family = family, formula = formula, vcov = vcov, weights = weights, offset = offset, wald_keep = wald_keep,
       expect = list(nobs = nobs(fit), coefficients = as.list(coef(fit)),
                     fitted = unname(fitted(fit, na.rm = FALSE)), residual = unname(resid(fit, na.rm = FALSE)),
                     references = as.list(refs), fixef = values,
                     wald = list(stat = w$stat, p = w$p, df1 = w$df1, df2 = w$df2)))
}

cases <- list(
  # Poisson with an offset and two fixed effects; 6 units with only zero counts are removed (NA rows).
  result_case("pois_counts_offset", "glm_counts.csv", "poisson", "y ~ x1 + x2 | unit + year", "cluster:unit", "^x", offset = "log_exp"),
  # Poisson with weights and one fixed effect, hetero-robust Wald test of one coefficient.
  result_case("pois_counts_weights", "glm_counts.csv", "poisson", "y ~ x1 + x2 | unit", "hetero", "x2", weights = "w"),
  # Poisson on trade with three fixed effects (gravity), clustered by origin.
  result_case("pois_trade_3fe", "glm_trade.csv", "poisson", "Euros ~ log_dist | Origin + Destination + Product", "cluster:Origin", "dist"),
  # Logit with two fixed effects, clustered; perfect-fit ids removed.
  result_case("logit_did_cluster", "glm_did.csv", "logit", "yb ~ x1 + treat:post | id + period", "cluster:id", "!^x1$"),
  # Probit with weights and an offset.
  result_case("probit_counts_weights", "glm_counts.csv", "probit", "yb ~ x1 + x2 | year", "iid", "x", weights = "w", offset = "x2")
)

writeLines(toJSON(list(fixest = as.character(packageVersion("fixest")), cases = cases), auto_unbox = TRUE, digits = I(17), null = "null", na = "null"),
           file.path(dir, "glm-results.json"))
