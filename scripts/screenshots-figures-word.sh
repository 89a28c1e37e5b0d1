#!/usr/bin/env bash
# Screenshots for the README (docs/screenshots/): the report page's event-study section as Chromium shows it,
# a page of a PDF figure as a PDF viewer shows it, and the baseline and robustness regression tables of the
# report's tables.docx as LibreOffice prints them. From the demo study's
# report (or SPEC=path/to/spec.json). Needs a build (npm run build), LibreOffice and poppler-utils
# (apt-get install -y libreoffice-writer-nogui poppler-utils, as in .ci/run).
set -euo pipefail
cd "$(dirname "$0")/.."
spec="${SPEC:-examples/smart-city.json}"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
node dist/cli/main.js report "$spec" --out "$tmp/report" --quiet
mkdir -p docs/screenshots

# The report page's event-study section (table, figure, file links, notes and command), in Chromium.
node --input-type=module -e '
import { chromium } from "playwright-core";
import { pathToFileURL } from "node:url";
const [html, out] = process.argv.slice(1);
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium", args: ["--headless", "--no-sandbox", "--disable-gpu"] });
const page = await browser.newPage({ viewport: { width: 1000, height: 1200 } });
await page.goto(pathToFileURL(html).href);
await page.locator("#s3").screenshot({ path: out });
await browser.close();
' "$tmp/report/index.html" docs/screenshots/report.png

# The event-study figure (figure 1), rendered from its PDF at 200 dpi.
pdftoppm -png -r 200 -singlefile "$(ls "$tmp"/report/figures/fig-1-*.pdf | head -n 1)" docs/screenshots/figure-pdf

# The Word tables through LibreOffice: the page with the baseline table and the page with the robustness
# table (the paper's Table 6, its last column the firm-level regression), each cut below its last line of text.
soffice "-env:UserInstallation=file://$tmp/lo-profile" --headless --convert-to pdf --outdir "$tmp" "$tmp/report/tables.docx" >/dev/null 2>&1
pages="$(pdfinfo "$tmp/tables.pdf" | awk '/^Pages:/ { print $2 }')"
dpi=110
# word_page PATTERN OUT: the first page whose text matches PATTERN, as OUT.png.
word_page() {
  local page=""
  for p in $(seq 1 "$pages"); do
    if pdftotext -f "$p" -l "$p" "$tmp/tables.pdf" - | grep -q -i "$1"; then page="$p"; break; fi
  done
  [ -n "$page" ] || { echo "no page matching \"$1\" in tables.docx" >&2; exit 1; }
  # The lowest word on the page (points from the top), from pdftotext's word boxes, plus a margin.
  local bottom height
  bottom="$(pdftotext -f "$page" -l "$page" -bbox "$tmp/tables.pdf" - | grep -o 'yMax="[0-9.]*"' | tr -dc '0-9.\n' | sort -n | tail -n 1)"
  height="$(awk -v b="$bottom" -v d="$dpi" 'BEGIN { printf "%d", (b + 36) * d / 72 }')"
  pdftoppm -png -r "$dpi" -f "$page" -l "$page" -y 0 -H "$height" -W 100000 -singlefile "$tmp/tables.pdf" "$2"
  echo "wrote $2.png (page $page of tables.docx)"
}
word_page "baseline regression" docs/screenshots/word-table
word_page "robustness: other policies" docs/screenshots/word-robustness
echo "wrote docs/screenshots/report.png and figure-pdf.png"
