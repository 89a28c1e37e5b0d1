# Golden numbers for fixest's variances and results that didwasm reproduces (fixest-variance.test.ts):
#   - variances: twoway, clustering on a combination a^b (alone and in a multiway list), panel Newey-West
#     NW(L) (balanced and unbalanced panels, the rule-of-thumb lag with panel.id, a time series),
#     Driscoll-Kraay DK(L), Conley conley(cutoff) (fixest's triangular distance and the spherical one,
#     a cutoff in miles, with fixed effects and weights);
#   - small-sample corrections ssc(adj, fixef.K, cluster.adj, cluster.df, t.df, fixef.force_exact);
#   - results: fixef() values and references, fitted values and residuals over every input row
#     (fitted/resid(na.rm = FALSE)), and wald(keep = regex).
# Computed with fixest 0.12.2 (R 4.2), fixef.tol = 1e-11, on public data: plm's Grunfeld and EmplUK
# (Debian's r-cran-plm), fixest's base_did and trade (year 2007, logs precomputed), R's airquality and
# quakes, and a generated spatial panel (set.seed below).
#
# Usage (from the project root): Rscript test/golden/fixest-variance.R [test/golden]
# Writes DIR/data/variance/*.csv (the data, read back before estimating, so both sides read the same
# numbers) and DIR/fixest-variance.json (numbers with 17 significant digits). Each variance case gives
# the spelling of the variance for didwasm (`vcov`, and `also` for other spellings that must give the
# same numbers) next to the R expression that fixest ran (`vcov_r`).
suppressPackageStartupMessages({
  library(fixest)
  library(jsonlite)
})
stopifnot(packageVersion("fixest") == "0.12.2")
setFixest_nthreads(1)

args <- commandArgs(trailingOnly = TRUE)
dir <- if (length(args) >= 1) args[1] else "test/golden"
data_dir <- file.path(dir, "data", "variance")
dir.create(data_dir, showWarnings = FALSE, recursive = TRUE)

data(Grunfeld, package = "plm")
data(EmplUK, package = "plm")
data(base_did, package = "fixest")
data(trade, package = "fixest")
grunfeld <- Grunfeld[, c("firm", "year", "inv", "value", "capital")]
grunfeld$dec <- grunfeld$year %/% 10
empluk <- as.data.frame(EmplUK)
trade07 <- trade[trade$Year == 2007, c("Origin", "Destination", "Product")]
trade07$ldist <- log(trade[trade$Year == 2007, "dist_km"])
trade07$leuros <- log(trade[trade$Year == 2007, "Euros"])
# A spatial panel: 300 sites in 30 regions around the North Atlantic (longitudes on both sides of 0),
# a regressor and an error that are smooth in space, analytic weights.
set.seed(20261203)
n_sites <- 300
geo <- data.frame(site = 1:n_sites, region = sample(1:30, n_sites, replace = TRUE))
geo$lat <- round(runif(n_sites, 35, 65), 4)
geo$lon <- round(runif(n_sites, -30, 25), 4)
geo$x <- round(sin(geo$lat / 5) + cos(geo$lon / 7) + rnorm(n_sites, sd = 0.5), 6)
geo$y <- round(1 + 0.5 * geo$x + geo$region / 10 + sin(geo$lat / 3) * cos(geo$lon / 4) + rnorm(n_sites), 6)
geo$w <- round(runif(n_sites, 0.5, 2), 3)

raw <- list(grunfeld = grunfeld, empluk = empluk, base_did = base_did, trade07 = trade07,
            airquality = airquality, quakes = quakes, geo = geo)
datasets <- list()
for (nm in names(raw)) {
  file <- file.path(data_dir, paste0(nm, ".csv"))
  write.csv(raw[[nm]], file, row.names = FALSE, na = "")
  datasets[[nm]] <- read.csv(file, stringsAsFactors = FALSE)
}

coef_table <- function(fit) {
  ct <- coeftable(fit)
  lapply(seq_len(nrow(ct)), function(j) list(term = rownames(ct)[j], estimate = unname(ct[j, 1]),
                                             std_error = unname(ct[j, 2]), p_value = unname(ct[j, 4])))
}

estimate <- function(data, formula, vcov_r, weights = NULL, ssc_r = "ssc()", subset = NULL, panel_id = NULL) {
  d <- datasets[[data]]
  if (!is.null(subset)) d <- d[eval(str2lang(subset), d), ]
  w <- if (is.null(weights)) NULL else as.formula(paste("~", weights))
  pid <- if (is.null(panel_id)) NULL else as.formula(paste("~", paste(panel_id, collapse = " + ")))
  feols(as.formula(formula), data = d, vcov = eval(str2lang(vcov_r)), weights = w, ssc = eval(str2lang(ssc_r)),
        panel.id = pid, fixef.tol = 1e-11)
}

vcov_case <- function(id, data, formula, vcov, vcov_r, weights = NULL, ssc = NULL, ssc_r = "ssc()", subset = NULL,
                      panel_id = NULL, also = list()) {
  fit <- estimate(data, formula, vcov_r, weights, ssc_r, subset, panel_id)
  list(id = id, data = paste0(data, ".csv"), formula = formula, vcov = vcov, also = also, vcov_r = vcov_r, weights = weights,
       ssc = ssc, ssc_r = ssc_r, subset = subset, panel_id = panel_id,
       expect = list(nobs = nobs(fit), df_t = degrees_freedom(fit, "t"), dof_k = degrees_freedom(fit, "k"),
                     coefficients = coef_table(fit)))
}

variance <- list(
  # twoway: the first two fixed effects
  vcov_case("twoway_grunfeld", "grunfeld", "inv ~ value + capital | firm + year", "twoway", '"twoway"', also = list("cluster:firm+year")),
  vcov_case("twoway_empluk_weighted", "empluk", "emp ~ wage + capital | firm + year", "twoway", '"twoway"', weights = "output"),
  # combinations a^b, alone and in a multiway list
  vcov_case("combined_cluster", "empluk", "emp ~ wage + capital | firm + year", "cluster:sector^year", "~sector^year", also = list("~ sector^year")),
  vcov_case("combined_multiway_weighted", "empluk", "emp ~ wage + capital | firm + year", "cluster:firm+sector^year", "~firm + sector^year", weights = "output"),
  # Newey-West: balanced and unbalanced panels, lag from panel.id's rule of thumb, a time series
  vcov_case("nw_grunfeld", "grunfeld", "inv ~ value + capital | firm + year", "NW(2):firm+year", "NW(2) ~ firm + year", also = list("NW(2)", "NW(lag = 2) ~ firm + year")),
  vcov_case("nw_empluk_unbalanced_weighted", "empluk", "emp ~ wage + capital | firm + year", "NW(1):firm+year", "NW(1) ~ firm + year", weights = "output"),
  vcov_case("nw_default_lag_panel_id", "grunfeld", "inv ~ value + capital | firm", "NW", '"NW"', panel_id = c("firm", "year")),
  vcov_case("nw_no_fixef", "grunfeld", "inv ~ value + capital", "NW(3):firm+year", "NW(3) ~ firm + year"),
  vcov_case("nw_time_series", "grunfeld", "inv ~ value + capital", "NW(2):year", "NW(2) ~ year", subset = "firm == 1"),
  # Driscoll-Kraay
  vcov_case("dk_grunfeld", "grunfeld", "inv ~ value + capital | firm + year", "DK(2):year", "DK(2) ~ year", also = list("DK(2)")),
  vcov_case("dk_empluk_weighted", "empluk", "emp ~ wage + capital | firm", "DK(1):year", "DK(1) ~ year", weights = "output"),
  vcov_case("dk_default_lag", "base_did", "y ~ x1 | id + period", "DK:period", "DK ~ period"),
  # Conley: fixest's triangular distance, the spherical one, miles, fixed effects and weights
  vcov_case("conley_quakes", "quakes", "depth ~ mag", "conley(100):lat+long", "conley(100) ~ lat + long"),
  vcov_case("conley_quakes_spherical", "quakes", "depth ~ mag + stations", "conley(200, spherical):lat+long",
            'conley(200, distance = "spherical") ~ lat + long', also = list("conley(cutoff = 200, distance = spherical) ~ lat + long")),
  vcov_case("conley_geo_fixef_weighted", "geo", "y ~ x | region", "conley(500):lat+lon", "conley(500) ~ lat + lon", weights = "w"),
  vcov_case("conley_geo_miles", "geo", "y ~ x", "conley(300mi):lat+lon", 'conley("300mi") ~ lat + lon'),
  # small-sample corrections
  vcov_case("ssc_no_adj_full", "grunfeld", "inv ~ value + capital | firm + year", "cluster:firm", "~firm",
            ssc = "adj=false,fixef.K=full", ssc_r = 'ssc(adj = FALSE, fixef.K = "full")'),
  vcov_case("ssc_conventional_multiway", "grunfeld", "inv ~ value + capital | firm + year", "cluster:firm+year", "~firm + year",
            ssc = "cluster.adj=false,cluster.df=conventional,t.df=conventional",
            ssc_r = 'ssc(cluster.adj = FALSE, cluster.df = "conventional", t.df = "conventional")'),
  vcov_case("ssc_fixef_none_iid", "grunfeld", "inv ~ value + capital | firm + year", "iid", '"iid"',
            ssc = "fixef.K=none", ssc_r = 'ssc(fixef.K = "none")'),
  vcov_case("ssc_hetero_weighted", "empluk", "emp ~ wage + capital | firm + year", "hetero", '"hetero"', weights = "output",
            ssc = "adj=FALSE, cluster.adj=F", ssc_r = "ssc(adj = FALSE, cluster.adj = FALSE)"),
  vcov_case("ssc_force_exact", "grunfeld", "inv ~ value + capital | firm^dec + year", "cluster:firm", "~firm",
            ssc = "fixef.force_exact=true,t.df=conventional", ssc_r = 'ssc(fixef.force_exact = TRUE, t.df = "conventional")'),
  vcov_case("ssc_nw_conventional", "grunfeld", "inv ~ value + capital | firm + year", "NW(1):firm+year", "NW(1) ~ firm + year",
            ssc = "t.df=conventional,fixef.K=full,cluster.adj=false", ssc_r = 'ssc(t.df = "conventional", fixef.K = "full", cluster.adj = FALSE)'),
  vcov_case("ssc_t_df_number", "grunfeld", "inv ~ value + capital | firm", "cluster:firm", "~firm", ssc = "t.df=5", ssc_r = "ssc(t.df = 5)")
)

# fixef(): values by name, and the number of references of each fixed effect
fixef_case <- function(id, data, formula, weights = NULL) {
  fit <- estimate(data, formula, '"iid"', weights)
  fe <- fixef(fit, fixef.tol = 1e-11, notes = FALSE)
  refs <- attr(fe, "references")
  values <- unlist(lapply(names(fe), function(q) lapply(seq_along(fe[[q]]), function(j) list(fe = q, level = names(fe[[q]])[j], value = unname(fe[[q]][j])))), recursive = FALSE)
  list(id = id, data = paste0(data, ".csv"), formula = formula, weights = weights,
       expect = list(coefficients = coef_table(fit), references = if (is.null(refs)) NULL else as.list(refs), values = values))
}
fixef_cases <- list(
  fixef_case("fixef_grunfeld", "grunfeld", "inv ~ value + capital | firm + year"),
  fixef_case("fixef_empluk_weighted", "empluk", "emp ~ wage + capital | firm + year", weights = "output"),
  fixef_case("fixef_one_fe_missing_rows", "airquality", "Ozone ~ Solar.R + Wind | Month"),
  fixef_case("fixef_irregular_combined", "grunfeld", "inv ~ value + capital | firm^dec + year"),
  fixef_case("fixef_three_fe_trade", "trade07", "leuros ~ ldist | Origin + Destination + Product")
)

# fitted values and residuals over every input row (NA where a row is not in the sample)
predict_case <- function(id, data, formula, weights = NULL) {
  fit <- estimate(data, formula, '"iid"', weights)
  list(id = id, data = paste0(data, ".csv"), formula = formula, weights = weights,
       expect = list(fitted = fitted(fit, na.rm = FALSE), residual = resid(fit, na.rm = FALSE)))
}
predict_cases <- list(
  predict_case("predict_airquality_missing_rows", "airquality", "Ozone ~ Solar.R + Wind | Month"),
  predict_case("predict_empluk_weighted", "empluk", "emp ~ wage + capital | firm + year", weights = "output")
)

# wald(keep = regex)
wald_case <- function(id, data, formula, keep, vcov, vcov_r, weights = NULL) {
  fit <- estimate(data, formula, vcov_r, weights)
  w <- wald(fit, keep = keep, print = FALSE)
  list(id = id, data = paste0(data, ".csv"), formula = formula, keep = keep, vcov = vcov, weights = weights,
       expect = list(stat = w$stat, p = w$p, df1 = w$df1, df2 = w$df2,
                     coefficients = as.list(grep(if (startsWith(keep, "!")) substring(keep, 2) else keep, names(coef(fit)), value = TRUE, invert = startsWith(keep, "!")))))
}
wald_cases <- list(
  wald_case("wald_pre_periods_clustered", "base_did", "y ~ x1 + i(period, treat, 5) | id + period", "period::[1-4]:treat", "cluster:id", "~id"),
  wald_case("wald_nw", "grunfeld", "inv ~ value + capital | firm", "^(value|capital)$", "NW(1):firm+year", "NW(1) ~ firm + year"),
  wald_case("wald_negated_weighted", "empluk", "emp ~ wage + capital + output | firm + year", "!^output$", "cluster:firm", "~firm", weights = "output")
)

out <- list(variance = variance, fixef = fixef_cases, predict = predict_cases, wald = wald_cases)
writeLines(toJSON(out, auto_unbox = TRUE, digits = I(17), null = "null", na = "null", pretty = FALSE),
           file.path(dir, "fixest-variance.json"))
