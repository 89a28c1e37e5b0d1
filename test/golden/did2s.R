# Golden numbers for didwasm's did2s (two-stage DID, Gardner 2021), computed by brute force in base R
# without the did2s or fixest packages: both stages with lm() and factor dummies, and the GMM variance of
# the did2s package written out with dense model matrices:
#   gamma = (X10'W X10)^-1 X1'W X2          X1: first-stage design on every row (controls, unit and year
#                                            dummies), X10: X1 with the treated rows set to zero
#   W_c   = X2_c' W_c u2_c - gamma' X10_c' W_c u1_c     (u1: first-stage residuals, 0 on treated rows)
#   V     = (X2'W X2)^-1 (sum_c W_c W_c') (X2'W X2)^-1, no small-sample factor; t(n - K2) p-values.
# X1 keeps lm's parameterisation (intercept, one level of each factor dropped): gamma changes with the
# parameterisation but X10 gamma, all the variance uses, does not.
#
# Usage (from the project root): Rscript test/golden/did2s.R [test/golden]
# Reads DIR/data/staggered.csv (written by make-golden.sh with the didwasm CLI) and writes
# DIR/did2s-expected.json.
suppressPackageStartupMessages(library(jsonlite))
args <- commandArgs(trailingOnly = TRUE)
dir <- if (length(args) >= 1) args[1] else "test/golden"
data <- read.csv(file.path(dir, "data", "staggered.csv"))

did2s_brute <- function(id, controls = character(0), weights = NULL, cluster = "unit", event = FALSE,
                        window = NULL, bin = NULL, ref = -1) {
  d <- data[complete.cases(data[, c("y", "treat", controls)]), ]
  rel <- ifelse(d$cohort > 0, d$year - d$cohort, NA)
  if (!is.null(window)) {
    keep <- is.na(rel) | (rel >= window[1] & rel <= window[2])
    d <- d[keep, ]
    rel <- rel[keep]
  }
  w <- if (is.null(weights)) rep(1, nrow(d)) else d[[weights]]
  d$.wt <- w # lm() looks weights up in the data first, where a column "w" would shadow the vector
  untr <- d$treat == 0

  # First stage on the untreated rows; the design on every row with the same columns.
  rhs1 <- paste(c(controls, "factor(unit)", "factor(year)"), collapse = " + ")
  m1 <- lm(as.formula(paste("y ~", rhs1)), data = d[untr, ], weights = .wt)
  X1 <- model.matrix(as.formula(paste("~", rhs1)), data = d)
  b1 <- coef(m1)
  stopifnot(all(names(b1) == colnames(X1)), !anyNA(b1))
  ytilde <- d$y - drop(X1 %*% b1)

  # Second stage: the treatment, or relative-time dummies (binned, reference period omitted).
  if (event) {
    relb <- if (is.null(bin)) rel else pmax(-bin, pmin(bin, rel))
    levels <- sort(setdiff(unique(relb[!is.na(relb)]), ref))
    X2 <- sapply(levels, function(k) as.numeric(!is.na(relb) & relb == k))
    colnames(X2) <- paste0("rel::", levels)
  } else {
    X2 <- cbind(treat = d$treat)
  }
  m2 <- lm.wfit(X2, ytilde, w)
  b2 <- coef(m2)
  u2 <- ytilde - drop(X2 %*% b2)
  u1 <- ifelse(untr, ytilde, 0)

  X10 <- X1 * untr
  gamma <- solve(crossprod(X10 * w, X10), crossprod(X1 * w, X2))
  cl <- d[[cluster]]
  meat <- matrix(0, ncol(X2), ncol(X2))
  for (g in unique(cl)) {
    i <- cl == g
    Wc <- crossprod(X2[i, , drop = FALSE] * w[i], u2[i]) - t(gamma) %*% crossprod(X10[i, , drop = FALSE] * w[i], u1[i])
    meat <- meat + Wc %*% t(Wc)
  }
  bread <- solve(crossprod(X2 * w, X2))
  V <- bread %*% meat %*% bread
  se <- sqrt(diag(V))
  n <- nrow(d)
  stat <- b2 / se
  list(
    id = id, controls = I(controls), weights = weights, cluster = cluster, event = event,
    window = window, bin = bin, ref = ref,
    expect = list(
      nobs = n,
      coefficients = lapply(seq_along(b2), function(j) list(
        term = colnames(X2)[j], estimate = unname(b2[j]), std_error = unname(se[j]),
        statistic = unname(stat[j]), p_value = 2 * pt(abs(unname(stat[j])), df = n - ncol(X2), lower.tail = FALSE)
      ))
    )
  )
}

cases <- list(
  did2s_brute("static", cluster = "unit"),
  did2s_brute("static_controls_weights", controls = c("x1", "x2"), weights = "w", cluster = "unit"),
  did2s_brute("static_controls_state", controls = c("x1", "x2"), cluster = "state"),
  did2s_brute("event_bin_controls", controls = c("x1", "x2"), cluster = "unit", event = TRUE, bin = 3),
  did2s_brute("event_window_weights", controls = c("x2"), weights = "w", cluster = "state", event = TRUE, window = c(-5, 3))
)
writeLines(toJSON(list(generated_by = "test/golden/did2s.R", r_version = R.version.string, cases = cases),
                  auto_unbox = TRUE, digits = I(15), pretty = TRUE, null = "null"),
           file.path(dir, "did2s-expected.json"))
