# Reference values for the pieces of the sensitivity analysis (test/honestdid/pieces.test.ts), computed in
# R 4.2 from their definitions with R's own distribution functions and GLPK, not from HonestDiD:
#   - normal draws after set.seed(0): rnorm, and mvtnorm::rmvnorm(method = "eigen");
#   - quantiles of a truncated standard normal (by qnorm on the log scale) and of |N(mu, 1)| (uniroot);
#   - the ARP test's linear program eta = min { eta : y - X delta <= eta sd } (Rglpk), and the
#     least-favourable critical value: the 1 - kappa quantile (type 7) of eta over 1,000 draws
#     N(0, Sigma) made after set.seed(0), as Andrews, Roth and Pakes define it.
#   Rscript pieces.R   (writes pieces.json)
library(mvtnorm); library(Rglpk); library(jsonlite)

set.seed(0); rn <- rnorm(6)
S3 <- matrix(c(2, 0.5, 0.2, 0.5, 1, -0.3, 0.2, -0.3, 1.5), 3)
set.seed(0); mv <- rmvnorm(4, sigma = S3, method = "eigen")

# p-quantile of Z | l <= Z <= u, on the scale where it keeps its precision.
tq <- function(p, l, u) {
  if (u <= 0) return(-tq(1 - p, -u, -l))
  if (l >= 0) {
    ql <- pnorm(l, lower.tail = FALSE, log.p = TRUE); qu <- pnorm(u, lower.tail = FALSE, log.p = TRUE)
    return(qnorm(ql + log1p(-p * (1 - exp(qu - ql))), lower.tail = FALSE, log.p = TRUE))
  }
  qnorm(pnorm(l) + p * (pnorm(u) - pnorm(l)))
}
trunc_cases <- list(c(0.95, -1, 2), c(0.5, -Inf, Inf), c(0.9, 3, Inf), c(0.99, 8, 12), c(0.05, 30, 40), c(0.975, -Inf, -6), c(0.3, 1.2, 1.5))
trunc <- lapply(trunc_cases, function(x) list(p = x[1], l = x[2], u = x[3], q = tq(x[1], x[2], x[3])))
fold_cases <- list(c(0.95, 0), c(0.95, 0.5), c(0.95, 2), c(0.9, 7.5), c(0.99, 0.1))
fold <- lapply(fold_cases, function(x) {
  f <- function(t) pnorm(t - x[2], lower.tail = FALSE) + pnorm(t + x[2], lower.tail = FALSE) - (1 - x[1])
  list(p = x[1], mu = x[2], q = uniroot(f, c(0, abs(x[2]) + 10), tol = 1e-14)$root)
})

# eta for moments y with nuisance directions X and standard deviations sd: variables (eta, delta), free.
eta_lp <- function(y, Xn, sd) {
  X <- Xn
  k <- ncol(X)
  r <- Rglpk_solve_LP(obj = c(1, rep(0, k)), mat = cbind(-sd, -X), dir = rep("<=", length(y)), rhs = -y,
                      bounds = list(lower = list(ind = 1:(k + 1), val = rep(-Inf, k + 1))), max = FALSE)
  if (r$status != 0) NA else r$optimum
}
X <- matrix(c(1, -1, 0.5, 2, 0, -1), 6, 1)
Sy <- diag(6) * 0.5 + 0.1
sd <- sqrt(diag(Sy))
ys <- list(c(0.3, -0.2, 0.1, 0.5, -1, 0.2), c(-1, -1, -1, -1, -1, -1), c(2, 0, 1, -0.5, 0.3, 0.8))
etas <- lapply(ys, function(y) list(y = y, eta = eta_lp(y, X, sd)))
set.seed(0); draws <- rmvnorm(1000, sigma = Sy, method = "eigen")
lf <- quantile(apply(draws, 1, eta_lp, Xn = X, sd = sd), 1 - 0.005, type = 7, na.rm = TRUE)

writeLines(toJSON(list(
  rnorm_seed0 = rn, rmvnorm = list(sigma = S3, draws = mv),
  truncated = trunc, folded = fold,
  eta = list(X = X, sigma = Sy, cases = etas, lf_kappa = 0.005, lf_cv = unname(lf))
), digits = NA, auto_unbox = TRUE, pretty = TRUE), "pieces.json")
