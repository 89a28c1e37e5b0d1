# Golden numbers for didwasm etwfe (Wooldridge's extended TWFE), computed the way the R package etwfe
# (0.6) and its emfx() do, without them (not installable here): the regression etwfe writes, fitted by
# fixest 0.12 (feols, or feglm with the Poisson family and fe = "none"), then emfx by hand:
#   - .Dtreat: notyet: year >= cohort and treated; never: year != cohort - 1 (never-treated: ref level);
#   - controls demeaned within cohort (x_dm), interacted with the cells (`/ x_dm`), plus x, i(cohort, x),
#     i(year, x) (fe = "feo" / "none") or cohort[x] + year[x] slopes (fe = "vs");
#   - emfx: over treated rows (.Dtreat TRUE; never + event: every treated-cohort row), each row's effect
#     predict(.Dtreat = TRUE) - predict(.Dtreat = FALSE) (response scale for Poisson), averaged by group;
#     the gradient of each average from the model matrices X1, X0 (least squares: mean(X1 - X0); Poisson:
#     mean(mu1 X1 - mu0 X0)), delta-method variance g' V g with V the regression's vcov, normal inference.
#     The reference event time -1 of cgroup "never" (0 by construction) is left out.
# Data: mpdta (did's example data, public; copied from github.com/d2cml-ai/csdid, data/mpdta.csv, commit
# f78f4d79cb682b18d2b0ef65e394c3a13e773ccb) as data/mpdta.csv; fixest's base_stagg (data/base_stagg.csv).
# Poisson cases use emp = round(exp(lemp)), employment counts.
#
# Usage (from the project root): Rscript test/golden/etwfe.R  -> writes test/golden/etwfe-expected.json
suppressPackageStartupMessages({
  library(jsonlite)
  library(fixest)
})
dir = "test/golden"
mpdta = read.csv(file.path(dir, "data", "mpdta.csv"))
mpdta$emp = round(exp(mpdta$lemp))
base = read.csv(file.path(dir, "data", "base_stagg.csv"))

etwfe_case = function(id, d, y, g, t, unit, x = NULL, cgroup = "notyet", fe = "feo", family = "gaussian",
                      type = "simple", vcov = NULL) {
  never = max(d[[t]]) < d[[g]] | d[[g]] == 0
  gref = if (any(never)) unique(d[[g]][never])[1] else stop("no never-treated")
  d$.Dtreat = if (cgroup == "notyet") d[[t]] >= d[[g]] & !never else d[[t]] != d[[g]] - 1
  rhs = sprintf(".Dtreat:i(%s, i.%s, ref = %s%s)", g, t, gref, if (cgroup == "notyet") sprintf(", ref2 = %s", min(d[[t]])) else "")
  if (length(x)) {
    for (v in x) d[[paste0(v, "_dm")]] = d[[v]] - ave(d[[v]], d[[g]])
    rhs = sprintf("%s / (%s)", rhs, paste0(x, "_dm", collapse = " + "))
    if (fe != "vs") rhs = paste(rhs, "+", paste(x, collapse = " + "), "+",
      paste(sprintf("i(%s, %s, ref = %s)", g, x, gref), collapse = " + "), "+",
      paste(sprintf("i(%s, %s, ref = %s)", t, x, min(d[[t]])), collapse = " + "))
  }
  fes = if (fe == "none") "" else if (fe == "vs" && length(x)) sprintf("| %s[%s] + %s[%s]", g, paste(x, collapse = ","), t, paste(x, collapse = ","))
        else sprintf("| %s + %s", g, t)
  if (fe == "none") rhs = sprintf("%s + i(%s, ref = %s) + i(%s, ref = %s)", rhs, g, gref, t, min(d[[t]]))
  fml = as.formula(paste(y, "~", rhs, fes))
  vc = if (is.null(vcov)) NULL else as.formula(paste("~", vcov))
  m = if (family == "gaussian") feols(fml, d, vcov = vc, notes = FALSE) else feglm(fml, d, family = poisson(), vcov = if (is.null(vc)) "iid" else vc, notes = FALSE)
  b = coef(m)
  V = vcov(m)
  treated_cohort = !never
  rows = if (cgroup == "never" && type == "event") treated_cohort & d[[t]] != d[[g]] - 1 else d$.Dtreat & d[[t]] >= d[[g]] & treated_cohort
  nd = d[rows, ]
  # X1: the rows with .Dtreat on; X0: the same with the treatment columns (only they contain .Dtreat) zeroed
  # (built on every row, so that every factor level is present, then restricted to the averaged rows)
  dd = d
  dd$.Dtreat = TRUE
  X1 = model.matrix(m, data = dd, type = "rhs")[rows, names(b), drop = FALSE]
  nd$.Dtreat = TRUE
  X0 = X1
  X0[, startsWith(names(b), ".Dtreat")] = 0
  # the fixed effects' part of the linear predictor (and the slopes' with fe = "vs")
  fxe = if (fe == "none") 0 else predict(m, newdata = nd) - drop(X1 %*% b)
  eta1 = drop(X1 %*% b) + fxe
  eta0 = drop(X0 %*% b) + fxe
  if (family == "gaussian") {
    eff = eta1 - eta0
    G = X1 - X0
  } else {
    eff = exp(eta1) - exp(eta0)
    G = exp(eta1) * X1 - exp(eta0) * X0
  }
  key = switch(type, simple = rep(0, nrow(nd)), group = nd[[g]], calendar = nd[[t]], event = nd[[t]] - nd[[g]])
  groups = sort(unique(key))
  grads = t(sapply(groups, function(k) colMeans(G[key == k, , drop = FALSE])))
  if (length(groups) == 1) grads = matrix(grads, nrow = 1)
  est = sapply(groups, function(k) mean(eff[key == k]))
  cov = grads %*% V %*% t(grads)
  cells = grep("^\\.Dtreat", names(b))
  list(id = id, dataset = deparse(substitute(d)), y = y, cohort = g, time = t, unit = unit, controls = as.list(x), cgroup = cgroup,
       fe = fe, family = family, type = type, vcov = if (is.null(vcov)) NULL else paste0("cluster:", vcov),
       expect = list(nobs = nobs(m), groups = groups, estimate = est, std_error = sqrt(diag(cov)), cov = cov,
                     cells = list(term = names(b)[cells], estimate = unname(b[cells]), std_error = unname(se(m)[cells]))))
}

cases = list(
  etwfe_case("mpdta_simple_lpop", mpdta, "lemp", "first.treat", "year", "countyreal", "lpop", vcov = "countyreal"),
  etwfe_case("mpdta_event_lpop", mpdta, "lemp", "first.treat", "year", "countyreal", "lpop", type = "event", vcov = "countyreal"),
  etwfe_case("mpdta_group_lpop", mpdta, "lemp", "first.treat", "year", "countyreal", "lpop", type = "group", vcov = "countyreal"),
  etwfe_case("mpdta_calendar_lpop", mpdta, "lemp", "first.treat", "year", "countyreal", "lpop", type = "calendar", vcov = "countyreal"),
  etwfe_case("mpdta_simple", mpdta, "lemp", "first.treat", "year", "countyreal", vcov = "countyreal"),
  etwfe_case("mpdta_simple_default_vcov", mpdta, "lemp", "first.treat", "year", "countyreal", "lpop"),
  etwfe_case("mpdta_event_never_lpop", mpdta, "lemp", "first.treat", "year", "countyreal", "lpop", cgroup = "never", type = "event", vcov = "countyreal"),
  etwfe_case("mpdta_event_vs_lpop", mpdta, "lemp", "first.treat", "year", "countyreal", "lpop", fe = "vs", type = "event", vcov = "countyreal"),
  etwfe_case("mpdta_group_none_lpop", mpdta, "lemp", "first.treat", "year", "countyreal", "lpop", fe = "none", type = "group"),
  etwfe_case("mpdta_poisson_simple", mpdta, "emp", "first.treat", "year", "countyreal", "lpop", fe = "none", family = "poisson"),
  etwfe_case("mpdta_poisson_event_cluster", mpdta, "emp", "first.treat", "year", "countyreal", "lpop", fe = "none", family = "poisson", type = "event", vcov = "countyreal"),
  etwfe_case("base_stagg_event_x1", base, "y", "year_treated", "year", "id", "x1", type = "event", vcov = "id"),
  etwfe_case("base_stagg_never_calendar", base, "y", "year_treated", "year", "id", cgroup = "never", type = "calendar", vcov = "id")
)
for (i in seq_along(cases)) cases[[i]]$dataset = if (startsWith(cases[[i]]$id, "mpdta")) "mpdta" else "base_stagg"
writeLines(toJSON(list(generated_by = "test/golden/etwfe.R", fixest = as.character(packageVersion("fixest")), cases = cases),
                  auto_unbox = TRUE, digits = NA, pretty = TRUE), file.path(dir, "etwfe-expected.json"))
cat("wrote", length(cases), "cases\n")
