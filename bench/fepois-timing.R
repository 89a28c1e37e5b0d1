# Times fixest's fepois for the Poisson benchmark (bench/fepois.bench.mjs), one data set per R session:
#
#   Rscript bench/fepois-timing.R JOB.json OUT.json
#
# JOB: {"data": "file.csv", "reps": 3, "models": [{"id": "...", "formula": "y ~ x | a + b"}]}
#
# As bench/fixest-timing.R: the CSV read once with data.table::fread (not timed); each model fitted once to
# warm up (its coefficients, standard errors and IRLS iterations are what the benchmark compares), then
# `reps` times with a garbage collection before each (untimed); the best elapsed time is reported. One
# thread (fixest's nthreads and data.table's); fepois's defaults otherwise (glm.tol 1e-8, fixef.tol 1e-6,
# standard errors clustered by the first fixed effect).
suppressPackageStartupMessages({
  library(data.table)
  library(fixest)
  library(jsonlite)
})

args <- commandArgs(trailingOnly = TRUE)
if (length(args) != 2) stop("usage: Rscript bench/fepois-timing.R JOB.json OUT.json")
job <- fromJSON(args[1], simplifyVector = FALSE)
elapsed <- function() proc.time()[["elapsed"]]

dt <- fread(job$data, showProgress = FALSE)
setFixest_nthreads(1)
setDTthreads(1)

fit_model <- function(m) fepois(as.formula(m$formula), data = dt, nthreads = 1)

time_model <- function(m) {
  warned <- character(0)
  fit <- withCallingHandlers(fit_model(m), warning = function(w) {
    warned <<- c(warned, conditionMessage(w))
    invokeRestart("muffleWarning")
  })
  times <- numeric(0)
  for (r in seq_len(job$reps)) {
    invisible(gc(verbose = FALSE))
    t0 <- elapsed()
    fit_model(m)
    times <- c(times, elapsed() - t0)
  }
  list(
    id = m$id, formula = m$formula, nobs = nobs(fit), fixef_sizes = as.list(fit$fixef_sizes),
    coef = as.list(coef(fit)), se = as.list(se(fit)), iterations = fit$iterations,
    warnings = I(warned), times_s = I(times), best_s = min(times)
  )
}

out <- list(
  r = R.version.string, fixest = as.character(packageVersion("fixest")), data_table = as.character(packageVersion("data.table")),
  reps = job$reps, models = lapply(job$models, time_model)
)
write(toJSON(out, auto_unbox = TRUE, digits = NA, null = "null"), args[2])
