# Times fixest's feols for the fixed-effects benchmark (bench/fixest.bench.mjs), one data set per R session:
#
#   Rscript bench/fixest-timing.R JOB.json OUT.json
#
# JOB: {"data": "file.csv", "tol": 1e-8, "reps": 3, "models": [{"id": "...", "formula": "y ~ x | a + b", "cluster": "a"}]}
#
# The CSV is read once with data.table::fread (not timed). Each model is fitted once to warm up (untimed:
# the first call pays for loading code and allocating; its coefficients, clustered standard errors and
# demeaning iterations are what the benchmark compares), then `reps` times with a garbage collection
# before each (untimed, so that one fit's garbage is not collected inside the next one's clock); the
# reported time is the best of those, elapsed seconds from proc.time(), as fixest's own benchmark
# measures. One thread everywhere (fixest's nthreads and data.table's), fixef.tol from the job.
suppressPackageStartupMessages({
  library(data.table)
  library(fixest)
  library(jsonlite)
})

args <- commandArgs(trailingOnly = TRUE)
if (length(args) != 2) stop("usage: Rscript bench/fixest-timing.R JOB.json OUT.json")
job <- fromJSON(args[1], simplifyVector = FALSE)

elapsed <- function() proc.time()[["elapsed"]]

t_read <- elapsed()
dt <- fread(job$data, showProgress = FALSE)
read_s <- elapsed() - t_read

setFixest_nthreads(1)
setDTthreads(1)

fit_model <- function(m) {
  feols(as.formula(m$formula), data = dt, vcov = as.formula(paste0("~", m$cluster)),
        fixef.tol = job$tol, nthreads = 1)
}

# Fits once, keeping every warning (fixest warns when demeaning stops at its iteration cap).
fit_collecting_warnings <- function(m) {
  warned <- character(0)
  fit <- withCallingHandlers(fit_model(m), warning = function(w) {
    warned <<- c(warned, conditionMessage(w))
    invokeRestart("muffleWarning")
  })
  list(fit = fit, warnings = warned)
}

time_model <- function(m) {
  first <- fit_collecting_warnings(m)
  fit <- first$fit
  times <- numeric(0)
  for (r in seq_len(job$reps)) {
    invisible(gc(verbose = FALSE))
    t0 <- elapsed()
    fit_model(m)
    times <- c(times, elapsed() - t0)
  }
  list(
    id = m$id, formula = m$formula, cluster = m$cluster,
    nobs = nobs(fit),
    fixef_sizes = as.list(fit$fixef_sizes),
    coef = as.list(coef(fit)),
    se = as.list(se(fit)),
    iterations = as.list(if (is.null(fit$iterations)) integer(0) else fit$iterations),
    warnings = I(first$warnings), # I(): stays a JSON array even with one element
    times_s = I(times),
    best_s = min(times)
  )
}

results <- lapply(job$models, time_model)

out <- list(
  r = R.version.string,
  fixest = as.character(packageVersion("fixest")),
  data_table = as.character(packageVersion("data.table")),
  fixest_threads = getFixest_nthreads(),
  tol = job$tol,
  reps = job$reps,
  read_s = read_s,
  models = results
)
write(toJSON(out, auto_unbox = TRUE, digits = NA, null = "null"), args[2])
