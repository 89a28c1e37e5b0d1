// fit's variances and results on the command line, in process (runCli): --fixef-out and --predict write
// their CSVs (also with --json), and each bad input of the variance options exits with status 2 and a
// message that names what to change: a lag longer than the panel (L and T), conley without coordinates
// (the missing option), a text latitude (the column and its row), a^b of a missing column, an unknown ssc
// key or value, a file name that is not .csv.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../../cli/program.js";
import { readCsvFile } from "../../bindings/data/read-file.js";
import { feols } from "../../bindings/estimators/feols.js";
import { panelCsv } from "./fixtures.js";

let dir = "";
const file = (name: string) => join(dir, name);

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await runCli(args, { out: (t) => (out += t), err: (t) => (err += t) });
  return { code, out, err };
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "didwasm-fit-results-"));
  // 20 units x 6 years; y missing on data rows 3 and 10, so --predict has empty cells there; coordinates
  // per unit (lat, lon), and a copy of lat with text on one row.
  const lines = panelCsv().trimEnd().split("\n");
  const rows = lines.map((l, i) => {
    if (i === 0) return `${l},lat,lon,lat_text`;
    const c = l.split(",");
    if (i === 3 || i === 10) c[4] = "";
    const unit = Number(c[0]);
    const lat = (40 + unit * 0.7).toFixed(3);
    return `${c.join(",")},${lat},${(-5 + unit * 1.3).toFixed(3)},${i === 7 ? "north" : lat}`;
  });
  writeFileSync(file("panel.csv"), rows.join("\n") + "\n");
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const FIT = ["fit", "PANEL", "--formula", "y ~ x1 + x2 | unit + year"];
const args = (...more: string[]) => FIT.map((a) => (a === "PANEL" ? file("panel.csv") : a)).concat(more);

describe("fit --fixef-out and --predict", () => {
  it("writes fixest's fixed-effect values and the fitted values aligned to the input rows", async () => {
    const r = await cli(args("--fixef-out", file("fe.csv"), "--predict", file("pred.csv"), "--json"));
    expect(r.code, r.err).toBe(0);
    const fit = feols(readCsvFile(file("panel.csv")), "y ~ x1 + x2 | unit + year");
    const fe = readFileSync(file("fe.csv"), "utf8").trimEnd().split("\n");
    expect(fe[0]).toBe("fe,level,value");
    expect(fe.length - 1).toBe(20 + 6);
    // One reference: the year of the first observation (2000) is 0, as fixest's fixef().
    expect(fe).toContain("year,2000,0");
    const want = fit.fixef().effects[0];
    expect(fe[1]).toBe(`unit,${want.levels[0]},${want.values[0]}`);

    const pred = readFileSync(file("pred.csv"), "utf8").trimEnd().split("\n");
    expect(pred[0]).toBe("row,fitted,residual");
    expect(pred.length - 1).toBe(120);
    // Data rows 2 and 9 (0-based) have no y: empty cells; the others are fit.predict() and fit.resid().
    expect(pred[3]).toBe("3,,");
    expect(pred[10]).toBe("10,,");
    const fitted = fit.predict();
    const resid = fit.resid();
    expect(pred[1]).toBe(`1,${fitted[0]},${resid[0]}`);
    expect(Number.isNaN(fitted[2]) && Number.isNaN(resid[9])).toBe(true);
    // --json still prints the result, without the files' contents.
    expect(JSON.parse(r.out).nobs).toBe(118);
  });

  it("adds the Wald test and the fixed effects to the JSON when asked", async () => {
    const r = await cli(args("--wald", "^x", "--fixef", "--json", "--vcov", "NW(1)"));
    expect(r.code, r.err).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.vcov).toBe("NW(1):unit+year");
    expect(j.wald.coefficients).toEqual(["x1", "x2"]);
    expect(j.wald.df1).toBe(2);
    expect(j.fixef).toHaveLength(26);
    expect(j.fixef_references).toEqual({ unit: 0, year: 1 });
    const text = await cli(args("--wald", "^x"));
    expect(text.out).toMatch(/Wald test, H0: joint nullity of x1, x2\n stat = [\d.]+, p-value: (< )?[\d.e-]+, on 2 and \d+ DoF, VCOV: cluster:unit\./);
  });
});

describe("bad variance and result options exit 2 with a clear message", () => {
  const cases: Array<[string, string[], RegExp]> = [
    ["a lag longer than the panel", ["--vcov", "NW(5)"], /lag L = 5 is too large for the panel: "year" has T = 6 period\(s\).*at most 4/],
    ["a DK lag longer than the panel", ["--vcov", "DK(7):year"], /lag L = 7 is too large .* T = 6/],
    ["conley without coordinates", ["--vcov", "conley(100)"], /needs coordinates: give lat and lon \(--lat .* --lon/],
    ["conley with one coordinate", ["--vcov", "conley(100)", "--lat", "lat"], /the longitude \(lon, --lon\) is missing/],
    ["a text latitude", ["--vcov", "conley(100)", "--lat", "lat_text", "--lon", "lon"], /latitude "lat_text" must be numeric, but .*8.* "north"/],
    ["a^b of a missing column", ["--vcov", "cluster:unit^nowhere"], /unknown cluster variable "nowhere"/],
    ["an unknown ssc key", ["--ssc", "adjust=false"], /unknown key "adjust" \(fixest's keys: adj, fixef\.K/],
    ["an unknown ssc value", ["--ssc", "fixef.K=some"], /fixef\.K must be none, full, nested, got "some"/],
    ["--lat without conley", ["--lat", "lat"], /--lat applies only with --vcov conley/],
    ["--panel-id with NW variables", ["--vcov", "NW(1):unit+year", "--panel-id", "unit,year"], /--panel-id applies only with --vcov NW\(L\) or DK\(L\) written without variables/],
    ["a time series with repeated periods", ["--vcov", "NW(1):year"], /one observation per period, but 112 observation\(s\) repeat/],
    ["a Wald pattern matching nothing", ["--wald", "^zz"], /wald "\^zz" matches no coefficient \(the model has: x1, x2\)/],
    ["a fixef file that is not CSV", ["--fixef-out", "fe.txt"], /--fixef-out writes CSV: give a file name ending in \.csv/],
    ["an unknown variance", ["--vcov", "NW2"], /unknown vcov "NW2".*NW\(L\), DK\(L\) or conley\(km\)/],
  ];
  for (const [what, extra, message] of cases) {
    it(what, async () => {
      const r = await cli(args(...extra));
      expect(r.code).toBe(2);
      expect(r.err).toMatch(message);
      expect(r.err).not.toMatch(/^\s+at /m);
    });
  }
});
