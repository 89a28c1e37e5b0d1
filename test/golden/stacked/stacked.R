# Golden numbers for didwasm's stacked DID (Wing, Freedman and Hollingsworth 2024), computed independently
# of didwasm: the stack is built here in base R from the paper's definitions, then fixest::feols fits it.
#   1. for each cohort a whose window a+lo .. a+hi lies inside the panel: the cohort's units and its clean
#      controls (never treated; with "notyet" also first treated after a+hi), rows with period in the window;
#   2. corrective weights: treated rows 1, control rows of sub-experiment a at event time e
#      (N^D_ae / N^D_e) / (N^C_ae / N^C_e), observation counts per sub-experiment and event time;
#   3. feols(y ~ i(event, treated, ref = -1) [+ controls] | sub_exp^unit + sub_exp^period, weights, cluster)
#      for the event-time coefficients, and y ~ treated x post for the static ATT.
#
# Usage (from the project root): Rscript test/golden/stacked/stacked.R
# Reads test/golden/data/base_stagg.csv (fixest's public base_stagg) and test/golden/data/staggered.csv
# (generated, see test/golden/make-golden.sh); writes test/golden/stacked/expected.json.
suppressPackageStartupMessages({
  library(jsonlite)
  library(fixest)
})
dir <- "test/golden"
datasets <- list(
  base_stagg = read.csv(file.path(dir, "data", "base_stagg.csv")),
  staggered = read.csv(file.path(dir, "data", "staggered.csv"))
)

build_stack <- function(d, unit, time, cohort, never, lo, hi, rule, controls) {
  g <- d[[cohort]]
  g[is.na(g) | g == 0 | g == never | g > max(d[[time]])] <- Inf
  d$g <- g
  d <- d[complete.cases(d[, c("y", controls)]), ]
  tmin <- min(d[[time]])
  tmax <- max(d[[time]])
  cohorts <- sort(unique(d$g[is.finite(d$g)]))
  parts <- list()
  for (a in cohorts) {
    if (a + lo < tmin || a + hi > tmax) next
    clean <- is.infinite(d$g) | (rule == "notyet" & d$g > a + hi)
    s <- d[(d$g == a | clean) & d[[time]] >= a + lo & d[[time]] <= a + hi, ]
    s$treated <- as.numeric(s$g == a)
    s$event <- s[[time]] - a
    s$sub_exp <- a
    parts[[length(parts) + 1]] <- s
  }
  st <- do.call(rbind, parts)
  key <- paste(st$sub_exp, st$event)
  nd <- ave(st$treated, key, FUN = sum)
  nc <- ave(1 - st$treated, key, FUN = sum)
  NDe <- ave(st$treated, st$event, FUN = sum)
  NCe <- ave(1 - st$treated, st$event, FUN = sum)
  st$q <- ifelse(st$treated == 1, 1, (nd / NDe) / (nc / NCe))
  st$post <- st$treated * (st$event >= 0)
  st$su <- paste(st$sub_exp, st[[unit]])
  st$sp <- paste(st$sub_exp, st[[time]])
  st
}

run_case <- function(id, dataset, unit, time, cohort, never, lo, hi, rule, weighting, controls = character(0), cluster = unit) {
  st <- build_stack(datasets[[dataset]], unit, time, cohort, never, lo, hi, rule, controls)
  w <- if (weighting == "corrective") st$q else NULL
  rhs <- paste(c("i(event, treated, ref = -1)", controls), collapse = " + ")
  fe <- feols(as.formula(paste("y ~", rhs, "| su + sp")), data = st, weights = w, cluster = as.formula(paste("~", cluster)))
  fa <- feols(as.formula(paste("y ~", paste(c("post", controls), collapse = " + "), "| su + sp")), data = st, weights = w, cluster = as.formula(paste("~", cluster)))
  ev <- grep("^event::", names(coef(fe)), value = TRUE)
  rel <- as.numeric(sub("^event::(-?[0-9]+):treated$", "\\1", ev))
  o <- order(rel)
  list(
    id = id, dataset = dataset, unit = unit, time = time, cohort = cohort, never = never, window = c(lo, hi),
    clean_controls = rule, weighting = weighting, controls = I(controls), cluster = cluster,
    expect = list(
      nobs = nobs(fe),
      att = list(estimate = unname(coef(fa)["post"]), std_error = unname(se(fa)["post"])),
      event = lapply(o, function(k) list(rel_time = rel[k], estimate = unname(coef(fe)[ev[k]]), std_error = unname(se(fe)[ev[k]]))),
      event_vcov = unname(vcov(fe)[ev[o], ev[o]]),
      rows_by_cohort = as.list(table(st$sub_exp))
    )
  )
}

cases <- list(
  run_case("base_stagg_corrective", "base_stagg", "id", "year", "year_treated", 10000, -2, 2, "notyet", "corrective"),
  run_case("base_stagg_unweighted_never", "base_stagg", "id", "year", "year_treated", 10000, -2, 2, "never", "none"),
  run_case("base_stagg_controls", "base_stagg", "id", "year", "year_treated", 10000, -3, 1, "notyet", "corrective", controls = "x1"),
  run_case("staggered_corrective", "staggered", "unit", "year", "cohort", 0, -3, 3, "notyet", "corrective"),
  run_case("staggered_state_cluster", "staggered", "unit", "year", "cohort", 0, -2, 1, "never", "none", cluster = "state")
)
writeLines(toJSON(list(generated_by = "test/golden/stacked/stacked.R", fixest = as.character(packageVersion("fixest")), cases = cases),
  auto_unbox = TRUE, digits = NA, pretty = TRUE), file.path(dir, "stacked", "expected.json"))
