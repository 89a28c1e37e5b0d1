# Golden numbers for fixest's conventions that didwasm follows (fixest-conventions.test.ts), computed with
# fixest 0.12.2 itself (R 4.2) on the project's generated panels in data/ (see make-golden.sh):
#   - i(f) without a reference: fixest drops the first level when the model has an intercept or fixed
#     effects, keeps every level in the first bare i() of a model with neither, and never drops a level
#     of i(f, x) with a numeric x; a product such as x:i(f) keeps every level too;
#   - i(f, x, r) and i(f, r): a value in third place, or in second place instead of a variable, is ref;
#   - i(f, keep = ...), i(f, ref = TRUE);
#   - Sun-Abraham with regression weights: summary(agg = "ATT") and aggregate(agg = "period") weight each
#     cohort x period cell by its sum of weights (fixest's aggregate.fixest, use_weights = TRUE).
#
# Usage (from the project root): Rscript test/golden/fixest-conventions.R [test/golden]
# Reads DIR/data/*.csv and writes DIR/fixest-conventions.json (numbers with 15 significant digits).
suppressPackageStartupMessages({
  library(fixest)
  library(jsonlite)
})
stopifnot(packageVersion("fixest") == "0.12.2")
setFixest_nthreads(1)

args <- commandArgs(trailingOnly = TRUE)
dir <- if (length(args) >= 1) args[1] else "test/golden"
read_panel <- function(file) read.csv(file.path(dir, "data", file), stringsAsFactors = FALSE)
datasets <- list(
  panel_num = read_panel("panel_num.csv"),   # numeric ids, 12 states (+ a singleton state), 5 years
  panel_str = read_panel("panel_str.csv"),   # text unit ids (u000001, ...), weights w, missing y and x1
  staggered = read_panel("staggered.csv")    # cohorts 2004/2006/2008, 0 = never treated, weights w
)

# One coefficient table: names in fixest's order, estimates and standard errors.
coef_table <- function(fit) {
  ct <- coeftable(fit)
  lapply(seq_len(nrow(ct)), function(j) list(term = rownames(ct)[j], estimate = unname(ct[j, 1]), std_error = unname(ct[j, 2])))
}

vcov_formula <- function(v) if (v %in% c("iid", "hetero")) v else as.formula(paste("~", sub("^cluster:", "", gsub("\\+", " + ", v))))

feols_case <- function(id, data, formula, vcov = "iid", weights = NULL) {
  d <- datasets[[data]]
  w <- if (is.null(weights)) NULL else as.formula(paste("~", weights))
  fit <- feols(as.formula(formula), data = d, vcov = vcov_formula(vcov), weights = w)
  list(id = id, data = paste0(data, ".csv"), formula = formula, vcov = vcov, weights = weights,
       expect = list(nobs = nobs(fit), removed = as.list(fit$collin.var), coefficients = coef_table(fit)))
}

i_cases <- list(
  # intercept, no fixed effect: the first state (1) is the reference
  feols_case("i_default_intercept", "panel_num", "y ~ x1 + i(state)"),
  # fixed effects: the first year is the reference
  feols_case("i_default_fixef", "panel_num", "y ~ x1 + i(year) | unit", "cluster:state"),
  # neither intercept nor fixed effects: the first bare i() keeps every level, the second drops its first
  feols_case("i_no_intercept_two_factors", "panel_num", "y ~ 0 + i(year) + i(state) + x2", "hetero"),
  # i(f, x) keeps every level, with or without an intercept; x:i(f) too
  feols_case("i_numeric_interaction", "panel_num", "y ~ x1 + i(state, x2)"),
  feols_case("i_product_keeps_levels", "panel_num", "y ~ x2:i(year) + x1 | unit", "cluster:state"),
  # reference by position: third place (with an interaction) and second place (without)
  feols_case("i_ref_third_position", "panel_num", "y ~ x1 + i(year, x2, 2002) | unit", "cluster:state"),
  feols_case("i_ref_second_position", "panel_num", "y ~ x1 + i(year, 2003) | unit", "hetero"),
  # ref = TRUE and keep
  feols_case("i_ref_true", "panel_num", "y ~ x1 + i(state, ref = TRUE)", "hetero"),
  feols_case("i_keep", "panel_num", "y ~ x1 + i(year, keep = c(2001, 2002)) | unit", "cluster:state"),
  # text levels (lower-case ids, ordered alike in every locale), weights and missing values
  feols_case("i_text_levels_weighted", "panel_str", "y ~ x1 + x2 + i(unit) | year", "hetero", weights = "w")
)

# Sun-Abraham: the cell coefficients' regression, then fixest's aggregations.
agg_rows <- function(tab, pattern) {
  keep <- grepl(pattern, rownames(tab))
  lapply(which(keep), function(j) list(term = rownames(tab)[j], estimate = unname(tab[j, 1]), std_error = unname(tab[j, 2])))
}
sunab_case <- function(id, controls = character(0), weights = NULL, vcov = "cluster:unit") {
  d <- datasets$staggered
  rhs <- paste(c(controls, "sunab(cohort, year)"), collapse = " + ")
  w <- if (is.null(weights)) NULL else as.formula(paste("~", weights))
  fit <- feols(as.formula(paste("y ~", rhs, "| unit + year")), data = d, vcov = vcov_formula(vcov), weights = w)
  att <- summary(fit, agg = "ATT")
  periods <- aggregate(fit, agg = "period")
  list(id = id, data = "staggered.csv", controls = as.list(controls), weights = weights, vcov = vcov,
       expect = list(nobs = nobs(fit),
                     att = agg_rows(coeftable(att), "^ATT$")[[1]],
                     # rows "year::-9" ... "year::5": the relative period after "::"
                     periods = lapply(agg_rows(periods, "^year::"), function(r) c(r, list(rel_time = as.numeric(sub("^year::", "", r$term)))))))
}
sunab_cases <- list(
  sunab_case("sunab_weighted_controls", controls = "x1", weights = "w"),
  sunab_case("sunab_weighted_hetero", weights = "w", vcov = "hetero"),
  sunab_case("sunab_unweighted", controls = "x1")
)

out <- list(
  fixest = as.character(packageVersion("fixest")), r = R.version.string,
  feols = i_cases, sunab = sunab_cases
)
writeLines(toJSON(out, auto_unbox = TRUE, digits = I(15), null = "null", pretty = TRUE), file.path(dir, "fixest-conventions.json"))
