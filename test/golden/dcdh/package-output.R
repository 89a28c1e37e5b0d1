# The DIDmultiplegtDYN package's own output on favara_imbs, for dcdh-golden.test.ts's "package output" check.
# The package is not installable here (no CRAN; rnames, cowplot and matlib missing), so its R sources are
# sourced from a checkout of its public repository (github.com/chaisemartinPackages/did_multiplegt_dyn, R/R/,
# checked at commit a883607), with two stand-ins for missing dependencies that do not touch the estimates
# (matlib's Ginv: MASS::ginv, used for the joint tests; cowplot's theme: ggplot2's, for the unused graph).
#   Rscript test/golden/dcdh/package-output.R /path/to/did_multiplegt_dyn/R/R
suppressMessages({ library(data.table); library(plm); library(dplyr); library(ggplot2); library(lmtest); library(sandwich); library(car); library(haven); library(openxlsx) })
Ginv <- function(A) MASS::ginv(A)
theme_minimal_grid <- function(...) ggplot2::theme_minimal()
src <- commandArgs(TRUE)[1]
for (f in list.files(src, pattern = "\\.R$", full.names = TRUE)) if (!grepl("data\\.R$|rnames\\.R$", f)) source(f)
favara <- read.csv("test/golden/data/favara_imbs.csv")
for (normalized in c(FALSE, TRUE)) {
  print(did_multiplegt_dyn(df = favara, outcome = "Dl_vloans_b", group = "county", time = "year", treatment = "inter_bra", effects = 8, placebo = 3,
    cluster = "state_n", normalized = normalized, same_switchers = normalized, effects_equal = normalized, graph_off = TRUE))
}
