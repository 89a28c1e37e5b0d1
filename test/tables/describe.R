# Expected values of describe() on the bundled smart-city panel, from base R:
#   Rscript test/tables/describe.R > test/tables/describe-expected.json
# sd() uses n - 1 like Stata's summarize; quantile(type = 2) is Stata's summarize, detail percentile
# definition (average at whole-number positions, else the next order statistic). Missing values dropped
# per variable.
library(jsonlite)
d <- read.csv("data/smart-city.csv")
vars <- c("ire", "lngdp", "did", "lnfin", "upg")
pct <- c(2.5, 10, 25, 50, 75, 90)
stats <- function(x) {
  x <- x[!is.na(x)]
  q <- quantile(x, pct / 100, type = 2, names = FALSE)
  c(list(n = length(x), mean = mean(x), sd = sd(x), min = min(x), max = max(x)), setNames(as.list(q), paste0("p", pct)))
}
all <- lapply(vars, function(v) c(list(variable = v), stats(d[[v]])))
by <- unlist(lapply(sort(unique(d$east)), function(g) lapply(vars, function(v) c(list(variable = v, group = as.character(g)), stats(d[[v]][d$east == g])))), recursive = FALSE)
cat(toJSON(list(percentiles = pct, all = all, by_east = by), auto_unbox = TRUE, digits = NA, pretty = TRUE), "\n")
