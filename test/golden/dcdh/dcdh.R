# Golden numbers for `didwasm dcdh` (de Chaisemartin and D'Haultfoeuille 2024, "Difference-in-differences
# estimators of intertemporal treatment effects"), computed from the paper's formulas as the
# DIDmultiplegtDYN package states them (its R source was read for conventions; no code copied; the package
# itself is not installed). Written as per-switcher DIDs, not as the influence-function sums didwasm uses:
#
#   DID_l = sum over directions s (up: +1, down: -1) of s * N_l^s / N_l * (1 / N_l^s) * sum over switchers g
#           with F_g - 1 + l <= T_g of N_g * [ (Y_g,F_g-1+l - Y_g,F_g-1) - mean over not-yet-switched groups g'
#           with the same D_g',1 (F_g' > F_g - 1 + l) of (Y_g',F_g-1+l - Y_g',F_g-1) ],
#   placebo l: the same switchers and controls, changes Y_F_g-1-l - Y_F_g-1;
#   variance: each group's contribution with every outcome change centred on its cohort mean (controls:
#   same D_1 and period; switchers: same D_1, F_g and D_F_g; singleton cohort: D_1 x period pooled) times
#   sqrt(n / (n - 1)), summed by cluster, squared, divided by G^2;
#   normalised: DID_l / mean cumulative treatment change; ATE: sum_l N_l DID_l / sum_l N_l delta_l.
#
# Data: three generated panels (written here, seeded) and favara_imbs (test/golden/data/favara_imbs.csv:
# the public data set shipped with the DIDmultiplegtDYN R package, data/favara_imbs.RData, first 10 states
# of Favara and Imbs 2015, converted to CSV unchanged).
# Run from the repository root: Rscript test/golden/dcdh/dcdh.R
suppressMessages({ library(jsonlite); library(MASS) })
here <- "test/golden/dcdh"

gen_panel <- function(kind, G = 60, TT = 8, seed = 1) {
  set.seed(seed)
  rows <- list()
  for (g in 1:G) {
    alpha <- rnorm(1)
    if (kind == "absorbing") {
      # binary staggered: a third never treated, the rest start in 3..6
      start <- if (g %% 3 == 0) Inf else sample(3:6, 1)
      D <- as.numeric((1:TT) >= start)
    } else if (kind == "onoff") {
      # binary, switches on at some date and off again later for half of the switchers
      start <- if (g %% 4 == 0) Inf else sample(3:6, 1)
      stop <- if (g %% 2 == 0) start + sample(2:3, 1) else Inf
      D <- as.numeric((1:TT) >= start & (1:TT) < stop)
    } else {
      # 0/1/2: baseline 0 or 1, moves up (or down from 1 to 0) once and possibly up again
      base <- if (g %% 2 == 0) 0 else 1
      start <- if (g %% 5 == 0) Inf else sample(3:6, 1)
      step <- if (base == 1 && g %% 3 == 0) -1 else 1
      D <- base + ifelse((1:TT) >= start, step, 0)
      if (step == 1 && g %% 7 == 0) D <- pmin(D + ((1:TT) >= start + 2), 2)
    }
    y <- alpha + 0.3 * (1:TT) + 0.5 * D + 0.2 * c(0, D[-TT]) + rnorm(TT)
    rows[[g]] <- data.frame(id = g, year = 2000 + (1:TT), state = (g - 1) %/% 6 + 1, w = round(runif(1, 0.5, 2), 3), d = D, y = round(y, 6))
  }
  do.call(rbind, rows)
}

# ---- design ----------------------------------------------------------------------------------------------
design <- function(df, y, g, t, d, w = NULL, cl = NULL) {
  ids <- unique(df[[g]]); times <- sort(unique(df[[t]]))
  G0 <- length(ids); TT <- length(times)
  gi <- match(df[[g]], ids); ti <- match(df[[t]], times)
  Y <- D <- matrix(NA_real_, G0, TT); N <- matrix(0, G0, TT)
  D[cbind(gi, ti)] <- df[[d]]
  yy <- df[[y]]; ww <- if (is.null(w)) rep(1, nrow(df)) else df[[w]]
  ok <- !is.na(yy)
  Y[cbind(gi, ti)[ok, , drop = FALSE]] <- yy[ok]
  N[cbind(gi, ti)[ok, , drop = FALSE]] <- ww[ok]
  clus <- if (is.null(cl)) seq_len(G0) else as.integer(factor(df[[cl]][match(seq_len(G0), gi)]))
  keep <- rowSums(!is.na(Y)) > 0
  drop_cells <- function(m) { Y[m] <<- NA; D[m] <<- NA; N[m] <<- 0 }
  drop_cells(cbind(rep(which(!keep), each = TT), rep(1:TT, sum(!keep))))
  dsq <- apply(D, 1, function(x) x[which(!is.na(x))[1]])
  last_obs <- apply(D, 1, function(x) max(c(0, which(!is.na(x)))))
  # both above and below the baseline: drop from then on
  for (i in 1:G0) {
    up <- cumsum(!is.na(D[i, ]) & D[i, ] > dsq[i]) > 0
    down <- cumsum(!is.na(D[i, ]) & D[i, ] < dsq[i]) > 0
    bad <- which(up & down)
    if (length(bad)) drop_cells(cbind(i, bad))
  }
  F0 <- apply(cbind(D, dsq), 1, function(x) { b <- x[length(x)]; z <- which(!is.na(x[-length(x)]) & x[-length(x)] != b); if (length(z)) z[1] else 0 })
  # cohorts with one switch date only are dropped
  for (v in unique(dsq[keep])) { m <- keep & dsq == v; if (length(unique(F0[m])) == 1) keep[m] <- FALSE }
  G <- sum(keep)
  for (i in which(!keep)) drop_cells(cbind(i, 1:TT))
  # periods with no unswitched group of the cohort
  for (v in unique(dsq[keep])) {
    m <- which(keep & dsq == v)
    for (tt in 1:TT) {
      has <- any(!is.na(D[m, tt]) & (F0[m] == 0 | tt < F0[m]))
      if (!has) drop_cells(cbind(m, tt))
    }
  }
  Tmax <- max(which(colSums(!is.na(D)) > 0))
  F <- ifelse(F0 == 0, Tmax + 1, F0)
  Ftr <- ifelse(F0 == 0, pmin(Tmax + 1, last_obs + 1), F)
  Tg <- rep(0, G0); S <- rep(NA, G0); dfg <- rep(NA, G0)
  for (v in unique(dsq[keep])) { m <- keep & dsq == v; Tg[m] <- max(Ftr[m]) - 1 }
  for (i in which(keep)) {
    if (F[i] <= Tmax) {
      dfg[i] <- D[i, F[i]]
      win <- if (F[i] <= Tg[i]) D[i, F[i]:Tg[i]] else numeric(0)
      win <- win[!is.na(win)]
      if (length(win)) {
        if (mean(win) == dsq[i]) { keep[i] <- FALSE; drop_cells(cbind(i, 1:TT)) } else S[i] <- as.numeric(mean(win) > dsq[i])
      }
    }
  }
  list(Y = Y, D = D, N = N, dsq = dsq, F = F, S = S, Tg = Tg, L = Tg - F + 1, dfg = dfg, cl = clus, G = G, TT = TT, keep = keep)
}

# ---- one horizon, one direction, as per-switcher DIDs ----------------------------------------------------------
horizon <- function(ds, l, dir, placebo, still) {
  with(ds, {
    G0 <- nrow(Y)
    chg <- function(i, tt) if (tt - l >= 1) Y[i, tt] - Y[i, tt - l] else NA
    pchg <- function(i, tt) if (tt - 2 * l >= 1) Y[i, tt - 2 * l] - Y[i, tt - l] else NA
    used <- if (placebo) pchg else chg
    is_ctrl <- function(i, tt) tt < F[i] && !is.na(chg(i, tt)) && (!placebo || !is.na(pchg(i, tt)))
    ctrls <- function(tt, v, eff_only) which(sapply(1:G0, function(i) dsq[i] == v && !is.na(dsq[i]) && N[i, tt] > 0 && tt < F[i] && !is.na(chg(i, tt)) && (eff_only || !placebo || !is.na(pchg(i, tt)))))
    sw <- c()
    for (i in 1:G0) {
      if (is.na(S[i]) || S[i] != dir || l > L[i] || !still[i]) next
      tt <- F[i] - 1 + l
      if (tt > TT || is.na(chg(i, tt)) || length(ctrls(tt, dsq[i], TRUE)) == 0) next
      if (placebo && (is.na(pchg(i, tt)) || length(ctrls(tt, dsq[i], FALSE)) == 0)) next
      sw <- c(sw, i)
    }
    U <- Uv <- rep(0, G0)
    if (!length(sw)) return(list(N = 0, n = 0, U = U, Uv = Uv, dnorm = 0, dnow = 0, sw = sw))
    Nl <- sum(sapply(sw, function(i) N[i, F[i] - 1 + l]))
    tsw <- sapply(sw, function(i) F[i] - 1 + l)
    active_t <- unique(tsw)
    dfm <- function(ids, tt) sapply(ids, function(i) used(i, tt))
    dof <- function(ids) length(unique(cl[ids]))
    for (tt in active_t) {
      for (v in unique(dsq[sw[tsw == tt]])) {
        s_here <- sw[tsw == tt & dsq[sw] == v]
        c_here <- ctrls(tt, v, FALSE)
        ns_w <- N[cbind(c_here, tt)]; s_w <- N[cbind(s_here, tt)]
        cm <- sum(ns_w * dfm(c_here, tt)) / sum(ns_w)
        # the DID of these switchers: their change minus the controls' mean change
        for (k in seq_along(s_here)) U[s_here[k]] <- U[s_here[k]] + G / Nl * s_w[k] * used(s_here[k], tt)
        for (k in seq_along(c_here)) U[c_here[k]] <- U[c_here[k]] - G / Nl * sum(s_w) / sum(ns_w) * ns_w[k] * used(c_here[k], tt)
        # variance contributions, centred on cohort means
        pool <- c(c_here, s_here)
        pm <- sum(N[cbind(pool, tt)] * dfm(pool, tt)) / sum(N[cbind(pool, tt)]); pd <- dof(pool)
        nd <- dof(c_here)
        for (k in seq_along(c_here)) {
          if (nd >= 2) { e <- cm; f <- sqrt(nd / (nd - 1)) } else if (pd >= 2) { e <- pm; f <- sqrt(pd / (pd - 1)) } else { e <- 0; f <- 1 }
          Uv[c_here[k]] <- Uv[c_here[k]] - G / Nl * sum(s_w) / sum(ns_w) * ns_w[k] * f * (used(c_here[k], tt) - e)
        }
        for (k in seq_along(s_here)) {
          i <- s_here[k]
          coh <- sw[dsq[sw] == dsq[i] & F[sw] == F[i] & dfg[sw] == dfg[i]]
          sd_ <- dof(coh)
          if (sd_ >= 2) {
            e <- sum(sapply(coh, function(j) N[j, F[j] - 1 + l] * used(j, F[j] - 1 + l))) / sum(sapply(coh, function(j) N[j, F[j] - 1 + l])); f <- sqrt(sd_ / (sd_ - 1))
          } else if (pd >= 2) { e <- pm; f <- sqrt(pd / (pd - 1)) } else next
          Uv[i] <- Uv[i] + G / Nl * s_w[k] * f * (used(i, tt) - e)
        }
      }
    }
    sgn <- ifelse(S[sw] == 1, 1, -1)
    cum <- sapply(seq_along(sw), function(k) { i <- sw[k]; sum(D[i, F[i]:(F[i] - 1 + l)] - dsq[i], na.rm = TRUE) })
    now <- sapply(sw, function(i) D[i, F[i] - 1 + l] - dsq[i])
    wts <- sapply(sw, function(i) N[i, F[i] - 1 + l]) / Nl
    list(N = Nl, n = length(sw), U = U, Uv = Uv, dnorm = sum(wts * sgn * cum), dnow = sum(wts * sgn * now), sw = sw)
  })
}

dcdh_r <- function(df, y, g, t, d, effects = 1, placebo = 0, normalized = FALSE, w = NULL, cl = NULL, same_switchers = FALSE) {
  ds <- design(df, y, g, t, d, w, cl)
  maxh <- function(dir, pl) { m <- !is.na(ds$S) & ds$S == dir; if (!any(m)) return(0); h <- if (pl) ifelse(ds$F[m] >= 3, pmin(ds$L[m], ds$F[m] - 2), 0) else ds$L[m]; max(0, h) }
  Lm <- c(maxh(0, FALSE), maxh(1, FALSE)); Lp <- c(maxh(0, TRUE), maxh(1, TRUE))
  lX <- min(effects, max(Lm)); lP <- min(placebo, max(Lp), lX)
  still <- rep(TRUE, nrow(ds$Y))
  if (same_switchers) {
    for (i in seq_along(still)) {
      if (is.na(ds$S[i]) || ds$F[i] - 1 + lX > ds$Tg[i]) { still[i] <- FALSE; next }
      for (q in 1:lX) {
        tt <- ds$F[i] - 1 + q
        ok <- tt <= ds$TT && tt - q >= 1 && !is.na(ds$Y[i, tt] - ds$Y[i, tt - q])
        if (ok) ok <- any(sapply(seq_along(still), function(j) !is.na(ds$dsq[j]) && ds$dsq[j] == ds$dsq[i] && ds$N[j, tt] > 0 && tt < ds$F[j] && !is.na(ds$Y[j, tt] - ds$Y[j, tt - q])))
        if (!ok) { still[i] <- FALSE; break }
      }
    }
  }
  run <- function(l, pl) {
    parts <- lapply(c(1, 0), function(dir) if (l <= min(if (pl) min(placebo, Lp[dir + 1]) else Lm[dir + 1], lX)) horizon(ds, l, dir, pl, still) else NULL)
    names(parts) <- c("in", "out")
    Ntot <- sum(sapply(parts, function(p) if (is.null(p)) 0 else p$N))
    U <- Uv <- rep(0, nrow(ds$Y)); delta <- 0
    for (nm in names(parts)) { p <- parts[[nm]]; if (is.null(p) || p$N == 0) next
      s <- if (nm == "in") 1 else -1
      U <- U + s * p$N / Ntot * p$U; Uv <- Uv + s * p$N / Ntot * p$Uv; delta <- delta + p$N / Ntot * p$dnorm }
    list(parts = parts, U = U, Uv = Uv, N = Ntot, delta = delta)
  }
  eff <- lapply(seq_len(lX), run, pl = FALSE)
  pls <- lapply(seq_len(lP), run, pl = TRUE)
  # average total effect
  Ua <- Uva <- rep(0, nrow(ds$Y)); tot <- 0; pieces <- list()
  for (nm in c("in", "out")) {
    sumN <- sum(sapply(eff, function(e) if (is.null(e$parts[[nm]])) 0 else e$parts[[nm]]$N))
    if (sumN == 0) next
    num <- numv <- rep(0, nrow(ds$Y)); den <- 0
    for (e in eff) { p <- e$parts[[nm]]; if (is.null(p) || p$N == 0) next
      num <- num + p$N / sumN * p$U; numv <- numv + p$N / sumN * p$Uv; den <- den + p$N / sumN * p$dnow }
    pieces[[nm]] <- list(sumN = sumN, den = den, num = num, numv = numv)
    tot <- tot + den * sumN
  }
  for (nm in names(pieces)) { p <- pieces[[nm]]; s <- if (nm == "in") 1 else -1
    Ua <- Ua + s * p$sumN / tot * p$num; Uva <- Uva + s * p$sumN / tot * p$numv }
  G <- ds$G
  sc <- function(e) if (normalized) e$delta else 1
  allp <- c(eff, pls)
  Umat <- sapply(allp, function(e) e$Uv / sc(e))
  Umat <- cbind(Umat, Uva)
  Csum <- rowsum(Umat, ds$cl)
  V <- crossprod(Csum) / G^2
  K <- length(allp)
  est <- sapply(allp, function(e) sum(e$U) / G / sc(e))
  se <- sqrt(diag(V))
  wald <- function(b, VV) { st <- as.numeric(t(b) %*% ginv(VV) %*% b); list(statistic = st, df = length(b), p_value = 1 - pchisq(st, length(b))) }
  list(
    effects = lapply(seq_len(lX), function(i) list(term = paste0("Effect_", i), estimate = est[i], std_error = se[i], switchers = sum(sapply(eff[[i]]$parts, function(p) if (is.null(p)) 0 else p$n)))),
    placebos = lapply(seq_len(lP), function(i) list(term = paste0("Placebo_", i), estimate = est[lX + i], std_error = se[lX + i])),
    ate = list(estimate = sum(Ua) / G, std_error = se[K + 1]),
    vcov = unname(V[1:K, 1:K, drop = FALSE]),
    joint_placebos = if (lP >= 2) wald(est[lX + 1:lP], V[lX + 1:lP, lX + 1:lP]) else NULL,
    joint_effects = if (lX >= 2) wald(est[1:lX], V[1:lX, 1:lX]) else NULL,
    delta = if (normalized) sapply(eff, function(e) e$delta) else NULL
  )
}

# ---- cases ---------------------------------------------------------------------------------------------------
panels <- list(absorbing = gen_panel("absorbing", seed = 11), onoff = gen_panel("onoff", seed = 12), multi = gen_panel("multi", seed = 13))
for (nm in names(panels)) write.csv(panels[[nm]], file.path(here, paste0("panel-", nm, ".csv")), row.names = FALSE)
favara <- read.csv("test/golden/data/favara_imbs.csv")

cases <- list(
  list(id = "absorbing-e4-p3", data = "absorbing", y = "y", g = "id", t = "year", d = "d", effects = 4, placebo = 3),
  list(id = "absorbing-normalized-cluster", data = "absorbing", y = "y", g = "id", t = "year", d = "d", effects = 3, placebo = 2, normalized = TRUE, cl = "state"),
  list(id = "onoff-e3-p2", data = "onoff", y = "y", g = "id", t = "year", d = "d", effects = 3, placebo = 2),
  list(id = "onoff-weights-same", data = "onoff", y = "y", g = "id", t = "year", d = "d", effects = 3, placebo = 1, w = "w", same_switchers = TRUE),
  list(id = "multi-e3-p2", data = "multi", y = "y", g = "id", t = "year", d = "d", effects = 3, placebo = 2),
  list(id = "multi-normalized", data = "multi", y = "y", g = "id", t = "year", d = "d", effects = 3, placebo = 2, normalized = TRUE, cl = "state"),
  list(id = "favara-e8-p3", data = "favara", y = "Dl_vloans_b", g = "county", t = "year", d = "inter_bra", effects = 8, placebo = 3, cl = "state_n"),
  list(id = "favara-normalized-same", data = "favara", y = "Dl_vloans_b", g = "county", t = "year", d = "inter_bra", effects = 8, placebo = 3, cl = "state_n", normalized = TRUE, same_switchers = TRUE)
)
out <- lapply(cases, function(cs) {
  df <- if (cs$data == "favara") favara else panels[[cs$data]]
  r <- dcdh_r(df, cs$y, cs$g, cs$t, cs$d, effects = cs$effects, placebo = cs$placebo, normalized = isTRUE(cs$normalized), w = cs$w, cl = cs$cl, same_switchers = isTRUE(cs$same_switchers))
  c(cs, list(expect = r))
})
writeLines(toJSON(list(cases = out), auto_unbox = TRUE, digits = 15, null = "null", pretty = FALSE), file.path(here, "dcdh-expected.json"))
cat("wrote", length(out), "cases\n")
