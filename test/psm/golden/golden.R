# Golden numbers for didwasm's logit and psm, computed independently in R:
#   - the propensity score: glm(family = binomial), run to a tight tolerance (epsilon 1e-14);
#   - nearest-neighbour matching: MatchIt's matchit(method = "nearest", replace = ...), checked against
#     a brute-force nearest-neighbour search written below;
#   - radius and kernel matching (psmatch2's definitions): brute force below;
#   - the balance table: Stata pstest's formulas, the weighted t-test checked against an expanded-rows
#     regression where the weights are whole numbers;
#   - the DID on the matched panel: lm() with unit and year dummies, weights, and the sandwich package with
#     fixest 0.12's default small-sample corrections written out (as test/golden/golden.R does).
#
# MATCHIT 4.5.1 (Debian's r-cran-matchit, the version installed here) compares propensity-score
# distances as abs() of an int: its C++ (nn_matchC_vec) truncates each difference to a whole number, so
# every probability difference counts as 0: the next lower control score always wins and the caliper never
# binds (upstream issue kosukeimai/MatchIt#163, "caliper not working as intended on versions 4.5.1 -
# 4.5.3"). This script therefore calls matchit() twice:
#   * with the glm distance as is, exactly as a user of 4.5.1 would: the expected values of didwasm's
#     --compat matchit-4.5.1 mode;
#   * with distance = 1e9 * score (and the caliper scaled alike): truncation then acts below 1e-9 in
#     probability units, so the matches are the true nearest neighbours (the script checks no two
#     candidate distances are closer than 1e-6), and they must equal the brute-force search: the expected
#     values of didwasm's default mode. 1e9 keeps every scaled difference below 2^31, where converting to
#     int is defined.
#
# Usage (from the project root): Rscript test/psm/golden/golden.R DATA_DIR [OUT_DIR]
# DATA_DIR holds the CSVs written by make-golden.sh with the didwasm CLI; expected.json goes to OUT_DIR
# (default test/psm/golden) with the MD5 of each CSV, which the test checks against the generator.

suppressPackageStartupMessages({
  library(MatchIt)
  library(sandwich)
  library(jsonlite)
})

args <- commandArgs(trailingOnly = TRUE)
data_dir <- args[1]
out_dir <- if (length(args) >= 2) args[2] else "test/psm/golden"

files <- c(smart_city = "smart-city.csv", smart_city_7 = "smart-city-seed7.csv")
datasets <- lapply(files, function(f) read.csv(file.path(data_dir, f), stringsAsFactors = FALSE))
md5 <- setNames(lapply(files, function(f) unname(tools::md5sum(file.path(data_dir, f)))), files)

COVS6 <- c("lngdp", "lnfin", "upg", "lnfis", "fix", "tra")
case <- function(id, data, covariates, pre = NULL, method = "nearest", neighbors = 1, replace = TRUE, caliper = NULL,
                 kernel = "epan", bandwidth = 0.06, common = FALSE, y = NULL, formula = NULL, x = character(0),
                 vcov = "city", did_weights = "count", compat = NULL) {
  list(id = id, data = data, covariates = covariates, pre = pre, method = method, neighbors = neighbors, replace = replace,
       caliper = caliper, kernel = kernel, bandwidth = bandwidth, common = common, y = y, formula = formula, x = x,
       vcov = vcov, did_weights = did_weights, compat = compat)
}
cases <- list(
  # The conformance-style call: 6 covariates, pre period 2007-2011, caliper 0.05 (one treated unit has no
  # control within it), default DID ire ~ treat_post | city + year clustered by city, count weights.
  case("nearest_caliper", "smart_city", COVS6, pre = c(2007, 2011), caliper = 0.05, y = "ire"),
  # The same call as MatchIt 4.5.1 runs it, with MatchIt's match.data() weights in the DID.
  case("compat_matchit451", "smart_city", COVS6, pre = c(2007, 2011), caliper = 0.05, y = "ire", did_weights = "matchit",
       compat = "matchit-4.5.1"),
  # Three neighbours with replacement, no caliper, default pre period; a formula with a control, HC1.
  case("nearest_k3", "smart_city", c("lngdp", "lnfin", "upg"), neighbors = 3,
       formula = "ire ~ treat_post + lngdp | city + year", y = "ire", x = c("treat_post", "lngdp"), vcov = "hetero"),
  # Two neighbours without replacement (MatchIt's m.order = "largest"), caliper 0.1, clustered by province.
  case("nearest_k2_noreplace", "smart_city_7", COVS6, pre = c(2008, 2011), neighbors = 2, replace = FALSE, caliper = 0.1,
       y = "ire", vcov = "province"),
  # Common support (MatchIt discard = "treated"), caliper 0.02, unweighted DID on the matched units.
  case("common_support", "smart_city_7", c("lngdp", "fix"), common = TRUE, caliper = 0.02, y = "ire", did_weights = "none"),
  # Radius matching (psmatch2 radius): every control within 0.02.
  case("radius", "smart_city", COVS6, method = "radius", caliper = 0.02, y = "ire"),
  # Kernel matching, Epanechnikov, bandwidth 0.06 (psmatch2's defaults).
  case("kernel_epan", "smart_city_7", COVS6, method = "kernel", y = "ire"),
  # Kernel matching, normal kernel, bandwidth 0.03, caliper 0.1; formula on the data's own DID dummy.
  case("kernel_normal", "smart_city", c("lngdp", "lnfin", "fix"), method = "kernel", kernel = "normal", bandwidth = 0.03,
       caliper = 0.1, formula = "ire ~ did | city + year", y = "ire", x = "did")
)

# ---------------------------------------------------------------------------------------------------
# The unit table: ever treated vs never treated (cohort 0), covariates averaged over each unit's
# non-missing values in the pre period (default: every year before the first adoption); units ordered by
# id (aggregate() sorts its groups), units without a value of some covariate left out.
# ---------------------------------------------------------------------------------------------------
unit_table <- function(d, s) {
  pre <- if (is.null(s$pre)) c(min(d$year), min(d$cohort[d$cohort > 0]) - 1) else s$pre
  p <- d[d$year >= pre[1] & d$year <= pre[2], ]
  u <- aggregate(p[s$covariates], by = list(city = p$city), FUN = function(v) mean(v, na.rm = TRUE))
  coh <- tapply(d$cohort, d$city, function(v) v[1])
  u$treated <- as.integer(coh[as.character(u$city)] > 0)
  u <- u[complete.cases(u), ]
  stopifnot(!is.unsorted(u$city))
  rownames(u) <- NULL
  list(u = u, pre = pre)
}

# ---------------------------------------------------------------------------------------------------
# Brute-force matching (independent of MatchIt). Ties in distance go to the lower score (the "left"
# side), and between equal scores to the unit ordered closest to the treated unit among units sorted by
# (score, id): the rule MatchIt's sorted walk applies.
# ---------------------------------------------------------------------------------------------------
brute_nearest <- function(ps, treated, k, caliper, eligible) {
  ctrl <- which(treated == 0 & eligible)
  out <- list()
  for (i in which(treated == 1 & eligible)) {
    d <- abs(ps[ctrl] - ps[i])
    left <- ps[ctrl] < ps[i] | (ps[ctrl] == ps[i] & ctrl < i)
    # closeness within a side in the sorted order: left side, the later unit first; right side, the earlier
    within <- ifelse(left, -ctrl, ctrl)
    ok <- if (is.null(caliper)) rep(TRUE, length(ctrl)) else d <= caliper
    o <- order(d, !left, within)[ok[order(d, !left, within)]]
    picks <- head(ctrl[o], k)
    if (length(picks)) out[[length(out) + 1]] <- data.frame(t = i, c = picks, w = 1 / length(picks))
  }
  do.call(rbind, out)
}

brute_radius <- function(ps, treated, caliper, eligible) {
  ctrl <- which(treated == 0 & eligible)
  out <- list()
  for (i in which(treated == 1 & eligible)) {
    picks <- ctrl[abs(ps[ctrl] - ps[i]) <= caliper]
    if (length(picks)) out[[length(out) + 1]] <- data.frame(t = i, c = picks, w = 1 / length(picks))
  }
  do.call(rbind, out)
}

brute_kernel <- function(ps, treated, kernel, h, caliper, eligible) {
  ctrl <- which(treated == 0 & eligible)
  out <- list()
  for (i in which(treated == 1 & eligible)) {
    dd <- ps[ctrl] - ps[i]
    u <- dd / h
    kw <- if (kernel == "epan") ifelse(abs(u) < 1, 1 - u^2, 0) else exp(-u^2 / 2)
    if (!is.null(caliper)) kw[abs(dd) > caliper] <- 0
    if (sum(kw) > 0) out[[length(out) + 1]] <- data.frame(t = i, c = ctrl[kw > 0], w = kw[kw > 0] / sum(kw))
  }
  do.call(rbind, out)
}

# Pairs from a MatchIt match matrix (row names and entries are row numbers of the unit table).
mm_pairs <- function(mm) {
  out <- list()
  for (r in seq_len(nrow(mm))) {
    m <- as.integer(mm[r, ])
    m <- m[!is.na(m)]
    if (length(m)) out[[length(out) + 1]] <- data.frame(t = as.integer(rownames(mm)[r]), c = m, w = 1 / length(m))
  }
  do.call(rbind, out)
}

# Smallest gap between the best and the next candidate distance over treated units (ties would make the
# 1e9 scaling matter; they are checked to be absent).
min_gap <- function(ps, treated, eligible) {
  ctrl <- which(treated == 0 & eligible)
  g <- Inf
  for (i in which(treated == 1 & eligible)) {
    d <- sort(abs(ps[ctrl] - ps[i]))
    g <- min(g, min(diff(d[1:min(6, length(d))])))
  }
  g
}

# ---------------------------------------------------------------------------------------------------
# Balance in the manner of Stata's pstest (psmatch2 4.x).
# ---------------------------------------------------------------------------------------------------
balance <- function(u, covs, tw, cw) {
  # tw: 1 for matched treated units; cw: matching weight of each control (sum of its shares)
  lapply(covs, function(v) {
    x <- u[[v]]
    T <- u$treated == 1
    m1u <- mean(x[T]); m0u <- mean(x[!T]); v1u <- var(x[T]); v0u <- var(x[!T])
    m1m <- mean(x[tw > 0]); m0m <- weighted.mean(x[cw > 0], cw[cw > 0])
    scale <- sqrt((v1u + v0u) / 2)
    bias <- 100 * (m1u - m0u) / scale
    biasm <- 100 * (m1m - m0m) / scale
    fb <- summary(lm(x ~ u$treated))$coefficients
    tb <- fb[2, 3]
    pb <- fb[2, 4]
    # After matching: pstest regresses with Stata importance weights (treated 1, controls their weight):
    # the same point estimate as lm(weights =), but sigma^2 = sum w e^2 / (W - 2) with W = sum w, and
    # t(W - 2). lm() divides by (n_pos - 2) instead, n_pos the units with positive weight: rescale.
    w <- ifelse(u$treated == 1, tw, cw)
    keep <- w > 0
    fa <- summary(lm(x[keep] ~ u$treated[keep], weights = w[keep]))$coefficients
    W <- sum(w[keep])
    n_pos <- sum(keep)
    ta <- fa[2, 3] * sqrt((W - 2) / (n_pos - 2))
    pa <- 2 * pt(-abs(ta), W - 2)
    if (all(abs(w[keep] - round(w[keep])) < 1e-12)) {
      # whole-number weights: the same t from a regression on rows repeated w times
      rep_i <- rep(which(keep), round(w[keep]))
      fe <- summary(lm(x[rep_i] ~ u$treated[rep_i]))$coefficients
      stopifnot(abs(fe[2, 3] - ta) < 1e-9 * max(1, abs(ta)))
    }
    list(variable = v, mean_treated_before = m1u, mean_control_before = m0u, mean_treated = m1m, mean_control = m0m,
         bias_before = bias, bias_after = biasm, reduction = 100 * (1 - abs(biasm) / abs(bias)),
         t_before = tb, p_before = pb, t_after = ta, p_after = pa)
  })
}

# ---------------------------------------------------------------------------------------------------
# The DID on the matched panel: lm() with city and year dummies and unit weights; fixest 0.12's default
# small-sample corrections (see test/golden/golden.R for each step).
# ---------------------------------------------------------------------------------------------------
did_fit <- function(d, units, w_unit, s) {
  p <- d[d$city %in% units, ]
  p$.w <- w_unit[match(p$city, units)]
  p$treat_post <- as.integer(p$cohort > 0 & p$year >= p$cohort)
  used <- unique(c(s$y, s$x, "city", "year", if (!s$vcov %in% c("iid", "hetero")) s$vcov))
  p <- p[complete.cases(p[used]), ]
  p$.unit <- factor(p$city)
  p$.year <- factor(p$year)
  xs <- if (length(s$x)) s$x else "treat_post"
  fit <- lm(as.formula(paste(s$y, "~", paste(c(xs, ".unit", ".year"), collapse = " + "))), data = p, weights = .w)
  b <- coef(fit)[xs]
  e <- residuals(fit)
  w <- p$.w
  n <- nrow(p)
  G <- c(nlevels(p$.unit), nlevels(p$.year))
  k <- length(xs)
  K <- k + sum(G) - 1
  stopifnot(fit$rank == K)
  rss <- sum(w * e^2)
  if (s$vcov == "hetero") {
    V <- vcovHC(fit, type = "HC0")[xs, xs, drop = FALSE] * n / (n - K)
    df_t <- n - K
  } else if (s$vcov == "iid") {
    V <- rss / (n - K) * summary(fit)$cov.unscaled[xs, xs, drop = FALSE]
    df_t <- n - K
  } else {
    cl <- factor(p[[s$vcov]])
    Gc <- nlevels(cl)
    V <- vcovCL(fit, cluster = cl, type = "HC0", cadjust = FALSE)[xs, xs, drop = FALSE] * Gc / (Gc - 1)
    # fixed effects nested in the cluster variable give back G - 1 parameters (fixef.K = "nested")
    nested <- c(all(tapply(as.character(cl), p$.unit, function(v) length(unique(v))) == 1),
                all(tapply(as.character(cl), p$.year, function(v) length(unique(v))) == 1))
    K_ssc <- K - sum(G[nested] - 1)
    V <- V * (n - 1) / (n - K_ssc)
    df_t <- Gc - 1
  }
  se <- sqrt(diag(V))
  tstat <- b / se
  y <- p[[s$y]]
  wmean <- function(v) sum(w * v) / sum(w)
  tss <- sum(w * (y - wmean(y))^2)
  fe_only <- lm(as.formula(paste(s$y, "~ .unit + .year")), data = p, weights = .w)
  list(
    nobs = n,
    coefficients = lapply(seq_along(xs), function(j) list(term = xs[j], estimate = unname(b[j]), std_error = unname(se[j]),
                                                         statistic = unname(tstat[j]), p_value = 2 * pt(-abs(unname(tstat[j])), df_t))),
    r2 = 1 - rss / tss,
    adj_r2 = 1 - (rss / tss) * (n - 1) / (n - K),
    r2_within = 1 - rss / sum(w * residuals(fe_only)^2),
    constant = wmean(y) - sum(vapply(xs, function(v) wmean(p[[v]]), 0) * b),
    df_t = df_t
  )
}

# ---------------------------------------------------------------------------------------------------
# One case
# ---------------------------------------------------------------------------------------------------
run_case <- function(s) {
  d <- datasets[[s$data]]
  ut <- unit_table(d, s)
  u <- ut$u
  f <- as.formula(paste("treated ~", paste(s$covariates, collapse = " + ")))
  g <- glm(f, data = u, family = binomial(), control = glm.control(epsilon = 1e-14, maxit = 100))
  stopifnot(g$converged)
  ps <- unname(fitted(g))
  co <- summary(g)$coefficients
  treated <- u$treated
  eligible <- rep(TRUE, nrow(u))
  off_support <- 0
  if (s$common) {
    r <- range(ps[treated == 0])
    eligible <- !(treated == 1 & (ps < r[1] | ps > r[2]))
    off_support <- sum(!eligible)
  }

  info <- list()
  if (s$method == "nearest") {
    if (!is.null(s$compat)) {
      m <- matchit(f, data = u, method = "nearest", distance = "glm", replace = s$replace, ratio = s$neighbors,
                   caliper = s$caliper, std.caliper = FALSE, discard = if (s$common) "treated" else "none")
      stopifnot(max(abs(m$distance - ps)) < 1e-7)
      pairs <- mm_pairs(m$match.matrix)
      info$matchit_weights <- m$weights
    } else {
      m <- matchit(f, data = u, method = "nearest", distance = 1e9 * ps, replace = s$replace, ratio = s$neighbors,
                   caliper = if (is.null(s$caliper)) NULL else 1e9 * s$caliper, std.caliper = FALSE,
                   discard = if (s$common) "treated" else "none")
      pairs <- mm_pairs(m$match.matrix)
      info$min_candidate_gap <- min_gap(ps, treated, eligible)
      stopifnot(info$min_candidate_gap > 1e-6)
      if (s$replace) {
        bf <- brute_nearest(ps, treated, s$neighbors, s$caliper, eligible)
        if (s$neighbors > 1) {
          # MatchIt 4.5.1 with replacement and ratio > 1 repeats each treated unit's first match in every
          # round (its check for controls already matched to the unit compares 0- and 1-based indices), so
          # only its first column is a reference: it must be the brute force's nearest; the brute force
          # gives the expected k nearest.
          first <- bf[!duplicated(bf$t), ]
          mm1 <- as.integer(m$match.matrix[, 1])
          stopifnot(identical(first$c, mm1[!is.na(mm1)]))
          stopifnot(all(m$match.matrix[, 2] == m$match.matrix[, 1], na.rm = TRUE))
          info$matchit_ratio_bug <- "MatchIt 4.5.1 repeats the first match; expected pairs from the brute-force search"
          pairs <- bf
        } else if (!identical(paste(bf$t, bf$c), paste(pairs$t, pairs$c))) stop("brute force and MatchIt disagree in ", s$id)
      }
    }
  } else if (s$method == "radius") {
    pairs <- brute_radius(ps, treated, s$caliper, eligible)
  } else {
    pairs <- brute_kernel(ps, treated, s$kernel, s$bandwidth, s$caliper, eligible)
  }

  tw <- as.numeric(seq_len(nrow(u)) %in% pairs$t)
  cw <- rep(0, nrow(u))
  agg <- tapply(pairs$w, pairs$c, sum)
  cw[as.integer(names(agg))] <- agg
  w_unit <- switch(s$did_weights,
    count = ifelse(treated == 1, tw, cw),
    matchit = info$matchit_weights,
    none = as.numeric(tw > 0 | cw > 0)
  )
  if (s$did_weights == "matchit") stopifnot(all(abs(w_unit[cw > 0] - cw[cw > 0] * sum(cw > 0) / sum(cw)) < 1e-12))
  in_did <- w_unit > 0
  s2 <- s
  if (is.null(s$formula)) s2$x <- "treat_post"
  did <- did_fit(d, u$city[in_did], w_unit[in_did], s2)

  list(
    id = s$id,
    data = files[[s$data]],
    options = Filter(Negate(is.null), list(
      unit = "city", time = "year", cohort = "cohort", covariates = s$covariates, pre = s$pre, method = s$method,
      neighbors = s$neighbors, replace = s$replace, caliper = s$caliper, kernel = if (s$method == "kernel") s$kernel,
      bandwidth = if (s$method == "kernel") s$bandwidth, common = s$common, y = if (is.null(s$formula)) s$y,
      formula = s$formula, vcov = if (s$vcov %in% c("iid", "hetero")) s$vcov else paste0("cluster:", s$vcov),
      didWeights = s$did_weights, compat = s$compat
    )),
    expect = list(
      pre = ut$pre,
      logit = lapply(seq_len(nrow(co)), function(j) list(term = rownames(co)[j], estimate = co[j, 1], std_error = co[j, 2], p_value = co[j, 4])),
      logit_deviance = g$deviance,
      matched_treated = sum(tw),
      matched_controls = sum(cw > 0),
      unmatched_treated = sum(treated == 1 & eligible) - sum(tw),
      off_support = off_support,
      # parallel arrays (compact in the JSON): pair r is unit[r] -> match[r] with share weight[r]
      pairs = list(unit = u$city[pairs$t], match = u$city[pairs$c], weight = pairs$w),
      balance = balance(u, s$covariates, tw, cw),
      did = did
    ),
    info = info[setdiff(names(info), "matchit_weights")]
  )
}

# ---------------------------------------------------------------------------------------------------
# Stand-alone logit models (didwasm logit): glm with prior weights where given, on rows of the panel.
# ---------------------------------------------------------------------------------------------------
logit_models <- list(
  list(id = "logit_east_2012", data = "smart_city", formula = "east ~ lngdp + lnfin + tra", subset = "year == 2012", weights = NULL),
  list(id = "logit_post_weighted", data = "smart_city_7", formula = "post ~ lngdp + fix + upg + year", subset = NULL,
       weights = "physical_capital")
)
run_logit <- function(m) {
  d <- datasets[[m$data]]
  if (!is.null(m$subset)) d <- d[eval(parse(text = m$subset), d), ]
  vars <- all.vars(as.formula(m$formula))
  d <- d[complete.cases(d[c(vars, m$weights)]), ]
  d$.w <- if (is.null(m$weights)) 1 else d[[m$weights]]
  # non-integer prior weights make glm warn about "non-integer #successes": the likelihood is still the
  # weighted one didwasm maximises
  g <- suppressWarnings(glm(as.formula(m$formula), data = d, family = binomial(), weights = .w,
                            control = glm.control(epsilon = 1e-14, maxit = 100)))
  stopifnot(g$converged)
  co <- summary(g)$coefficients
  list(
    id = m$id, data = files[[m$data]], formula = m$formula, subset = m$subset, weights = m$weights,
    expect = list(
      nobs = nrow(d),
      coefficients = lapply(seq_len(nrow(co)), function(j) list(term = rownames(co)[j], estimate = co[j, 1], std_error = co[j, 2],
                                                              statistic = co[j, 3], p_value = co[j, 4])),
      deviance = g$deviance, null_deviance = g$null.deviance, aic = g$aic
    )
  )
}

results <- lapply(cases, run_case)
logits <- lapply(logit_models, run_logit)
out <- list(
  generated_by = "test/psm/golden/golden.R",
  r_version = R.version.string,
  matchit_version = as.character(packageVersion("MatchIt")),
  sandwich_version = as.character(packageVersion("sandwich")),
  data_md5 = md5,
  cases = results,
  logit_models = logits
)
writeLines(toJSON(out, auto_unbox = TRUE, digits = NA, null = "null", pretty = TRUE), file.path(out_dir, "expected.json"))
cat("wrote", file.path(out_dir, "expected.json"), ":", length(results), "cases\n")
