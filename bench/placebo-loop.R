# The R side of bench/start.bench.mjs: a placebo test written as users write it in R, a loop of fixest
# refits, each with a mixed placebo treatment (variant 1: as many random fake units as the data has treated
# units, one random fake start year for all), clustered by unit. Times the loop only (R's start, package
# loading and reading the CSV excluded), on one thread.
#   Rscript bench/placebo-loop.R DATA.csv DRAWS SEED OUT.json
suppressPackageStartupMessages({ library(fixest); library(data.table); library(jsonlite) })
args <- commandArgs(trailingOnly = TRUE)
data_path <- args[1]; draws <- as.integer(args[2]); seed <- as.integer(args[3]); out <- args[4]
setFixest_nthreads(1)
setDTthreads(1)
d <- fread(data_path)
fml <- ire ~ fake + lngdp + lnfin + upg + lnfis + fix + tra | city + year
units <- unique(d$city)
treated <- length(unique(d$city[d$did == 1]))
years <- sort(unique(d$year))
set.seed(seed)
# One refit first, so the loop does not pay for first-call setup.
d[, fake := did]
invisible(feols(fml, d, cluster = ~city))
est <- numeric(draws)
t0 <- proc.time()
for (r in seq_len(draws)) {
  fake_units <- sample(units, treated)
  fake_year <- sample(years[-1], 1)
  d[, fake := as.numeric(city %in% fake_units & year >= fake_year)]
  est[r] <- coef(feols(fml, d, cluster = ~city))[["fake"]]
}
el <- proc.time() - t0
write_json(list(draws = draws, elapsed_s = el[["elapsed"]], cpu_s = el[["user.self"]] + el[["sys.self"]],
  fixest = as.character(packageVersion("fixest")), r = R.version.string, mean_estimate = mean(est)), out, auto_unbox = TRUE, digits = NA)
