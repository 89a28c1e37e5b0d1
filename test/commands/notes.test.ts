// Structured notes: every command's JSON carries notes as { kind, severity, message } and `warnings` derived
// from them (the warnings among the notes, in one place); the CLI prints those warnings on stderr. Also the
// panel checks that produce notes (duplicated unit-period rows), a never-treated code for text cohort
// columns, an event study whose cohorts come from the treatment, and relative periods carried from the design.
import { describe, expect, it } from "vitest";
import { COMMAND_SPECS } from "../../bindings/commands/registry.js";
import { runCommandByName } from "../../bindings/commands/run.js";
import { fromColumns } from "../../bindings/data/columns.js";
import { toCsv } from "../../bindings/data/csv-write.js";
import { generateSyntheticPanel } from "../../bindings/data/demo/panel.js";
import { eventStudy } from "../../bindings/estimators/did/event-study.js";
import { runCli } from "../../cli/program.js";

const cols = generateSyntheticPanel({ units: 50, periods: 8, regressors: 2, seed: 11, weights: true, missingRate: 0.03, staggered: { cohorts: [2003, 2005], neverShare: 0.4, effect: 1 } });
const P = fromColumns(cols);

const CALLS: Record<string, Record<string, unknown>> = {
  fit: { formula: "y ~ x1 + x2 | unit + year" },
  fepois: { formula: "treat ~ x1 | unit + year" },
  feglm: { formula: "treat ~ x1 | unit + year", family: "logit" },
  eventstudy: { y: "y", unit: "unit", time: "year", cohort: "cohort" },
  bacon: { y: "x2", unit: "unit", time: "year", treat: "treat" },
  did2s: { y: "y", unit: "unit", time: "year", treat: "treat" },
  imputation: { y: "y", unit: "unit", time: "year", treat: "treat", horizons: "all", avgEffectsBy: "horizon" },
  stacked: { y: "y", unit: "unit", time: "year", cohort: "cohort", window: [-2, 1] },
  dcdh: { y: "y", unit: "unit", time: "year", treat: "treat", effects: 2, placebo: 1 },
  sunab: { y: "y", unit: "unit", time: "year", cohort: "cohort" },
  csdid: { y: "y", unit: "unit", time: "year", cohort: "cohort" },
  placebo: { formula: "y ~ treat | unit + year", treat: "treat", unit: "unit", time: "year", kind: "space", reps: 10, seed: 1 },
  bdiff: { formula: "y ~ treat | unit + year", group: "state", coef: "treat", reps: 10, seed: 1, subset: "state <= 2" },
  boot: { formula: "y ~ treat | unit + year", coef: "treat", cluster: "unit", reps: 19, seed: 1 },
  describe: { vars: ["y"] },
  logit: { formula: "treat ~ x1" },
  psm: { unit: "unit", time: "year", cohort: "cohort", covariates: ["x2"], y: "x2" },
  honestdid: { formula: "y ~ i(year, cohort, ref = 2002) | unit + year", mbar: [1], gridPoints: 100 },
  etwfe: { y: "y", unit: "unit", time: "year", cohort: "cohort" },
  synthdid: { y: "y", unit: "unit", time: "year", treat: "treat", vcov: "jackknife" },
  pretrends: { formula: "y ~ i(year, cohort, ref = 2002) | unit + year", slope: 0.1 },
  compare: { y: "y", unit: "unit", time: "year", cohort: "cohort", estimators: ["twfe", "sunab"] },
};

const isNote = (n: unknown) =>
  typeof n === "object" && n !== null && typeof (n as any).kind === "string" && ["info", "warning"].includes((n as any).severity) && typeof (n as any).message === "string";

describe("every command's JSON has structured notes and warnings derived from them", () => {
  it("covers every command", () => expect(Object.keys(CALLS).sort()).toEqual(Object.keys(COMMAND_SPECS).sort()));
  for (const [command, options] of Object.entries(CALLS)) {
    it(command, async () => {
      const data = command === "bacon" || command === "csdid" || command === "synthdid" ? fromColumns(generateSyntheticPanel({ units: 50, periods: 8, regressors: 2, seed: 11, staggered: { cohorts: [2003, 2005], neverShare: 0.4, effect: 1 } })) : P;
      const j = await runCommandByName(command, data, options);
      expect(Array.isArray(j.notes)).toBe(true);
      expect((j.notes as unknown[]).every(isNote)).toBe(true);
      expect(j.warnings).toEqual((j.notes as Array<{ severity: string; message: string }>).filter((n) => n.severity === "warning").map((n) => n.message));
    });
  }
  it("missing values removed: an info note of kind missing_dropped, not a warning", async () => {
    const j = (await runCommandByName("fit", P, CALLS.fit)) as any;
    expect(j.notes.find((n: any) => n.kind === "missing_dropped")).toMatchObject({ severity: "info" });
    expect(j.warnings).toEqual([]);
  });
  it("non-convergence: a warning in the JSON and on the CLI's stderr", async () => {
    const j = (await runCommandByName("fit", P, { formula: "y ~ x1 | unit + year + state", maxIter: 1 })) as any;
    expect(j.notes.find((n: any) => n.kind === "not_converged")).toMatchObject({ severity: "warning" });
    expect(j.warnings.join(" ")).toMatch(/did not converge within 1 sweeps/);
  });
});

describe("duplicated unit-period rows", () => {
  const n = (cols.unit as ArrayLike<unknown>).length;
  const dup = fromColumns(Object.fromEntries(Object.entries(cols).map(([k, v]) => [k, [...Array.from(v as ArrayLike<unknown>), (v as ArrayLike<unknown>)[5]]])) as never);
  it("the regression-based estimators warn, naming the first duplicated pair", async () => {
    for (const command of ["eventstudy", "sunab", "did2s", "placebo"]) {
      const j = (await runCommandByName(command, dup, CALLS[command])) as any;
      const w = j.notes.find((x: any) => x.kind === "duplicate_rows");
      expect(w, command).toMatchObject({ severity: "warning" });
      expect(w.message).toContain(`row ${6}`);
      expect(w.message).toContain(`row ${n + 1}`);
    }
  });
  it("without duplicates, no such note", async () => {
    const j = (await runCommandByName("eventstudy", P, CALLS.eventstudy)) as any;
    expect(j.notes.some((x: any) => x.kind === "duplicate_rows")).toBe(false);
  });
});

describe("cohorts", () => {
  it("--never takes a text code of a text cohort column", async () => {
    const text = fromColumns({ ...cols, cohort: Array.from(cols.cohort as ArrayLike<number>, (c) => (c === 0 ? "never" : String(c))) });
    const a = await runCommandByName("eventstudy", P, CALLS.eventstudy);
    const b = await runCommandByName("eventstudy", text, { ...CALLS.eventstudy, never: "never" });
    expect({ ...b, timing_ms: 0 }).toEqual({ ...a, timing_ms: 0 });
    await expect(runCommandByName("eventstudy", text, CALLS.eventstudy)).rejects.toThrow(/if "never" means never treated, say so with --never "never"/);
    await expect(runCommandByName("eventstudy", P, { ...CALLS.eventstudy, never: "never" })).rejects.toThrow(/never-treated code "never" is not a number/);
  });
  it("an event study derives the cohorts from a 0/1 treatment, as placebo does", async () => {
    const byCohort = eventStudy(P, { y: "y", unit: "unit", time: "year", cohort: "cohort" });
    const byTreat = eventStudy(P, { y: "y", unit: "unit", time: "year", treat: "treat" });
    expect(byTreat.events.map((e) => [e.rel_time, e.estimate, e.std_error])).toEqual(byCohort.events.map((e) => [e.rel_time, e.estimate, e.std_error]));
  });
  it("relative periods come from the design, not from term names", () => {
    const r = eventStudy(P, { y: "y", unit: "unit", time: "year", cohort: "cohort", bin: 2 });
    expect(r.events.map((e) => e.rel_time)).toEqual([-2, 0, 1, 2]);
    expect(r.events.every((e) => e.term === `rel::${e.rel_time}`)).toBe(true);
  });
});

describe("the CLI prints the warnings of the JSON on stderr", () => {
  it("fit with --max-iter 1 on three fixed effects", async () => {
    let out = "";
    let err = "";
    const csv = `/tmp/didwasm-notes-${process.pid}.csv`;
    const fs = await import("node:fs");
    fs.writeFileSync(csv, toCsv(cols));
    let code: number;
    try {
      code = await runCli(["fit", csv, "--formula", "y ~ x1 | unit + year + state", "--max-iter", "1", "--json"], { out: (t) => (out += t), err: (t) => (err += t) });
    } finally {
      fs.rmSync(csv, { force: true }); // no file left behind in /tmp
    }
    expect(code).toBe(0);
    const j = JSON.parse(out);
    for (const w of j.warnings) expect(err).toContain(`didwasm: warning: ${w}`);
    expect(j.warnings.length).toBeGreaterThan(0);
  });
});
