# Golden numbers for didwasm synthdid, from a base-R implementation written from the synthdid package's
# formulas (Arkhangelsky et al. 2021; R/solver.R, R/synthdid.R, R/vcov.R of synth-inference/synthdid:
# Frank-Wolfe with exact line search, zeta.omega = (N1 T1)^(1/4) sigma, zeta.lambda = 1e-6 sigma,
# min.decrease = 1e-5 sigma, max.iter = 1e4, 100 iterations before sparsifying), and Stata sdid's staggered
# aggregation (cohort estimates weighted by treated cells). No package beyond base R.
#   Rscript test/golden/synthdid/synthdid.R      (from the repository root)
# Data: test/golden/data/california_prop99.csv (Abadie, Diamond and Hainmueller 2010, as shipped in the
# synthdid repository's data/california_prop99.csv, ';' replaced by ','), and a panel generated below
# (test/golden/data/synthdid_stagger.csv).
options(digits = 17)

fw_solve <- function(A, b, zeta, x, min_decrease, max_iter) {
  m <- nrow(A); eta <- m * zeta^2
  vals <- rep(NA, max_iter); t <- 0
  while (t < max_iter && (t < 2 || vals[t - 1] - vals[t] > min_decrease^2)) {
    t <- t + 1
    Ax <- A %*% x
    g <- c(t(Ax - b) %*% A) + eta * x
    i <- which.min(g)
    dx <- -x; dx[i] <- 1 - x[i]
    if (!all(dx == 0)) {
      derr <- A[, i] - Ax
      step <- -sum(g * dx) / (sum(derr^2) + eta * sum(dx^2))
      x <- x + min(1, max(0, step)) * dx
    }
    vals[t] <- zeta^2 * sum(x^2) + sum((A %*% x - b)^2) / m
  }
  x
}
sparsify <- function(v) { v[v <= max(v) / 4] <- 0; v / sum(v) }
# rows of M are the problem's rows; the last column is the target; columns demeaned when intercept
weights_of <- function(M, zeta, intercept, start, min_decrease) {
  if (intercept) M <- sweep(M, 2, colMeans(M))
  k <- ncol(M) - 1
  A <- M[, 1:k, drop = FALSE]; b <- M[, k + 1]
  x <- fw_solve(A, b, zeta, start, min_decrease, 100)
  fw_solve(A, b, zeta, sparsify(x), min_decrease, 1e4)
}
# Y: controls first (N0 rows), then treated; columns: T0 pre-periods then post-periods
block <- function(Y, N0, T0, method) {
  N <- nrow(Y); TT <- ncol(Y); N1 <- N - N0; T1 <- TT - T0
  sigma <- sd(c(apply(Y[1:N0, 1:T0], 1, diff)))
  Yc <- rbind(cbind(Y[1:N0, 1:T0], rowMeans(Y[1:N0, (T0 + 1):TT, drop = FALSE])),
              c(colMeans(Y[(N0 + 1):N, 1:T0, drop = FALSE]), mean(Y[(N0 + 1):N, (T0 + 1):TT])))
  md <- 1e-5 * sigma
  lambda <- rep(1 / T0, T0); omega <- rep(1 / N0, N0)
  if (method == "sdid") {
    lambda <- weights_of(Yc[1:N0, ], 1e-6 * sigma, TRUE, lambda, md)
    omega <- weights_of(t(Yc[, 1:T0]), (N1 * T1)^(1 / 4) * sigma, TRUE, omega, md)
  } else if (method == "sc") {
    lambda <- rep(0, T0)
    omega <- weights_of(t(Yc[, 1:T0]), 1e-6 * sigma, FALSE, omega, md)
  }
  tau <- c(c(-omega, rep(1 / N1, N1)) %*% Y %*% c(-lambda, rep(1 / T1, T1)))
  list(tau = tau, omega = omega, lambda = lambda, sigma = sigma)
}
wide <- function(d, unit, time, y, treat) {
  units <- unique(d[[unit]]); periods <- sort(unique(d[[time]]))
  Y <- matrix(NA, length(units), length(periods), dimnames = list(units, periods))
  W <- Y
  Y[cbind(match(d[[unit]], units), match(d[[time]], periods))] <- d[[y]]
  W[cbind(match(d[[unit]], units), match(d[[time]], periods))] <- d[[treat]]
  list(Y = Y, adopt = apply(W, 1, function(w) if (any(w == 1)) which(w == 1)[1] - 1 else -1))
}
# Stata sdid's staggered estimate: per cohort on never-treated + cohort units, weighted by treated cells
stagger <- function(p, method) {
  ctrl <- which(p$adopt < 0); TT <- ncol(p$Y)
  starts <- sort(unique(p$adopt[p$adopt >= 0]))
  fits <- lapply(starts, function(a) { tr <- which(p$adopt == a); block(p$Y[c(ctrl, tr), ], length(ctrl), a, method) })
  cells <- sapply(starts, function(a) sum(p$adopt == a) * (TT - a))
  list(att = sum(sapply(fits, `[[`, "tau") * cells) / sum(cells), fits = fits, starts = starts, ctrl = ctrl, cells = cells)
}
# fixed-weights jackknife over units (synthdid's Algorithm 3, Stata sdid's staggered version)
jackknife <- function(p, s) {
  TT <- ncol(p$Y); units <- c(s$ctrl, which(p$adopt >= 0))
  u <- sapply(units, function(leave) {
    ctrl <- setdiff(s$ctrl, leave)
    taus <- c(); cells <- c()
    for (k in seq_along(s$starts)) {
      a <- s$starts[k]; tr <- setdiff(which(p$adopt == a), leave)
      om <- s$fits[[k]]$omega[s$ctrl != leave]; om <- om / sum(om)
      lam <- s$fits[[k]]$lambda
      Y <- p$Y[c(ctrl, tr), ]; N1 <- length(tr); T1 <- TT - a
      taus <- c(taus, c(c(-om, rep(1 / N1, N1)) %*% Y %*% c(-lam, rep(1 / T1, T1))))
      cells <- c(cells, N1 * T1)
    }
    sum(taus * cells) / sum(cells)
  })
  n <- length(u); sqrt((n - 1) / n * sum((u - mean(u))^2))
}

out <- list()
cal <- read.csv("test/golden/data/california_prop99.csv")
pc <- wide(cal, "State", "Year", "PacksPerCapita", "treated")
for (m in c("sdid", "sc", "did")) {
  s <- stagger(pc, m)
  f <- s$fits[[1]]
  w <- f$omega; names(w) <- rownames(pc$Y)[s$ctrl]
  out[[paste0("prop99_", m)]] <- list(estimate = s$att, noise = f$sigma, omega = as.list(w[w > 0]), lambda = f$lambda)
}

set.seed(20261206)
N <- 30; TT <- 12
adopt <- c(rep(-1, 24), rep(6, 3), rep(8, 3))   # 0-based adoption index: periods 2007 and 2009
ui <- rnorm(N, 0, 2); ft <- cumsum(rnorm(TT)); load <- runif(N, 0.5, 1.5)
rows <- expand.grid(t = 1:TT, i = 1:N)
treat <- as.integer(adopt[rows$i] >= 0 & rows$t - 1 >= adopt[rows$i])
y <- ui[rows$i] + load[rows$i] * ft[rows$t] + 2 * treat + rnorm(nrow(rows), 0, 0.5)
gen <- data.frame(unit = paste0("u", rows$i), year = 2000 + rows$t, y = round(y, 6), treat = treat)
write.csv(gen, "test/golden/data/synthdid_stagger.csv", row.names = FALSE)
gen <- read.csv("test/golden/data/synthdid_stagger.csv")
pg <- wide(gen, "unit", "year", "y", "treat")
for (m in c("sdid", "sc", "did")) {
  s <- stagger(pg, m)
  out[[paste0("stagger_", m)]] <- list(estimate = s$att, cohorts = sapply(s$fits, `[[`, "tau"), jackknife_se = jackknife(pg, s))
}

json <- function(x) {
  if (is.list(x)) {
    if (!is.null(names(x))) return(paste0("{", paste0('"', names(x), '": ', sapply(x, json), collapse = ", "), "}"))
    return(paste0("[", paste(sapply(x, json), collapse = ", "), "]"))
  }
  if (length(x) == 1 && is.null(names(x))) return(format(x, digits = 17))
  paste0("[", paste(format(x, digits = 17), collapse = ", "), "]")
}
writeLines(json(out), "test/golden/synthdid/expected.json")
