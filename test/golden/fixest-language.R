# Golden numbers for fixest's formula language that didwasm reads (fixest-language.test.ts): transforms
# (log, exp, sqrt, abs, I(), poly() orthogonal and raw) in the outcome, the regressors and interactions,
# and fixed effects with varying slopes (fe[x], fe[[x]], several slopes, mixed with plain fixed effects,
# fe + fe[[x]] merged, combined fe1^fe2[x], a slope variable constant within a group). Computed with
# fixest 0.12.2 (R 4.2), fixef.tol = 1e-11, on R's public data (airquality, mtcars, CO2) and fixest's
# base_did (ids 1-30, with generated integer weights) and base_stagg (with generated integer weights).
#
# Usage (from the project root): Rscript test/golden/fixest-language.R [test/golden]
# Writes DIR/data/language/*.csv (the data, read back before estimating, so both sides read the same
# numbers) and DIR/fixest-language.json (numbers with 17 significant digits).
suppressPackageStartupMessages({
  library(fixest)
  library(jsonlite)
})
stopifnot(packageVersion("fixest") == "0.12.2")
setFixest_nthreads(1)

args <- commandArgs(trailingOnly = TRUE)
dir <- if (length(args) >= 1) args[1] else "test/golden"
data_dir <- file.path(dir, "data", "language")
dir.create(data_dir, showWarnings = FALSE, recursive = TRUE)

co2 <- as.data.frame(CO2)
co2$Plant <- as.character(co2$Plant)
co2$Type <- as.character(co2$Type)
co2$Treatment <- as.character(co2$Treatment)
# A slope variable constant within one plant (Qn1): fixest keeps the plant and counts its slope.
co2$z <- ifelse(co2$Plant == "Qn1", 5, co2$conc)
data(base_did, package = "fixest")
did <- base_did[base_did$id <= 30, c("y", "x1", "id", "period")]
did$w <- 1 + (did$id * 7 + did$period) %% 4

data(base_stagg, package = "fixest")
stagg <- base_stagg[, c("id", "year", "treated", "x1", "y")]
stagg$w <- 1 + (stagg$id * 3 + stagg$year) %% 5
stagg$z <- ((stagg$id * 7 + stagg$year * 3) %% 11) / 5 # a second slope variable, varying within each id

raw <- list(airquality = airquality, mtcars = cbind(model = rownames(mtcars), mtcars), co2 = co2, base_did = did, base_stagg = stagg)
datasets <- list()
for (nm in names(raw)) {
  file <- file.path(data_dir, paste0(nm, ".csv"))
  write.csv(raw[[nm]], file, row.names = FALSE, na = "")
  datasets[[nm]] <- read.csv(file, stringsAsFactors = FALSE)
}

coef_table <- function(fit) {
  ct <- coeftable(fit)
  lapply(seq_len(nrow(ct)), function(j) list(term = rownames(ct)[j], estimate = unname(ct[j, 1]), std_error = unname(ct[j, 2])))
}

vcov_formula <- function(v) if (v %in% c("iid", "hetero")) v else as.formula(paste("~", sub("^cluster:", "", v)))

case <- function(id, data, formula, vcov, weights = NULL, subset = NULL, fixef_k = "nested") {
  d <- datasets[[data]]
  w <- if (is.null(weights)) NULL else as.formula(paste("~", weights))
  s <- if (is.null(subset)) NULL else as.formula(paste("~", subset))
  fit <- feols(as.formula(formula), data = d, vcov = vcov_formula(vcov), weights = w, subset = s, ssc = ssc(fixef.K = fixef_k),
               fixef.tol = 1e-11, fixef.iter = 1e5)
  fs <- fitstat(fit, ~ r2 + ar2)
  wr2 <- if (is.null(fit$fixef_vars)) NULL else unname(fitstat(fit, ~wr2)[[1]])
  list(id = id, data = paste0("language/", data, ".csv"), formula = formula, vcov = vcov, weights = weights, subset = subset, fixef_k = fixef_k,
       expect = list(nobs = nobs(fit), nparams = fit$nparams, removed = as.list(fit$collin.var), coefficients = coef_table(fit),
                     r2 = unname(fs$r2), adj_r2 = unname(fs$ar2), r2_within = wr2))
}

cases <- list(
  # Transforms. Outcome and regressors, fixest's names (R's deparse: I(Temp^2), exp(Month/10)).
  case("tr_pointwise", "airquality", "log(Ozone) ~ log(Wind) + I(Temp^2) + sqrt(Solar.R) + exp(Month/10) + abs(Wind - 10)", "iid"),
  # Arithmetic inside I(), numbers as R prints them (1e+05), a negative power.
  case("tr_arithmetic", "airquality", "Ozone ~ I(Wind * Temp) + I(Temp/10 - 1) + I(Solar.R * 1e5) + I((Wind + 1)^-1)", "hetero"),
  # Orthogonal poly() with fixed effects: evaluated on all 153 rows (Temp is complete), though Ozone is
  # missing on 37 of them; an interaction with a transform.
  case("tr_poly_fixef", "airquality", "Ozone ~ poly(Temp, 2) + Wind:log(Temp) | Month", "cluster:Month"),
  # Raw polynomials, weights, a product of a transform and a variable.
  case("tr_poly_raw_weights", "mtcars", "mpg ~ poly(hp, 3, raw = TRUE) + log(wt):qsec", "hetero", weights = "drat"),
  # Orthogonal poly() on the subset's rows, weighted.
  case("tr_poly_subset", "mtcars", "mpg ~ poly(hp, 2) + sqrt(disp)", "iid", weights = "wt", subset = "cyl != 6"),
  # log(0) = -Inf (Ozone = 1, Temp = 57) and log(-1) = NaN (Temp = 56): those rows are removed.
  case("tr_log_zero", "airquality", "log(Ozone - 1) ~ Wind + log(Temp - 57)", "iid"),
  # exp() and abs() again, with two-way fixed effects, weights and clustering (base_stagg).
  case("tr_exp_abs_weights_cluster", "base_stagg", "y ~ exp(x1/5) + abs(x1) | id + year", "cluster:id", weights = "w"),
  # Raw polynomials again, clustered, next to a plain regressor.
  case("tr_poly_raw_cluster", "base_stagg", "y ~ poly(x1, 2, raw = TRUE) + treated | year", "cluster:id"),
  # Varying slopes.
  case("sl_single_iid", "co2", "uptake ~ log(conc) | Plant[conc]", "iid"),
  case("sl_single_cluster", "co2", "uptake ~ log(conc) | Plant[conc]", "cluster:Plant"),
  case("sl_only_plus_fixef", "co2", "uptake ~ log(conc) | Plant[[conc]] + Type", "cluster:Plant"),
  # Slopes alone: the model keeps its intercept.
  case("sl_only_intercept", "mtcars", "mpg ~ hp + drat | cyl[[wt]]", "iid"),
  case("sl_several", "mtcars", "mpg ~ log(hp) | cyl[wt, qsec]", "hetero"),
  case("sl_panel_weights", "base_did", "y ~ x1 | id[period] + period", "cluster:id", weights = "w"),
  # Several slopes per group again, with weights and clustering (base_stagg: a slope in year and in z per id).
  case("sl_several_weights", "base_stagg", "y ~ x1 | id[year, z] + year", "cluster:id", weights = "w"),
  case("sl_merged", "base_did", "y ~ x1 | id + id[[period]] + period", "iid"),
  case("sl_constant_in_group", "co2", "uptake ~ log(conc) | Plant[z]", "iid"),
  case("sl_combined", "co2", "uptake ~ log(conc) | Type^Treatment[conc]", "cluster:Plant"),
  # Slopes in the small-sample corrections: fixef.K = "full" and "none" count them too (only intercepts
  # are left out, for nesting or for "none").
  case("sl_fixef_k_full", "co2", "uptake ~ log(conc) | Plant[conc]", "cluster:Plant", fixef_k = "full"),
  case("sl_fixef_k_none", "co2", "uptake ~ log(conc) | Plant[[conc]] + Type", "iid", fixef_k = "none")
)

writeLines(toJSON(list(feols = cases), auto_unbox = TRUE, digits = I(17), pretty = TRUE, null = "null"), file.path(dir, "fixest-language.json"))
