#!/bin/sh
# Regenerates the golden data sets with the didwasm CLI, then the expected numbers with R (lm + sandwich).
# Run from anywhere; needs a built project (npm run build), Rscript and the R packages sandwich and jsonlite.
# The generator options below are repeated in golden.test.ts, which checks that the generator still
# reproduces every committed CSV byte for byte.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
cli="node $root/dist/cli/main.js demo-data --kind panel --quiet"

# String unit ids, analytic weights, 3% of y and of x1 missing, 4 singleton units (all in state 11).
$cli --units 60 --periods 6 --regressors 3 --units-per-state 6 --seed 7 --weights --missing 0.03 --singletons 4 \
  --string-ids --out "$here/data/panel_str.csv"
# Numeric unit ids, no missing values, 3 singleton units (all in state 13).
$cli --units 48 --periods 5 --regressors 2 --units-per-state 4 --seed 11 --singletons 3 \
  --out "$here/data/panel_num.csv"
# Numeric ids, weights, 15% missing: with unit + state^year fixed effects, removing singletons creates
# new ones (three rounds of removal).
$cli --units 60 --periods 4 --regressors 2 --units-per-state 3 --seed 1 --weights --missing 0.15 --singletons 3 \
  --out "$here/data/panel_cascade.csv"

Rscript "$here/golden.R" "$here"

# did2s (did2s.R): staggered adoption in 2004, 2006, 2008 or never (30%), effect 1, weights, 3% missing.
$cli --units 60 --periods 10 --regressors 2 --units-per-state 6 --seed 5 --weights --missing 0.03 \
  --cohorts 2004,2006,2008 --never-share 0.3 --effect 1 --out "$here/data/staggered.csv"
Rscript "$here/did2s.R" "$here"
# imputation (imputation.R): the same staggered panel, and fixest's base_stagg (written to data/ by the script).
Rscript "$here/imputation.R" "$here"

# fixest's conventions (fixest-conventions.R): i() references and Sun-Abraham with weights, computed
# with fixest 0.12.2 itself on the data sets above.
Rscript "$here/fixest-conventions.R" "$here"

# fixest's variances and results (fixest-variance.R): twoway, a^b, NW, DK, Conley, ssc(), fixef(), fitted and
# residuals, wald(), on public data the script writes to data/variance/ (needs r-cran-plm).
Rscript "$here/fixest-variance.R" "$here"
