# Golden numbers for didwasm's imputation estimator (Borusyak, Jaravel and Spiess 2024), computed by brute
# force in base R from the paper's formulas, without didimputation or did_imputation:
#   1. lm on the untreated rows: y on controls and unit and year dummies (lm.wfit with the dense design Z);
#   2. tau_hat = y - Z b on treated rows;
#   3. target weights a (0 on untreated rows), normalized so that sum(w a) = 1; estimate sum(w a tau_hat);
#   4. the estimator's weights on every row: v = a on treated rows, v = -Z0 (Z0'W Z0)^-1 Z'W a on untreated;
#   5. residuals: the first-stage residual on untreated rows; on treated rows tau_hat - tau_tilde, tau_tilde the
#      average of tau_hat within the averaging group (cohort x year by default), each row weighted by w a times
#      its cluster's total w a in the group; leave-out: times D_g / (D_g - CW_cg^2), D_g = sum_c CW_cg^2;
#   6. V = sum_c (sum_{i in c} w v e)(...)' (Theorem 3), no small-sample factor; normal inference.
# Pre-trend test: fixest's feols on the untreated rows with dummies for 1..K periods before treatment,
# clustered, and the Wald F on (K, G - 1) degrees of freedom.
#
# Usage (from the project root): Rscript test/golden/imputation.R [test/golden]
# Reads DIR/data/staggered.csv (generated, see make-golden.sh) and fixest's base_stagg (public; written to
# DIR/data/base_stagg.csv with the treatment indicator for the TypeScript side), writes
# DIR/imputation-expected.json.
suppressPackageStartupMessages({
  library(jsonlite)
  library(fixest)
})
args <- commandArgs(trailingOnly = TRUE)
dir <- if (length(args) >= 1) args[1] else "test/golden"

staggered <- read.csv(file.path(dir, "data", "staggered.csv"))
data(base_stagg, package = "fixest")
bs <- base_stagg[order(base_stagg$id, base_stagg$year), c("id", "year", "year_treated", "x1", "y")]
bs$treat <- as.numeric(bs$year >= bs$year_treated)
write.csv(bs, file.path(dir, "data", "base_stagg.csv"), row.names = FALSE)

imputation_brute <- function(id, dataset, unit, time, controls = character(0), weights = NULL, cluster = unit,
                             horizons = NULL, leave_out = TRUE, avg_by = "cohort-time", pretrends = 0) {
  d <- if (dataset == "staggered") staggered else bs
  # The unit's first treated period, from every row (also those the sample drops for missing values).
  d$first <- ave(ifelse(d$treat == 1, d[[time]], Inf), d[[unit]], FUN = min)
  d <- d[complete.cases(d[, c("y", "treat", controls)]), ]
  first <- d$first
  untr <- d$treat == 0
  ok <- d[[unit]] %in% d[[unit]][untr] & d[[time]] %in% d[[time]][untr]
  d <- d[ok, ]
  first <- first[ok]
  untr <- untr[ok]
  K <- d[[time]] - first
  w <- if (is.null(weights)) rep(1, nrow(d)) else d[[weights]]
  rhs <- paste(c(controls, sprintf("factor(%s)", unit), sprintf("factor(%s)", time)), collapse = " + ")
  Z <- model.matrix(as.formula(paste("~", rhs)), data = d)
  Z0 <- Z[untr, , drop = FALSE]
  b <- coef(lm.wfit(Z0, d$y[untr], w[untr]))
  stopifnot(!anyNA(b))
  e0 <- d$y - drop(Z %*% b) # first-stage residual (untreated) or tau_hat (treated)
  Ainv <- solve(crossprod(Z0 * w[untr], Z0))
  cl <- d[[cluster]]
  grp <- switch(avg_by,
    "cohort-time" = paste(first, d[[time]]), cohort = paste(first), horizon = paste(K), treated = rep("all", nrow(d))
  )

  target <- function(sel) {
    a <- ifelse(sel, 1, 0)
    a <- a / sum(w * a)
    est <- sum(w * a * e0)
    v <- a
    v[untr] <- -drop(Z0 %*% (Ainv %*% crossprod(Z * w, a)))
    p <- w * a
    on <- sel
    CW <- ave(p, cl, grp, FUN = sum)
    Dg <- ave(CW * p, grp, FUN = sum)
    tilde <- ave(CW * p * e0, grp, FUN = sum) / Dg
    e <- ifelse(untr, e0, 0)
    r <- e0 - tilde
    if (leave_out) r <- r * Dg / (Dg - CW^2)
    e[on] <- r[on]
    list(est = est, eps = tapply(w * v * e, cl, sum), n = sum(sel))
  }
  row <- function(term, rel, t, se) {
    list(term = term, rel_time = rel, estimate = t$est, std_error = se, nobs = t$n)
  }
  ov <- target(!untr)
  overall <- row("ATT", NULL, ov, sqrt(sum(ov$eps^2)))
  out <- list(
    id = id, dataset = dataset, unit = unit, time = time, controls = I(controls), weights = weights, cluster = cluster,
    horizons = if (is.null(horizons)) NULL else paste(horizons, collapse = ","), leave_out = leave_out, avg_by = avg_by,
    pretrends = pretrends,
    expect = list(nobs = nrow(d), treated_obs = sum(!untr), overall = overall)
  )
  if (!is.null(horizons)) {
    ts <- lapply(horizons, function(h) target(!untr & K == h))
    E <- sapply(ts, function(t) t$eps)
    V <- crossprod(E)
    out$expect$event <- lapply(seq_along(horizons), function(j) row(paste0("tau", horizons[j]), horizons[j], ts[[j]], sqrt(V[j, j])))
    out$expect$event_vcov <- V
  }
  if (pretrends > 0) {
    du <- d[untr, ]
    Ku <- K[untr]
    pre <- paste0("pre", seq_len(pretrends))
    for (h in seq_len(pretrends)) du[[pre[h]]] <- as.numeric(Ku == -h)
    fml <- as.formula(sprintf("y ~ %s | %s + %s", paste(c(pre, controls), collapse = " + "), unit, time))
    m <- if (is.null(weights)) feols(fml, du, cluster = as.formula(paste("~", cluster)), fixef.tol = 1e-11) else
      feols(fml, du, cluster = as.formula(paste("~", cluster)), weights = du[[weights]], fixef.tol = 1e-11)
    bp <- coef(m)[pre]
    Vp <- vcov(m)[pre, pre]
    G <- length(unique(du[[cluster]]))
    Fs <- drop(t(bp) %*% solve(Vp, bp)) / pretrends
    out$expect$pretrends <- list(
      coefficients = lapply(seq_len(pretrends), function(h) list(term = pre[h], estimate = unname(bp[h]), std_error = sqrt(Vp[h, h]))),
      statistic = Fs, df1 = pretrends, df2 = G - 1, p_value = pf(Fs, pretrends, G - 1, lower.tail = FALSE)
    )
  }
  out
}

cases <- list(
  imputation_brute("staggered_all_leaveout", "staggered", "unit", "year", horizons = 0:5, pretrends = 2),
  imputation_brute("staggered_controls_weights_plain", "staggered", "unit", "year", controls = c("x1", "x2"), weights = "w",
                   horizons = 0:3, leave_out = FALSE),
  imputation_brute("staggered_state_by_horizon", "staggered", "unit", "year", controls = "x1", cluster = "state",
                   horizons = 0:5, avg_by = "horizon", pretrends = 3),
  imputation_brute("base_stagg_x1", "base_stagg", "id", "year", controls = "x1", horizons = 0:8, pretrends = 3),
  imputation_brute("base_stagg_by_cohort", "base_stagg", "id", "year", avg_by = "cohort")
)
writeLines(toJSON(list(generated_by = "test/golden/imputation.R", r_version = R.version.string, fixest = as.character(packageVersion("fixest")), cases = cases),
                  auto_unbox = TRUE, digits = I(15), pretty = TRUE, null = "null"),
           file.path(dir, "imputation-expected.json"))
