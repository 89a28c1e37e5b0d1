# Golden numbers for csdid with covariates: Callaway and Sant'Anna (2021) ATT(g,t) with doubly robust
# (improved, Sant'Anna and Zhao 2020: inverse-probability-tilting propensity + propensity-weighted outcome
# regression; and the traditional one: logit propensity + OLS outcome regression), inverse probability
# weighting (normalised) and outcome regression 2x2 estimators, their influence functions, and the four
# aggregations with the influence of the estimated group shares. Written from the papers' formulas with
# base R (glm logit, lm.wfit), not from any package's code.
# Usage: Rscript covariates.R  (run from this directory; writes covariates.json)
options(digits = 15)

logit_coef <- function(X, D) suppressWarnings(glm.fit(X, D, family = binomial())$coefficients)

# Inverse probability tilting (Graham, Pinto and Egel 2012) as the improved DR uses it: minimise
# mean(-D x'g + (1-D) exp(x'g)) by Newton's method from the logit coefficients.
ipt_coef <- function(X, D) {
  g <- logit_coef(X, D)
  for (it in 1:200) {
    e <- as.vector(exp(X %*% g))
    grad <- -colMeans((D - (1 - D) * e) * X)
    hess <- crossprod(X * ((1 - D) * e), X) / nrow(X)
    step <- solve(hess, grad)
    g <- g - step
    if (max(abs(step)) < 1e-13) break
  }
  g
}

wls <- function(X, y, w, keep) lm.wfit(X[keep, , drop = FALSE], y[keep], w[keep])$coefficients

trim_of <- function(ps, D) ifelse(D == 1, TRUE, ps < 0.995)

# Panel 2x2 estimators: each returns ATT and its influence function (length n1, mean-zero scale).
panel_dr_imp <- function(dy, D, X) {
  n <- length(D)
  ps <- pmin(plogis(as.vector(X %*% ipt_coef(X, D))), 1 - 1e-6)
  tr <- trim_of(ps, D)
  b <- wls(X, dy, ps / (1 - ps), D == 0)
  m <- as.vector(X %*% b)
  s <- tr * (1 - (1 - D) / (1 - ps)) * (dy - m)
  att <- mean(s) / mean(D)
  list(att = att, inf = tr * (s - D * att) / mean(D))
}

panel_dr_trad <- function(dy, D, X) {
  n <- length(D)
  ps <- pmin(plogis(as.vector(X %*% logit_coef(X, D))), 1 - 1e-6)
  tr <- trim_of(ps, D)
  b <- wls(X, dy, rep(1, n), D == 0)
  m <- as.vector(X %*% b)
  wt <- tr * D; wc <- tr * ps * (1 - D) / (1 - ps)
  et <- mean(wt * (dy - m)) / mean(wt); ec <- mean(wc * (dy - m)) / mean(wc)
  alr_ols <- ((1 - D) * (dy - m) * X) %*% solve(crossprod((1 - D) * X, X) / n)
  alr_ps <- ((D - ps) * X) %*% solve(crossprod(X * (ps * (1 - ps)), X) / n)
  inf_t <- (wt * (dy - m) - wt * et - alr_ols %*% colMeans(wt * X)) / mean(wt)
  inf_c <- (wc * (dy - m) - wc * ec + alr_ps %*% colMeans(wc * (dy - m - ec) * X) - alr_ols %*% colMeans(wc * X)) / mean(wc)
  list(att = et - ec, inf = as.vector(inf_t - inf_c))
}

panel_ipw <- function(dy, D, X) {
  n <- length(D)
  ps <- pmin(plogis(as.vector(X %*% logit_coef(X, D))), 1 - 1e-6)
  tr <- trim_of(ps, D)
  wt <- tr * D; wc <- tr * ps * (1 - D) / (1 - ps)
  et <- mean(wt * dy) / mean(wt); ec <- mean(wc * dy) / mean(wc)
  alr_ps <- ((D - ps) * X) %*% solve(crossprod(X * (ps * (1 - ps)), X) / n)
  inf_t <- (wt * dy - wt * et) / mean(wt)
  inf_c <- (wc * dy - wc * ec + alr_ps %*% colMeans(wc * (dy - ec) * X)) / mean(wc)
  list(att = et - ec, inf = as.vector(inf_t - inf_c))
}

panel_reg <- function(dy, D, X) {
  n <- length(D)
  b <- wls(X, dy, rep(1, n), D == 0)
  m <- as.vector(X %*% b)
  et <- mean(D * dy) / mean(D); ec <- mean(D * m) / mean(D)
  alr_ols <- ((1 - D) * (dy - m) * X) %*% solve(crossprod((1 - D) * X, X) / n)
  inf_t <- (D * dy - D * et) / mean(D)
  inf_c <- (D * m - D * ec + alr_ols %*% colMeans(D * X)) / mean(D)
  list(att = et - ec, inf = as.vector(inf_t - inf_c))
}

# Repeated cross sections 2x2 estimators: y, post (0 = base period, 1 = period t), D, X per observation.
ols_fit <- function(X, y, w, keep) as.vector(X %*% wls(X, y, w, keep))
# Linear representation of a least-squares fit on rows with weight w, applied to a moment vector v.
ols_rep <- function(X, y, w, fitted, v) as.vector((w * (y - fitted)) * (X %*% solve(crossprod(X * w, X) / nrow(X), v)))
ps_rep <- function(X, D, ps, v) as.vector((D - ps) * (X %*% solve(crossprod(X * (ps * (1 - ps)), X) / nrow(X), v)))
nrm <- function(w, a) { mw <- mean(w); eta <- w * a / mw; att <- mean(eta); list(att = att, inf = eta - w * att / mw, mw = mw) }

rc_reg <- function(y, post, D, X) {
  c0 <- (1 - D) * (1 - post); c1 <- (1 - D) * post
  m0 <- ols_fit(X, y, c0, c0 > 0); m1 <- ols_fit(X, y, c1, c1 > 0)
  tpre <- nrm(D * (1 - post), y); tpost <- nrm(D * post, y); cont <- nrm(D, m1 - m0)
  M1 <- colMeans(D * X)
  inf <- tpost$inf - tpre$inf - (cont$inf + (ols_rep(X, y, c1, m1, M1) - ols_rep(X, y, c0, m0, M1)) / cont$mw)
  list(att = tpost$att - tpre$att - cont$att, inf = inf)
}

rc_ipw <- function(y, post, D, X) {
  ps <- pmin(plogis(as.vector(X %*% logit_coef(X, D))), 1 - 1e-6); tr <- trim_of(ps, D)
  wc0 <- tr * ps * (1 - D) * (1 - post) / (1 - ps); wc1 <- tr * ps * (1 - D) * post / (1 - ps)
  tpre <- nrm(D * (1 - post), y); tpost <- nrm(D * post, y); cpre <- nrm(wc0, y); cpost <- nrm(wc1, y)
  M2pre <- colMeans(wc0 * (y - cpre$att) * X) / cpre$mw; M2post <- colMeans(wc1 * (y - cpost$att) * X) / cpost$mw
  inf <- tpost$inf - tpre$inf - (cpost$inf - cpre$inf + ps_rep(X, D, ps, M2post - M2pre))
  list(att = tpost$att - tpre$att - (cpost$att - cpre$att), inf = inf)
}

rc_dr <- function(y, post, D, X, improved) {
  ps <- pmin(plogis(as.vector(X %*% (if (improved) ipt_coef(X, D) else logit_coef(X, D)))), 1 - 1e-6); tr <- trim_of(ps, D)
  odds <- ps / (1 - ps)
  c0 <- (1 - D) * (1 - post); c1 <- (1 - D) * post; t0 <- D * (1 - post); t1 <- D * post
  wo0 <- if (improved) c0 * odds else c0; wo1 <- if (improved) c1 * odds else c1
  mc0 <- ols_fit(X, y, wo0, c0 > 0); mc1 <- ols_fit(X, y, wo1, c1 > 0)
  mt0 <- ols_fit(X, y, t0, t0 > 0); mt1 <- ols_fit(X, y, t1, t1 > 0)
  mc <- post * mc1 + (1 - post) * mc0
  wc0 <- tr * odds * c0; wc1 <- tr * odds * c1
  tpre <- nrm(t0, y - mc); tpost <- nrm(t1, y - mc); cpre <- nrm(wc0, y - mc); cpost <- nrm(wc1, y - mc)
  dpost <- nrm(D, mt1 - mc1); dt1 <- nrm(t1, mt1 - mc1); dpre <- nrm(D, mt0 - mc0); dt0 <- nrm(t0, mt0 - mc0)
  att <- tpost$att - tpre$att - (cpost$att - cpre$att) + (dpost$att - dt1$att) - (dpre$att - dt0$att)
  inf <- tpost$inf - tpre$inf - (cpost$inf - cpre$inf) + (dpost$inf - dt1$inf) - (dpre$inf - dt0$inf)
  if (!improved) {
    M1post <- -colMeans(t1 * post * X) / tpost$mw; M1pre <- -colMeans(t0 * (1 - post) * X) / tpre$mw
    M2pre <- colMeans(wc0 * (y - mc - cpre$att) * X) / cpre$mw; M2post <- colMeans(wc1 * (y - mc - cpost$att) * X) / cpost$mw
    M3post <- -colMeans(wc1 * post * X) / cpost$mw; M3pre <- -colMeans(wc0 * (1 - post) * X) / cpre$mw
    mom_post <- colMeans((D / mean(D) - t1 / mean(t1)) * X); mom_pre <- colMeans((D / mean(D) - t0 / mean(t0)) * X)
    treat_or <- ols_rep(X, y, c1, mc1, M1post) + ols_rep(X, y, c0, mc0, M1pre)
    cont <- ps_rep(X, D, ps, M2post - M2pre) + ols_rep(X, y, c1, mc1, M3post) + ols_rep(X, y, c0, mc0, M3pre)
    or <- (ols_rep(X, y, t1, mt1, mom_post) - ols_rep(X, y, c1, mc1, mom_post)) - (ols_rep(X, y, t0, mt0, mom_pre) - ols_rep(X, y, c0, mc0, mom_pre))
    inf <- inf + treat_or - cont + or
  }
  list(att = att, inf = inf)
}
rc_dr_trad <- function(y, post, D, X) rc_dr(y, post, D, X, FALSE)
rc_dr_imp <- function(y, post, D, X) rc_dr(y, post, D, X, TRUE)

# ATT(g,t) on repeated cross sections (long: one row per observation), did's panel = FALSE.
att_gt_rc <- function(d, y, time, cohort, xs, estimator, control = "never") {
  G <- d[[cohort]]; G[G == 0] <- Inf
  periods <- sort(unique(d[[time]]))
  keep <- !(is.finite(G) & G <= periods[1])
  d <- d[keep, ]; G <- G[keep]
  n <- nrow(d); X <- cbind(1, as.matrix(d[, xs, drop = FALSE])); Y <- d[[y]]; P <- match(d[[time]], periods)
  cells <- list()
  for (g in sort(unique(G[is.finite(G)]))) {
    pret_g <- max(which(periods < g))
    for (tk in 2:length(periods)) {
      bk <- if (g <= periods[tk]) pret_g else tk - 1
      later <- periods[max(tk, bk)]
      C <- !is.finite(G) | (control == "notyet" & G > later & G != g)
      rows <- which((P == tk | P == bk) & (G == g | C))
      r <- estimator(Y[rows], as.numeric(P[rows] == tk), as.numeric(G[rows] == g), X[rows, , drop = FALSE])
      inf <- numeric(n); inf[rows] <- (n / length(rows)) * r$inf
      cells[[length(cells) + 1]] <- list(g = g, t = periods[tk], att = r$att, inf = inf)
    }
  }
  aggregate_all(cells, G)
}

# ATT(g,t) on a balanced panel (wide: one row per unit; Y[i, k] outcome in period k), did's conventions:
# varying base period (t-1 before treatment, g-1-anticipation after), covariates at the earlier period.
att_gt <- function(Y, Xs, G, periods, estimator, control = "never", anticipation = 0, universal = FALSE) {
  n <- nrow(Y); Tn <- length(periods)
  groups <- sort(unique(G[is.finite(G)]))
  cells <- list()
  for (g in groups) {
    pre_g <- which(periods + anticipation < g)
    if (length(pre_g) == 0) next
    pret_g <- max(pre_g)
    for (tk in (if (universal) 1 else 2):Tn) {
      bk <- if (universal || g <= periods[tk]) pret_g else tk - 1
      if (bk == tk) {
        cells[[length(cells) + 1]] <- list(g = g, t = periods[tk], att = 0, inf = numeric(n))
        next
      }
      later <- periods[max(tk, bk)] + anticipation
      C <- !is.finite(G) | (control == "notyet" & G > later & G != g)
      Dg <- G == g
      keep <- Dg | C
      X <- Xs[[min(tk, bk)]][keep, , drop = FALSE]
      r <- estimator(Y[keep, tk] - Y[keep, bk], as.numeric(Dg[keep]), X)
      inf <- numeric(n); inf[keep] <- (n / sum(keep)) * r$inf
      cells[[length(cells) + 1]] <- list(g = g, t = periods[tk], att = r$att, inf = inf)
    }
  }
  cells
}

se_of <- function(inf) sqrt(sum(inf^2)) / length(inf)

# Weighted by group shares P(G = g), with the influence of estimating the shares (did's aggte).
share_weighted <- function(items, G) {
  n <- length(G)
  p <- sapply(items, function(c) mean(G == c$g))
  S <- sum(p); w <- p / S
  att <- sum(w * sapply(items, `[[`, "att"))
  inf <- Reduce(`+`, Map(function(c, wk) wk * c$inf, items, w))
  ind <- sapply(items, function(c) (G == c$g) - mean(G == c$g))
  if (is.null(dim(ind))) ind <- matrix(ind, ncol = length(items))
  wif <- ind / S - rowSums(ind) %o% (p / S^2)
  list(att = att, inf = inf + as.vector(wif %*% sapply(items, `[[`, "att")))
}
mean_of <- function(items) list(att = mean(sapply(items, `[[`, "att")), inf = Reduce(`+`, lapply(items, `[[`, "inf")) / length(items))

aggregate_all <- function(cells, G) {
  post <- Filter(function(c) c$t >= c$g, cells)
  es <- sort(unique(sapply(cells, function(c) c$t - c$g)))
  dyn <- lapply(es, function(e) share_weighted(Filter(function(c) c$t - c$g == e, cells), G))
  grp_ids <- sort(unique(sapply(post, `[[`, "g")))
  grp <- lapply(grp_ids, function(g) { m <- mean_of(Filter(function(c) c$g == g, post)); m$g <- g; m })
  cal_ids <- sort(unique(sapply(post, `[[`, "t")))
  cal <- lapply(cal_ids, function(t) share_weighted(Filter(function(c) c$t == t, post), G))
  out <- function(p) list(att = p$att, se = se_of(p$inf))
  list(
    att_gt = lapply(cells, function(c) list(group = c$g, time = c$t, att = c$att, se = se_of(c$inf))),
    dynamic = Map(function(e, p) c(list(e = e), out(p)), es, dyn),
    group = Map(function(g, p) c(list(group = g), out(p)), grp_ids, grp),
    calendar = Map(function(t, p) c(list(time = t), out(p)), cal_ids, cal),
    overall = list(simple = out(share_weighted(post, G)), dynamic = out(mean_of(dyn[es >= 0])),
                   group = out(share_weighted(grp, G)), calendar = out(mean_of(cal)))
  )
}

wide <- function(d, y, unit, time, cohort, xs) {
  d <- d[order(d[[unit]], d[[time]]), ]
  periods <- sort(unique(d[[time]]))
  ids <- unique(d[[unit]])
  Y <- matrix(d[[y]], ncol = length(periods), byrow = TRUE)
  Xs <- lapply(periods, function(p) { s <- d[d[[time]] == p, ]; cbind(1, as.matrix(s[, xs, drop = FALSE])) })
  G <- d[[cohort]][d[[time]] == periods[1]]
  G[G == 0] <- Inf
  keep <- !(is.finite(G) & G <= periods[1])
  list(Y = Y[keep, , drop = FALSE], Xs = lapply(Xs, function(X) X[keep, , drop = FALSE]), G = G[keep], periods = periods)
}

run <- function(w, est, control = "never", anticipation = 0, universal = FALSE) {
  aggregate_all(att_gt(w$Y, w$Xs, w$G, w$periods, est, control, anticipation, universal), w$G)
}

# A generated staggered panel (300 units x 6 periods, cohorts 3, 4, 5 and never treated), selection on a
# time-invariant x2 and a time-varying x1, trends depending on both, effects growing with exposure.
generated <- function() {
  set.seed(20261206)
  N <- 300; Tn <- 6
  x2 <- rnorm(N)
  cohort <- sample(c(0, 3, 4, 5), N, replace = TRUE, prob = c(0.4, 0.2, 0.2, 0.2))
  cohort[x2 > 1 & cohort == 0] <- 4
  rows <- expand.grid(period = 1:Tn, unit = 1:N)
  u <- rows$unit; p <- rows$period
  x1 <- round(0.5 * x2[u] + 0.3 * p + rnorm(N * Tn, sd = 0.5), 6)
  eff <- ifelse(cohort[u] > 0 & p >= cohort[u], 1 + 0.5 * (p - cohort[u]) + 0.3 * x2[u], 0)
  y <- round(rnorm(N)[u] + 0.2 * p + 0.4 * x2[u] * p / Tn + 0.3 * x1 + eff + rnorm(N * Tn, sd = 0.3), 6)
  data.frame(unit = u, period = p, cohort = cohort[u], x1 = x1, x2 = round(x2[u], 6), y = y)
}

if (sys.nframe() == 0) {
  library(jsonlite)
  mpdta <- read.csv("../data/mpdta.csv")
  gen <- generated()
  write.csv(gen, "../data/csdid_covariates.csv", row.names = FALSE)
  gen <- read.csv("../data/csdid_covariates.csv")
  methods <- list(dr = panel_dr_trad, "dr-imp" = panel_dr_imp, ipw = panel_ipw, reg = panel_reg)
  w_m <- wide(mpdta, "lemp", "countyreal", "year", "first.treat", "lpop")
  w_0 <- wide(mpdta, "lemp", "countyreal", "year", "first.treat", character(0))
  w_g <- wide(gen, "y", "unit", "period", "cohort", c("x1", "x2"))
  out <- list(mpdta = list(), mpdta_unconditional = run(w_0, panel_reg), generated = list(), rc = list())
  for (m in names(methods)) {
    out$mpdta[[m]] <- list(never = run(w_m, methods[[m]]), notyet = run(w_m, methods[[m]], "notyet"))
    out$generated[[m]] <- list(
      never = run(w_g, methods[[m]]),
      notyet_anticipation1 = run(w_g, methods[[m]], "notyet", 1),
      universal = run(w_g, methods[[m]], universal = TRUE)
    )
  }
  rc_methods <- list(dr = rc_dr_trad, "dr-imp" = rc_dr_imp, ipw = rc_ipw, reg = rc_reg)
  out$rc_unconditional <- att_gt_rc(mpdta, "lemp", "year", "first.treat", character(0), rc_reg)
  for (m in names(rc_methods)) {
    out$rc[[m]] <- list(
      mpdta = att_gt_rc(mpdta, "lemp", "year", "first.treat", "lpop", rc_methods[[m]]),
      generated_notyet = att_gt_rc(gen, "y", "period", "cohort", c("x1", "x2"), rc_methods[[m]], "notyet")
    )
  }
  writeLines(toJSON(out, auto_unbox = TRUE, digits = NA, pretty = FALSE), "covariates.json")
}
