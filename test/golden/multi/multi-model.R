# Golden numbers for didwasm's multiple estimations (multi-model.test.ts), computed with fixest 0.12.2
# itself (R 4.2) on public data: R's airquality, mtcars and iris, and fixest's base_did. Each case is one
# fixest call with several models - stepwise regressors and fixed effects (sw, csw, sw0, csw0), several
# outcomes c(y1, y2), split / fsplit - and lists its models in fixest's order, each with its name in
# fixest's (sample, fixef, lhs, rhs) terms, nobs, R² and within R², and coefficients with standard errors.
#
# Usage (from the project root): Rscript test/golden/multi/multi-model.R [test/golden/multi]
# Writes DIR/data/*.csv (the data sets as read by the tests; NA as empty cells) and DIR/multi-model.json.
suppressPackageStartupMessages({
  library(fixest)
  library(jsonlite)
})
stopifnot(packageVersion("fixest") == "0.12.2")
setFixest_nthreads(1)
setFixest_notes(FALSE)

args <- commandArgs(trailingOnly = TRUE)
dir <- if (length(args) >= 1) args[1] else "test/golden/multi"
dir.create(file.path(dir, "data"), showWarnings = FALSE)

data(base_did, package = "fixest")
airq <- airquality
# A text split variable with one missing value: rows where it is missing enter no model (fixest's rule).
airq$season <- ifelse(airq$Month <= 6, "early", "late")
airq$season[3] <- NA
datasets <- list(airquality = airq, mtcars = mtcars, iris = iris, base_did = base_did)
for (nm in names(datasets)) write.csv(datasets[[nm]], file.path(dir, "data", paste0(nm, ".csv")), row.names = FALSE, na = "")

coef_table <- function(fit) {
  if (length(coef(fit)) == 0) return(list()) # the fixed effects alone
  ct <- coeftable(fit)
  lapply(seq_len(nrow(ct)), function(j) list(term = rownames(ct)[j], estimate = unname(ct[j, 1]), std_error = unname(ct[j, 2])))
}

vcov_arg <- function(v) if (is.null(v)) NULL else if (v %in% c("iid", "hetero")) v else as.formula(paste("~", sub("^cluster:", "", v)))

# One case: the fixest call's models in order. `vcov` NULL keeps fixest's default (clustered by the first
# fixed effect, iid without), as didwasm's default.
#
# `singles`: the formulas of the models, each estimated alone, whose numbers are the expected ones instead
# of the multiple estimation's. For a single outcome without stepwise regressors, fixest 0.12.2's sw(),
# sw0() and csw0() in the fixed effects count one parameter more than the same model estimated alone (the
# intercept it drops: nparams 110 instead of 109), so its standard errors differ from its own single fits;
# didwasm gives every model the degrees of freedom of its single fit (a documented difference). The
# multiple estimation's standard errors are kept beside them (fixest_multi_std_error) to show it.
multi_case <- function(id, data, formula, vcov = NULL, weights = NULL, split = NULL, fsplit = NULL, singles = NULL) {
  d <- datasets[[data]]
  a <- list(fml = as.formula(formula), data = d, fixef.tol = 1e-11)
  if (!is.null(vcov)) a$vcov <- vcov_arg(vcov)
  if (!is.null(weights)) a$weights <- as.formula(paste("~", weights))
  if (!is.null(split)) a$split <- as.formula(paste("~", split))
  if (!is.null(fsplit)) a$fsplit <- as.formula(paste("~", fsplit))
  fits <- do.call(feols, a)
  models <- if (inherits(fits, "fixest_multi")) as.list(fits) else list(fits)
  model_names <- if (inherits(fits, "fixest_multi")) names(fits) else ""
  single_fits <- lapply(singles, function(f) do.call(feols, modifyList(a, list(fml = as.formula(f)))))
  list(
    id = id, data = paste0(data, ".csv"), formula = formula, vcov = vcov, weights = weights, split = split, fsplit = fsplit,
    models = lapply(seq_along(models), function(k) {
      m <- if (is.null(singles)) models[[k]] else single_fits[[k]]
      wr2 <- if (is.null(m$fixef_vars)) NULL else unname(r2(m, "wr2"))
      out <- list(name = model_names[k], nobs = nobs(m), r2 = unname(r2(m, "r2")), r2_within = wr2, coefficients = coef_table(m))
      if (!is.null(singles)) out$fixest_multi_std_error <- unname(se(models[[k]]))
      out
    })
  )
}

cases <- list(
  # csw in the regressors: each model keeps its own rows (Solar.R's missing values enter from step 2)
  multi_case("csw_rhs", "airquality", "Ozone ~ csw(Wind, Solar.R, Temp)"),
  # sw next to a fixed regressor, with a fixed effect and hetero-robust errors
  multi_case("sw_rhs_fixef_hetero", "airquality", "Ozone ~ sw(Wind, Solar.R) + Temp | Month", vcov = "hetero"),
  # csw0: the intercept alone first; weights
  multi_case("csw0_weights", "mtcars", "mpg ~ csw0(wt, hp, qsec)", weights = "disp"),
  # stepwise fixed effects, two outcomes, clustered
  multi_case("csw0_fixef_lhs_cluster", "airquality", "c(Ozone, Solar.R) ~ Wind + Temp | csw0(Month, Day)", vcov = "cluster:Month"),
  # csw0 with fixed effects: the first model is the fixed effects alone (no coefficient; nobs and R² only)
  multi_case("csw0_fixef_only", "base_did", "y ~ csw0(x1, treat:post) | id"),
  multi_case("sw0_fixef_only_lhs_hetero", "airquality", "c(Ozone, Temp) ~ sw0(Wind, Solar.R) | Month", vcov = "hetero"),
  # stepwise regressors and fixed effects together, fixest's default clustering per model
  multi_case("csw_both", "base_did", "y ~ csw(x1, treat:post) | sw(id, period)"),
  # several outcomes sharing the fixed effects
  multi_case("lhs_fixef", "base_did", "c(y, x1) ~ treat:post | id + period", vcov = "cluster:id"),
  # split on a factor, and fsplit on a number with a fixed effect and hetero-robust errors
  multi_case("split_species", "iris", "Sepal.Length ~ Petal.Length + Petal.Width", split = "Species"),
  multi_case("fsplit_cyl_hetero", "mtcars", "mpg ~ wt + hp | gear", vcov = "hetero", fsplit = "cyl"),
  # split on a text column with a missing value, with stepwise regressors: sample outermost
  multi_case("split_text_csw", "airquality", "Ozone ~ csw(Temp, Wind)", split = "season"),
  # split with two-way fixed effects and clustering, stepwise fixed effects with i()
  multi_case("split_twfe_cluster", "base_did", "y ~ x1 | id + period", split = "treat", vcov = "cluster:id"),
  multi_case("sw_fixef_i", "base_did", "y ~ x1 + i(period, treat, 5) | sw(id, id + period)",
             singles = c("y ~ x1 + i(period, treat, 5) | id", "y ~ x1 + i(period, treat, 5) | id + period")),
  # csw0 in the fixed effects with iid errors: the empty step, then one and two fixed effects (singles, as above)
  multi_case("csw0_fixef_iid", "airquality", "Ozone ~ Wind + Temp | csw0(Month, Day)", vcov = "iid",
             singles = c("Ozone ~ Wind + Temp", "Ozone ~ Wind + Temp | Month", "Ozone ~ Wind + Temp | Month + Day")),
  # fsplit with weights
  multi_case("fsplit_weights", "iris", "Sepal.Length ~ Petal.Length | Species", fsplit = "Species", weights = "Petal.Width", vcov = "iid")
)

writeLines(toJSON(list(fixest = as.character(packageVersion("fixest")), cases = cases), auto_unbox = TRUE, digits = 15, pretty = TRUE, null = "null"),
           file.path(dir, "multi-model.json"))
