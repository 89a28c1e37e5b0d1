# Golden numbers for fepois / feglm multiple estimations (glm-multi-model.test.ts), computed with fixest
# 0.12.2 itself (R 4.2), fixef.tol = 1e-11, glm.tol = 1e-10, on the data glm.R wrote (test/golden/data:
# fixest's base_did with a binary outcome, a generated count panel): stepwise regressors and fixed effects
# (csw, sw, csw0), several outcomes c(y1, y2), split and fsplit, with offsets, weights and clustering. Each
# case lists fixest's models in its order with nobs and every coefficient and standard error.
#
# Usage (from the project root): Rscript test/golden/multi/glm-multi-model.R [test/golden]
# Writes DIR/multi/glm-multi-model.json.
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

vcov_arg <- function(v) if (is.null(v)) NULL else if (v %in% c("iid", "hetero")) v else as.formula(paste("~", sub("^cluster:", "", v)))
coef_table <- function(fit) {
  ct <- coeftable(fit)
  lapply(seq_len(nrow(ct)), function(j) list(term = rownames(ct)[j], estimate = unname(ct[j, 1]), std_error = unname(ct[j, 2])))
}

# `singles`: the formulas of the models, each estimated alone, whose numbers are the expected ones instead
# of the multiple estimation's. As with feols (multi-model.R), fixest 0.12.2's sw() in the fixed effects of a
# one-outcome formula counts one parameter more than the same model alone, so its standard errors differ
# from its own single fits; didwasm gives every model the degrees of freedom of its single fit. The
# multiple estimation's standard errors are kept beside them (fixest_multi_std_error).
multi_case <- function(id, data, family, formula, vcov = NULL, weights = NULL, offset = NULL, split = NULL, fsplit = NULL, singles = NULL) {
  fam <- switch(family, poisson = "poisson", logit = binomial("logit"), probit = binomial("probit"))
  a <- list(fml = as.formula(formula), data = read(data), family = fam, fixef.tol = 1e-11, glm.tol = 1e-10)
  if (!is.null(vcov)) a$vcov <- vcov_arg(vcov)
  if (!is.null(weights)) a$weights <- as.formula(paste("~", weights))
  if (!is.null(offset)) a$offset <- as.formula(paste("~", offset))
  if (!is.null(split)) a$split <- as.formula(paste("~", split))
  if (!is.null(fsplit)) a$fsplit <- as.formula(paste("~", fsplit))
  fits <- do.call(feglm, a)
  models <- if (inherits(fits, "fixest_multi")) as.list(fits) else list(fits)
  list(id = id, data = data, family = family, formula = formula, vcov = vcov, weights = weights, offset = offset, split = split, fsplit = fsplit,
       models = lapply(seq_along(models), function(k) {
         m <- if (is.null(singles)) models[[k]] else do.call(feglm, modifyList(a, list(fml = as.formula(singles[k]))))
         out <- list(name = names(models)[k], nobs = nobs(m), coefficients = coef_table(m))
         if (!is.null(singles)) out$fixest_multi_std_error <- unname(se(models[[k]]))
         out
       }))
}

cases <- list(
  multi_case("pois_csw_offset", "glm_counts.csv", "poisson", "y ~ csw(x1, x2) | unit", offset = "log_exp"),
  multi_case("pois_csw0_fixef_weights", "glm_counts.csv", "poisson", "y ~ x1 + x2 | csw0(unit, year)", vcov = "hetero", weights = "w"),
  multi_case("logit_sw_fixef_cluster", "glm_did.csv", "logit", "yb ~ x1 | sw(id, period)", singles = c("yb ~ x1 | id", "yb ~ x1 | period")),
  multi_case("pois_lhs", "glm_counts.csv", "poisson", "c(y, yb) ~ x1 + x2 | year", vcov = "cluster:unit"),
  multi_case("pois_split_weights", "glm_counts.csv", "poisson", "y ~ x1 + x2", vcov = "hetero", weights = "w", split = "year"),
  multi_case("logit_fsplit", "glm_did.csv", "logit", "yb ~ x1 | period", vcov = "cluster:id", fsplit = "treat"),
  multi_case("probit_sw_rhs_offset", "glm_counts.csv", "probit", "yb ~ sw(x1, x2) | year", vcov = "iid", offset = "log_exp")
)

writeLines(toJSON(list(fixest = as.character(packageVersion("fixest")), cases = cases), auto_unbox = TRUE, digits = I(17), pretty = FALSE, null = "null"),
           file.path(dir, "multi", "glm-multi-model.json"))
