# Golden numbers for didwasm's feols, computed independently with base R's lm() and the sandwich package
# (no fixest): fixed effects enter lm() as factor dummies, and the small-sample corrections that fixest
# 0.12 applies by default, ssc(adj = TRUE, fixef.K = "nested", cluster.adj = TRUE, cluster.df = "min",
# t.df = "min"), are written out below one by one.
#
# Usage (from the project root): Rscript test/golden/golden.R [test/golden]
# Reads DIR/data/*.csv (made by make-golden.sh with the didwasm CLI) and writes DIR/expected.json.
#
# Notation: n observations, k coefficients of the regressors (plus the intercept in pooled models),
# Q fixed effects with G_1..G_Q groups. W = diag(weights) (identity when unweighted), e the residuals,
# X~ the regressors after absorbing the fixed effects. By Frisch-Waugh-Lovell the regressor block of any
# sandwich (Z'WZ)^-1 Z' Omega Z (Z'WZ)^-1 of the dummy regression equals (X~'WX~)^-1 X~' Omega X~
# (X~'WX~)^-1, so lm() with dummies and sandwich's HC0 "meats" give exactly the uncorrected variances.

suppressPackageStartupMessages({
  library(sandwich)
  library(jsonlite)
})

args <- commandArgs(trailingOnly = TRUE)
dir <- if (length(args) >= 1) args[1] else "test/golden"

# ---------------------------------------------------------------------------------------------------
# Data sets (see make-golden.sh for the generator options). Empty CSV cells are missing (NA).
# ---------------------------------------------------------------------------------------------------
read_panel <- function(file) read.csv(file.path(dir, "data", file), stringsAsFactors = FALSE)
datasets <- list(
  panel_str = read_panel("panel_str.csv"),         # string unit ids, weights w, missing y/x1, 4 singleton units
  panel_num = read_panel("panel_num.csv"),         # numeric unit ids, 3 singleton units, no missing values
  panel_cascade = read_panel("panel_cascade.csv")  # numeric ids, weights, 15% missing: singletons cascade
)

# ---------------------------------------------------------------------------------------------------
# Models. `fe` lists the fixed effects, each a vector of variables (c("state", "year") is state^year);
# `vcov` is "iid", "hetero" or the cluster variables; `subset` is evaluated by R and by didwasm alike.
# ---------------------------------------------------------------------------------------------------
m <- function(id, data, x, fe = list(), vcov = "iid", weights = NULL, subset = NULL, fixef_rm = "none", y = "y") {
  list(id = id, data = data, y = y, x = x, fe = fe, vcov = vcov, weights = weights, subset = subset, fixef_rm = fixef_rm)
}
X3 <- c("x1", "x2", "x3")
X2 <- c("x1", "x2")
UY <- list("unit", "year")
models <- list(
  # panel_str: string ids, missing values (every model drops them), singleton units kept unless removed
  m("str_iid", "panel_str", X3, UY, "iid"),
  m("str_hetero", "panel_str", X3, UY, "hetero"),
  m("str_cl_unit", "panel_str", X3, UY, "unit"),
  m("str_cl_state", "panel_str", X3, UY, "state"),
  m("str_cl_unit_state", "panel_str", X3, UY, c("unit", "state")),
  m("str_cl_unit_year", "panel_str", X3, UY, c("unit", "year")),
  m("str_cl_state_year", "panel_str", X3, UY, c("state", "year")),
  m("str_w_iid", "panel_str", X3, UY, "iid", weights = "w"),
  m("str_w_cl_unit", "panel_str", X3, UY, "unit", weights = "w"),
  m("str_w_cl_state_year", "panel_str", X3, UY, c("state", "year"), weights = "w"),
  m("str_single_cl_unit", "panel_str", X3, UY, "unit", fixef_rm = "singleton"),
  m("str_single_w_hetero", "panel_str", X3, UY, "hetero", weights = "w", fixef_rm = "singleton"),
  m("str_single_cl_unit_state", "panel_str", X3, UY, c("unit", "state"), fixef_rm = "singleton"),
  m("str_pooled_iid", "panel_str", X3, list(), "iid"),
  m("str_pooled_cl_state", "panel_str", X3, list(), "state"),
  m("str_pooled_w_hetero", "panel_str", X3, list(), "hetero", weights = "w"),
  m("str_pooled_cl_unit_year", "panel_str", X3, list(), c("unit", "year")),
  m("str_subset_cl_unit", "panel_str", X3, UY, "unit", subset = 'year >= 2001 & unit != "u000005"'),
  m("str_statefe_cl_unit", "panel_str", X3, list("state", "year"), "unit"),
  m("str_unitfe_cl_state", "panel_str", X3, list("unit"), "state"),
  # panel_num: numeric ids, no missing values
  m("num_iid", "panel_num", X2, UY, "iid"),
  m("num_hetero", "panel_num", X2, UY, "hetero"),
  m("num_cl_unit", "panel_num", X2, UY, "unit"),
  m("num_cl_unit_year", "panel_num", X2, UY, c("unit", "year")),
  m("num_single_hetero", "panel_num", X2, UY, "hetero", fixef_rm = "singleton"),
  m("num_single_cl_state_year", "panel_num", X2, UY, c("state", "year"), fixef_rm = "singleton"),
  m("num_pooled_cl_unit", "panel_num", X2, list(), "unit"),
  m("num_subset_cl_state", "panel_num", X2, UY, "state", subset = "state <= 8 & year != 2002"),
  # Two-way sum with a negative diagonal element: the one case where fixest repairs the variance.
  m("num_subset_cl_state_year_repair", "panel_num", X2, UY, c("state", "year"), subset = "year >= 2002"),
  # panel_cascade: unit + state^year; removing singletons creates new ones, so removal must repeat.
  # The two fixed effects are disconnected across states, so lm()'s rank is below fixest's count
  # sum(G) - (Q - 1): the corrections below use fixest's count, as didwasm does.
  m("cascade_single_w_cl_state", "panel_cascade", X2, list("unit", c("state", "year")), "state", weights = "w", fixef_rm = "singleton"),
  m("cascade_single_iid", "panel_cascade", X2, list("unit", c("state", "year")), "iid", fixef_rm = "singleton"),
  m("cascade_w_hetero", "panel_cascade", X2, UY, "hetero", weights = "w")
)

# ---------------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------------
wmean <- function(v, w) sum(w * v) / sum(w)

# Group id of one fixed effect or cluster term: a factor of the combined values (never numeric tricks).
group_factor <- function(d, vars) factor(do.call(paste, c(unname(as.list(d[vars])), sep = "\r")))

# fe nested in cl: every fixed-effect group lies within one cluster.
is_nested <- function(fe, cl) all(tapply(as.character(cl), fe, function(v) length(unique(v))) == 1)

didwasm_formula <- function(s) {
  rhs <- paste(s$x, collapse = " + ")
  if (length(s$fe)) rhs <- paste(rhs, "|", paste(vapply(s$fe, paste, "", collapse = "^"), collapse = " + "))
  paste(s$y, "~", rhs)
}

vcov_label <- function(v) if (identical(v, "iid") || identical(v, "hetero")) v else paste0("cluster:", paste(v, collapse = "+"))

# ---------------------------------------------------------------------------------------------------
# One model
# ---------------------------------------------------------------------------------------------------
fit_one <- function(s) {
  d <- datasets[[s$data]]

  # 1. Subset, as R's subset(): rows where the condition is NA are dropped.
  if (!is.null(s$subset)) {
    keep <- eval(parse(text = s$subset), d)
    d <- d[!is.na(keep) & keep, , drop = FALSE]
  }

  # 2. Complete cases over every variable the model uses (outcome, regressors, fixed effects, clusters,
  #    weights).
  clusters <- if (identical(s$vcov, "iid") || identical(s$vcov, "hetero")) character(0) else s$vcov
  used <- unique(c(s$y, s$x, unlist(s$fe), clusters, s$weights))
  d <- d[complete.cases(d[used]), , drop = FALSE]

  # 3. Fixed-effect factors; with fixef_rm = "singleton", drop observations alone in a group of any fixed
  #    effect, and repeat until none remain (a removal can leave another group with one observation).
  Q <- length(s$fe)
  fe_names <- vapply(s$fe, paste, "", collapse = "^")
  make_fe <- function(d) lapply(s$fe, function(v) group_factor(d, v))
  fes <- make_fe(d)
  singletons <- 0
  if (s$fixef_rm == "singleton" && Q > 0) {
    repeat {
      alone <- Reduce(`|`, lapply(fes, function(f) table(f)[as.character(f)] == 1), FALSE)
      if (!any(alone)) break
      singletons <- singletons + sum(alone)
      d <- d[!alone, , drop = FALSE]
      fes <- make_fe(d)
    }
  }
  n <- nrow(d)
  G <- vapply(fes, nlevels, 0L)
  for (q in seq_len(Q)) d[[paste0(".fe", q)]] <- fes[[q]]
  w <- if (is.null(s$weights)) rep(1, n) else d[[s$weights]]
  d$.w <- w  # lm() looks weights up in `data` first: name them explicitly (the data may hold a column "w")

  # 4. The regression: lm() with one dummy per fixed-effect group (lm drops the redundant ones), or with an
  #    intercept when there is no fixed effect. Weights are analytic: lm(weights = w) minimises sum w e^2.
  rhs <- c(s$x, if (Q) paste0(".fe", seq_len(Q)))
  fml <- as.formula(paste(s$y, "~", paste(rhs, collapse = " + ")))
  fit <- lm(fml, data = d, weights = .w)
  terms <- if (Q) s$x else c("(Intercept)", s$x)
  b <- coef(fit)[terms]
  stopifnot(!anyNA(b))
  e <- residuals(fit)
  y <- d[[s$y]]
  rss <- sum(w * e^2)

  # 5. Parameter counts (fixest's nparams): k coefficients, plus sum(G) - (Q - 1) fixed-effect parameters
  #    (each fixed effect after the first repeats the constant). fixest does not look for further
  #    redundancies (ssc(fixef.force_exact = FALSE)), so K can exceed lm's rank when the fixed effects are
  #    disconnected (panel_cascade); otherwise the two agree, which is checked.
  k <- length(terms)
  K_fe <- if (Q) sum(G) - (Q - 1) else 0
  K <- k + K_fe
  if (!grepl("^cascade", s$id)) stopifnot(fit$rank == K)

  # Uncorrected sandwich pieces, regressor block only.
  bread <- summary(fit)$cov.unscaled[terms, terms]             # (X~'WX~)^-1
  meat_cluster <- function(cl) {                              # (X~'WX~)^-1 [sum_g s_g s_g'] (X~'WX~)^-1
    vcovCL(fit, cluster = cl, type = "HC0", cadjust = FALSE)[terms, terms]
  }

  cluster_info <- list()
  psd_fixed <- FALSE
  min_eigen <- NA
  if (identical(s$vcov, "iid")) {
    # iid: sigma^2 = RSS / (n - K), K counting every fixed-effect parameter (nothing is nested without
    # clusters).
    V <- rss / (n - K) * bread
    df_t <- n - K
    K_ssc <- K
  } else if (identical(s$vcov, "hetero")) {
    # HC1: HC0 * (n - 1)/(n - K) [adj] * n/(n - 1) [cluster.adj, every observation its own cluster]
    #    = HC0 * n / (n - K).
    V <- vcovHC(fit, type = "HC0")[terms, terms] * (n - 1) / (n - K) * n / (n - 1)
    if (fit$rank == K) stopifnot(max(abs(V - vcovHC(fit, type = "HC1")[terms, terms])) <= 1e-12 * max(abs(V)))
    df_t <- n - K
    K_ssc <- K
  } else {
    # CRV1, one-way or multiway by inclusion-exclusion over the non-empty sets S of cluster variables,
    # clustering on their intersection:  V = sum_S (-1)^(|S|+1) V_S(HC0, no G adjustment).
    cl_vars <- s$vcov
    cl <- lapply(cl_vars, function(v) group_factor(d, v))
    Gc <- vapply(cl, nlevels, 0L)
    V <- 0
    for (size in seq_along(cl_vars)) {
      for (S in combn(length(cl_vars), size, simplify = FALSE)) {
        inter <- factor(do.call(paste, c(lapply(cl[S], as.character), sep = "\r")))
        V <- V + (-1)^(size + 1) * meat_cluster(inter)
      }
    }
    # cluster.adj with cluster.df = "min": one G_min / (G_min - 1) for the whole sum.
    Gmin <- min(Gc)
    V <- V * Gmin / (Gmin - 1)
    # adj with fixef.K = "nested": (n - 1) / (n - K'), where K' leaves out the parameters of fixed effects
    # nested in a cluster variable: each nested fixed effect gives back G_q - 1 (fixest 0.12:
    # K - (sum(G[nested]) - #nested); when all are nested, K' = k + 1, the same number).
    nested <- vapply(seq_len(Q), function(q) any(vapply(cl, function(c) is_nested(fes[[q]], c), TRUE)), TRUE)
    K_ssc <- K - sum(G[nested] - 1)
    V <- V * (n - 1) / (n - K_ssc)
    # fixest repairs a multiway variance only when a diagonal element is negative (mat_posdef_fix:
    # eigenvalues floored at 1e-10). Recorded so a reader sees whether that branch was taken.
    min_eigen <- min(eigen(V, symmetric = TRUE, only.values = TRUE)$values)
    if (any(diag(V) < 0)) {
      ev <- eigen(V, symmetric = TRUE)
      V <- ev$vectors %*% diag(pmax(ev$values, 1e-10), nrow(V)) %*% t(ev$vectors)
      dimnames(V) <- list(terms, terms)
      psd_fixed <- TRUE
    }
    # Without fixed effects and with one cluster variable this is sandwich's own CRV1 (HC1 in vcovCL is
    # (n - 1)/(n - k) and cadjust is G/(G - 1)): checked.
    if (Q == 0 && length(cl_vars) == 1) {
      stopifnot(max(abs(V - vcovCL(fit, cluster = cl[[1]], type = "HC1", cadjust = TRUE)[terms, terms])) <= 1e-12 * max(abs(V)))
    }
    # t.df = "min": t(G_min - 1) for p-values.
    df_t <- Gmin - 1
    cluster_info <- lapply(seq_along(cl_vars), function(j) list(name = cl_vars[j], G = Gc[[j]]))
  }

  se <- sqrt(diag(V))
  tstat <- b / se
  pval <- 2 * pt(-abs(tstat), df_t)

  # 6. Fit statistics. R2 = 1 - RSS/TSS, TSS around the (weighted) mean; adjusted with (n - 1)/(n - K).
  tss <- sum(w * (y - wmean(y, w))^2)
  r2 <- 1 - rss / tss
  adj_r2 <- 1 - (1 - r2) * (n - 1) / (n - K)
  if (fit$rank == K) stopifnot(abs(adj_r2 - summary(fit)$adj.r.squared) < 1e-12, abs(r2 - summary(fit)$r.squared) < 1e-12)
  r2_within <- NULL
  constant <- NULL
  if (Q) {
    # Within R2: 1 - RSS / (sum of squares of y after absorbing the fixed effects), the latter from the
    # residuals of y regressed on the fixed-effect dummies alone (weighted when the model is).
    fe_only <- lm(as.formula(paste(s$y, "~", paste(paste0(".fe", seq_len(Q)), collapse = " + "))), data = d, weights = .w)
    r2_within <- 1 - rss / sum(w * residuals(fe_only)^2)
    # reghdfe's constant: mean(y) - mean(X)'b over the estimation sample (weighted means when weighted).
    constant <- wmean(y, w) - sum(vapply(s$x, function(v) wmean(d[[v]], w), 0) * b)
  }

  fixef_sizes <- if (Q) as.list(setNames(as.integer(G), fe_names)) else setNames(list(), character(0))
  list(
    id = s$id,
    data = paste0(s$data, ".csv"),
    formula = didwasm_formula(s),
    vcov = vcov_label(s$vcov),
    weights = s$weights,
    subset = s$subset,
    fixef_rm = s$fixef_rm,
    expect = list(
      nobs = n,
      singletons_removed = singletons,
      coefficients = lapply(seq_along(terms), function(j) {
        list(term = terms[j], estimate = unname(b[j]), std_error = unname(se[j]), statistic = unname(tstat[j]), p_value = unname(pval[j]))
      }),
      r2 = r2,
      adj_r2 = adj_r2,
      r2_within = r2_within,
      constant = constant,
      df_t = df_t,
      fixef_sizes = fixef_sizes,
      clusters = cluster_info
    ),
    info = list(
      parameters_K = K,
      parameters_in_ssc = K_ssc,
      lm_rank = fit$rank,
      vcov_min_eigenvalue = min_eigen,
      vcov_repaired = psd_fixed
    )
  )
}

results <- lapply(models, fit_one)
out <- list(
  generated_by = "test/golden/golden.R",
  r_version = R.version.string,
  sandwich_version = as.character(packageVersion("sandwich")),
  models = results
)
writeLines(toJSON(out, auto_unbox = TRUE, digits = NA, null = "null", pretty = TRUE), file.path(dir, "expected.json"))
cat("wrote", file.path(dir, "expected.json"), ":", length(results), "models\n")
