// Bad input to the DID commands: a clear message and exit status 2 (in-process CLI runs), and a typed
// DidwasmError from the API.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../../cli/program.js";
import { conformanceDir } from "../helpers/conformance.js";

const dir = mkdtempSync(join(tmpdir(), "didwasm-did-bad-"));
const mpdta = `${conformanceDir}/data/mpdta.csv`;
const castle = `${conformanceDir}/data/castle.csv`;

function csv(name: string, header: string, rows: Array<Array<number | string>>): string {
  const p = join(dir, name);
  writeFileSync(p, [header, ...rows.map((r) => r.join(","))].join("\n") + "\n");
  return p;
}

/** A small staggered panel: units 1-6, years 1-6, cohorts 3 (units 1-2), 5 (units 3-4), never (5-6). */
function panel(mutate?: (row: { unit: number; year: number; g: number; d: number; y: number }) => void): Array<Array<number>> {
  const rows: number[][] = [];
  for (let u = 1; u <= 6; u++) {
    for (let t = 1; t <= 6; t++) {
      const g = u <= 2 ? 3 : u <= 4 ? 5 : 0;
      const row = { unit: u, year: t, g, d: g > 0 && t >= g ? 1 : 0, y: u + t + (u * 7 + t * 3) % 5 };
      mutate?.(row);
      rows.push([row.unit, row.year, row.g, row.d, row.y]);
    }
  }
  return rows;
}

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await runCli(args, { out: (t) => (out += t), err: (t) => (err += t) });
  return { code, out, err };
}

async function expectUserError(args: string[], fragment: string | RegExp) {
  const r = await run(args);
  expect(r.code, r.err).toBe(2);
  if (typeof fragment === "string") expect(r.err).toContain(fragment);
  else expect(r.err).toMatch(fragment);
  expect(r.err).not.toMatch(/^\s+at /m);
}

const H = "unit,year,g,d,y";

describe("DID commands reject bad input with exit 2 and a clear message", () => {
  it("a cohort column that varies within a unit", async () => {
    const f = csv("varying.csv", H, panel((r) => { if (r.unit === 1 && r.year === 4) r.g = 4; }));
    await expectUserError(["eventstudy", f, "--y", "y", "--unit", "unit", "--time", "year", "--cohort", "g"], 'cohort variable "g" varies within unit 1');
    await expectUserError(["csdid", f, "--y", "y", "--unit", "unit", "--time", "year", "--cohort", "g"], "varies within unit 1");
  });
  it("a treatment that switches off", async () => {
    const f = csv("switch.csv", H, panel((r) => { if (r.unit === 2 && r.year === 5) r.d = 0; }));
    await expectUserError(["did2s", f, "--y", "y", "--unit", "unit", "--time", "year", "--treat", "d"], /switches off: unit 2 is treated from 3 but untreated in 5/);
    await expectUserError(["bacon", f, "--y", "y", "--unit", "unit", "--time", "year", "--treat", "d"], "switches off");
  });
  it("a treatment that is not 0/1", async () => {
    const f = csv("notbinary.csv", H, panel((r) => { if (r.unit === 1 && r.year === 6) r.d = 2; }));
    await expectUserError(["did2s", f, "--y", "y", "--unit", "unit", "--time", "year", "--treat", "d"], 'treatment "d" must be 0 or 1, but line 7 has 2');
  });
  it("no never-treated and no not-yet-treated controls", async () => {
    const f = csv("allsame.csv", H, panel((r) => { r.g = 3; r.d = r.year >= 3 ? 1 : 0; }));
    await expectUserError(["eventstudy", f, "--y", "y", "--unit", "unit", "--time", "year", "--cohort", "g"], "no never-treated or not-yet-treated controls");
    await expectUserError(["sunab", f, "--y", "y", "--unit", "unit", "--time", "year", "--cohort", "g"], "no never-treated units");
    await expectUserError(["csdid", f, "--y", "y", "--unit", "unit", "--time", "year", "--cohort", "g", "--control-group", "notyet"], /no (never-treated|not-yet)/);
  });
  it("a window wider than the data, and a reference period outside the window", async () => {
    await expectUserError(
      ["eventstudy", mpdta, "--y", "lemp", "--unit", "countyreal", "--time", "year", "--cohort", "first_treat", "--window", "-7:7"],
      "window -7:7 is wider than the data: relative periods of treated units run from -4 to 3",
    );
    await expectUserError(
      ["eventstudy", mpdta, "--y", "lemp", "--unit", "countyreal", "--time", "year", "--cohort", "first_treat", "--window", "-3:3", "--ref", "-4"],
      "reference period -4 is outside the window -3:3",
    );
    await expectUserError(
      ["eventstudy", mpdta, "--y", "lemp", "--unit", "countyreal", "--time", "year", "--cohort", "first_treat", "--bin", "2", "--ref", "-3"],
      "reference period -3 lies beyond the bin end points",
    );
    await expectUserError(["eventstudy", mpdta, "--y", "lemp", "--unit", "countyreal", "--time", "year", "--cohort", "first_treat", "--window", "7"], "--window must look like lo:hi, e.g. -7:7");
  });
  it("an unbalanced panel for Goodman-Bacon", async () => {
    const rows = panel().filter((r) => !(r[0] === 3 && r[1] === 2));
    const f = csv("unbalanced.csv", H, rows);
    await expectUserError(["bacon", f, "--y", "y", "--unit", "unit", "--time", "year", "--treat", "d"], "unbalanced panel");
  });
  it("--event without --cohort, unknown columns", async () => {
    await expectUserError(["did2s", castle, "--y", "l_homicide", "--unit", "sid", "--time", "year", "--treat", "post", "--event"], "needs the cohort column");
    await expectUserError(["bacon", castle, "--y", "l_homicide", "--unit", "state", "--time", "year", "--treat", "postt"], 'unknown treatment variable "postt" (did you mean "post"?)');
  });
});

describe("DID commands produce JSON with the documented fields", () => {
  it("eventstudy, sunab, did2s, bacon, csdid", async () => {
    const es = JSON.parse((await run(["eventstudy", mpdta, "--y", "lemp", "--unit", "countyreal", "--time", "year", "--cohort", "first_treat", "--json"])).out);
    expect(es.coefficients.map((c: any) => c.rel_time)).toEqual([-4, -3, -2, 0, 1, 2, 3]);
    expect(es.pretrend.df1).toBe(3);
    const sa = JSON.parse((await run(["sunab", mpdta, "--y", "lemp", "--unit", "countyreal", "--time", "year", "--cohort", "first_treat", "--json"])).out);
    expect(sa.coefficients.at(-1).term).toBe("ATT");
    const d2 = JSON.parse((await run(["did2s", mpdta, "--y", "lemp", "--unit", "countyreal", "--time", "year", "--treat", "treat_post", "--json"])).out);
    expect(d2.coefficients[0].term).toBe("treat_post");
    expect(d2.vcov).toContain("two-stage GMM");
    const b = JSON.parse((await run(["bacon", castle, "--y", "l_homicide", "--unit", "state", "--time", "year", "--treat", "post", "--json"])).out);
    expect(b.pairs.find((p: any) => p.type === "Treated vs Untreated").untreated).toBeNull();
    const cs = JSON.parse((await run(["csdid", mpdta, "--y", "lemp", "--unit", "countyreal", "--time", "year", "--cohort", "first_treat", "--json", "--bootstrap", "199", "--seed", "5"])).out);
    expect(Object.keys(cs.overall)).toEqual(["simple", "dynamic", "group", "calendar"]);
    expect(cs.att_gt[0]).toHaveProperty("std_error");
    expect(cs.bootstrap.reps).toBe(199);
  });
  it("writes SVG figures", async () => {
    const plot = join(dir, "es.svg");
    const r = await run(["eventstudy", mpdta, "--y", "lemp", "--unit", "countyreal", "--time", "year", "--cohort", "first_treat", "--plot", plot]);
    expect(r.code).toBe(0);
    const svg = (await import("node:fs")).readFileSync(plot, "utf8");
    expect(svg.startsWith("<svg")).toBe(true);
    expect(svg).toContain("treatment starts");
    // Every estimate is drawn (its tooltip names its period), and the reference period as an open circle.
    const tips = [...svg.matchAll(/<title>(-?\d+): /g)].map((m) => Number(m[1]));
    expect(tips).toEqual([-4, -3, -2, 0, 1, 2, 3]);
    expect(svg).toContain("<title>reference period -1</title>");
    // Pre-treatment estimates are circles, post-treatment ones squares (plus one of each in the legend).
    expect((svg.match(/<circle[^>]*fill="#D55E00"/g) ?? []).length).toBe(3 + 1);
    expect((svg.match(/<rect[^>]*fill="#0072B2"/g) ?? []).length).toBe(4 + 1);
    const bplot = join(dir, "bacon.svg");
    await run(["bacon", castle, "--y", "l_homicide", "--unit", "state", "--time", "year", "--treat", "post", "--plot", bplot]);
    expect((await import("node:fs")).readFileSync(bplot, "utf8")).toContain("TWFE = 0.08181");
  });
});
