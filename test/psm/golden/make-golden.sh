#!/bin/sh
# Regenerates the expected numbers of the PSM golden test: writes the two smart-city panels with the didwasm
# CLI (the generator's default seed, as bundled in data/smart-city.csv, and seed 7) into a temporary folder,
# then runs golden.R (glm, MatchIt, lm + sandwich). The CSVs are not committed: expected.json records their
# MD5 and golden.test.ts regenerates them with the same generator and checks the MD5.
# Needs a built project (npm run build), Rscript and the R packages MatchIt, sandwich and jsonlite.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
node "$root/dist/cli/main.js" demo-data --quiet --out "$tmp/smart-city.csv"
node "$root/dist/cli/main.js" demo-data --quiet --seed 7 --out "$tmp/smart-city-seed7.csv"
Rscript "$here/golden.R" "$tmp" "$here"
