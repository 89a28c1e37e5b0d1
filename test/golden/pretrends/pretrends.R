# Golden numbers for didwasm pretrends (Roth 2022's power of pre-tests, as the pretrends R package computes
# them), written from the package's formulas with mvtnorm only (the package itself and tmvtnorm are not
# installable here). Probabilities use mvtnorm's deterministic Miwa algorithm (not the default randomised
# Genz-Bretz, whose error is about 1e-3), slopes a tight uniroot, and the mean after pre-testing Tallis's
# (1961) formula for the mean of a truncated multivariate normal (what tmvtnorm::mtmvnorm computes).
# Run from the repository root: Rscript test/golden/pretrends/pretrends.R
library(mvtnorm)
library(jsonlite)

prob_box <- function(mean, sigma, lower, upper) {
  sigma <- as.matrix(sigma)
  if (length(mean) == 1) return(pnorm(upper, mean, sqrt(sigma[1, 1])) - pnorm(lower, mean, sqrt(sigma[1, 1])))
  as.numeric(pmvnorm(lower = lower, upper = upper, mean = mean, sigma = sigma, algorithm = Miwa(steps = 4096)))
}

pretest_box <- function(sigma_pre, z = 1.96) { ub <- z * sqrt(diag(as.matrix(sigma_pre))); list(lb = -ub, ub = ub) }

power_of <- function(delta_pre, sigma_pre) { b <- pretest_box(sigma_pre); 1 - prob_box(delta_pre, sigma_pre, b$lb, b$ub) }

# Tallis: E[X | a <= X <= b] = mu + Sigma F / alpha, F_k = f_k(a_k) - f_k(b_k), f_k(x) the density of X_k at x
# times the probability that the other coordinates are in their limits given X_k = x.
truncated_mean <- function(mu, S, lower, upper) {
  S <- as.matrix(S); d <- length(mu); a <- lower - mu; b <- upper - mu
  alpha <- prob_box(rep(0, d), S, a, b)
  if (d == 1) return(mu + S[1, 1] * (dnorm(a, 0, sqrt(S[1, 1])) - dnorm(b, 0, sqrt(S[1, 1]))) / alpha)
  f <- function(k, x) {
    c <- S[-k, k] / S[k, k]
    Sc <- S[-k, -k, drop = FALSE] - outer(S[-k, k], S[k, -k]) / S[k, k]
    dnorm(x, 0, sqrt(S[k, k])) * prob_box(rep(0, d - 1), Sc, a[-k] - c * x, b[-k] - c * x)
  }
  F <- sapply(1:d, function(k) f(k, a[k]) - f(k, b[k]))
  as.numeric(mu + S %*% F / alpha)
}

pretrends_of <- function(betahat, sigma, t, ref, delta) {
  pre <- which(t < ref); post <- which(t > ref)
  Sp <- sigma[pre, pre, drop = FALSE]
  p1 <- power_of(delta[pre], Sp); p0 <- power_of(0 * delta[pre], Sp)
  lik <- function(m) as.numeric(dmvnorm(betahat[pre], m, Sp))
  b <- pretest_box(Sp)
  mean_pre <- truncated_mean(delta[pre], Sp, b$lb, b$ub)
  mean_post <- as.numeric(delta[post] + sigma[post, pre, drop = FALSE] %*% solve(Sp, mean_pre - delta[pre]))
  list(power = p1, bayes_factor = (1 - p1) / (1 - p0), likelihood_ratio = lik(delta[pre]) / lik(0 * delta[pre]),
       mean_after_pretesting = c(mean_pre, mean_post))
}

slope_for_power <- function(sigma, t, ref, target) {
  pre <- which(t < ref); Sp <- sigma[pre, pre, drop = FALSE]; rel <- t[pre] - ref
  uniroot(function(s) power_of(rel * s, Sp) - target, lower = 0, upper = 8 * max(sqrt(diag(Sp))), tol = 1e-12)$root
}

hw <- fromJSON("test/golden/data/he-wang-2017-event-study.json")
ref <- hw$reference_period
slope50 <- slope_for_power(hw$sigma, hw$t, ref, 0.5)
slope80 <- slope_for_power(hw$sigma, hw$t, ref, 0.8)
linear <- pretrends_of(hw$beta, hw$sigma, hw$t, ref, slope50 * (hw$t - ref))
quadratic <- pretrends_of(hw$beta, hw$sigma, hw$t, ref, 0.024 * (hw$t - ref)^2)

# Generated event studies: two and five pre-periods (the five-dimensional probability is the lattice case).
set.seed(20221)
gen <- function(t) {
  k <- length(t); A <- matrix(rnorm(k * k), k); S <- (crossprod(A) / k + diag(k)) * 0.01
  list(t = t, beta = as.numeric(rnorm(k, 0, 0.1)), sigma = S)
}
g2 <- gen(c(-3, -2, 0, 1, 2)); g5 <- gen(c(-6, -5, -4, -3, -2, 0, 1))
case <- function(g, delta) c(list(t = g$t, beta = g$beta, sigma = g$sigma, delta = delta), pretrends_of(g$beta, g$sigma, g$t, -1, delta),
  list(slope50 = slope_for_power(g$sigma, g$t, -1, 0.5), slope80 = slope_for_power(g$sigma, g$t, -1, 0.8)))

# Box probabilities on their own (mvn-rectangle.ts): He and Wang's pre-period box, equicorrelated 4 and 5 dimensions.
eq <- function(d, r) { S <- matrix(r, d, d); diag(S) <- 1; S }
hwPre <- hw$sigma[1:3, 1:3]; hwUb <- 1.96 * sqrt(diag(hwPre))
box <- function(mean, S, lower, upper) list(mean = mean, sigma = S, lower = lower, upper = upper, probability = prob_box(mean, S, lower, upper))
boxes <- list(
  box(c(0.01, 0, 0), hwPre, -hwUb, hwUb),
  box(c(0.1, 0, 0.2, 0), eq(4, 0.6), rep(-1.96, 4), rep(1.96, 4)),
  box(c(0.1, 0, 0.2, 0), eq(4, 0.9), rep(-1.96, 4), rep(1.96, 4)),
  box(rep(0.1, 5), eq(5, 0.6), rep(-1.96, 5), rep(1.96, 5))
)

out <- list(
  boxes = boxes,
  he_wang = list(slope50 = slope50, slope80 = slope80, linear = linear, quadratic = quadratic),
  generated = list(two_pre = case(g2, 0.05 * (g2$t + 1)), five_pre = case(g5, 0.02 * (g5$t + 1)^2 / 4))
)
write_json(out, "test/golden/pretrends/pretrends.json", digits = NA, auto_unbox = TRUE, pretty = TRUE)
