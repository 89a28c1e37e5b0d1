// The trade flows shipped with fixest (the shared conformance data, read in place and never copied into
// the repository) with the two logs the model needs as plain columns, since didwasm's formulas do not
// take log() yet: ln_euros = ln(Euros), log_dist_km = ln(dist_km). The file's own log_euros and
// log_dist columns hold the same logs (to 1e-13); recomputing them here keeps the benchmark's model
// the one of fixest's documentation, log(Euros) ~ log(dist_km) | Origin + Destination + Product + Year.
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { ROOT } from "./paths.mjs";
import { csvRows } from "./csv-rows.mjs";

/** The shared conformance folder, found as test/helpers/conformance.ts finds it. */
export function conformanceDir() {
  const candidates = [process.env.DIDWASM_CONFORMANCE, resolve(ROOT, "../shared/conformance"), "/work/shared/conformance"].filter(Boolean);
  const found = candidates.find((c) => existsSync(join(c, "cases.json")));
  if (!found) throw new Error(`the shared conformance data were not found (looked in ${candidates.join(", ")}); set DIDWASM_CONFORMANCE`);
  return found;
}

/** Reads trade.csv from `source` and writes the derived CSV to `file`; returns the row count. */
export function writeTradeLn(file, source = join(conformanceDir(), "data", "trade.csv")) {
  const lines = readFileSync(source, "utf8").split(/\r?\n/).filter((l) => l !== "");
  const head = lines[0].split(",");
  const col = (name) => {
    const j = head.indexOf(name);
    if (j < 0) throw new Error(`${source}: no column ${name} (columns: ${head.join(", ")})`);
    return j;
  };
  const [o, d, p, y, dist, euros] = ["Origin", "Destination", "Product", "Year", "dist_km", "Euros"].map(col);
  const out = csvRows(file, ["Origin", "Destination", "Product", "Year", "ln_euros", "log_dist_km"]);
  for (let i = 1; i < lines.length; i++) {
    if (lines[i].includes('"')) throw new Error(`${source} row ${i + 1}: quoted cells are not expected in this file`);
    const c = lines[i].split(",");
    const e = Number(c[euros]);
    const km = Number(c[dist]);
    if (!(e > 0 && km > 0)) throw new Error(`${source} row ${i + 1}: Euros and dist_km must be positive to take logs`);
    out.row([c[o], c[d], c[p], c[y], String(Math.log(e)), String(Math.log(km))]);
  }
  out.close();
  return { rows: lines.length - 1 };
}
