// The CLI's own options, walked like the commands' (test/commands/option-walk.test.ts): every option of
// every command's CLI schema (--json, --delimiter, --plot, --workers, --out and the table output options),
// of table, demo-data and report either changes what is printed or written, reaches what it drives (the
// worker count of a resampling run), or is refused with a clear message and exit status 2.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { COMMAND_SPECS } from "../../bindings/commands/registry.js";
import type { CommandSpec } from "../../bindings/commands/types.js";
import { tableOptions } from "../../bindings/commands/table.js";
import { toCsv } from "../../bindings/data/csv-write.js";
import { generateSyntheticPanel } from "../../bindings/data/demo/panel.js";
import { demoDataOptions } from "../../cli/commands/demo-data.js";
import { reportOptions } from "../../cli/commands/report.js";
import { cliOutputSchema } from "../../cli/output-options.js";
import { runCli } from "../../cli/program.js";
import { unzip } from "../helpers/zip.js";
import { fixturePath } from "../tables/helpers.js";

/** Worker counts the CLI asked the resampling pools for. The pools run in this thread here (worker threads
 *  load the built dist/; test/resampling/parallel.test.ts shows any worker count gives the same draws). */
const poolWorkers: number[] = [];
vi.mock("../../bindings/resampling/parallel-node.js", async (importOriginal) => {
  const real = await importOriginal<typeof import("../../bindings/resampling/parallel-node.js")>();
  return {
    ...real,
    placeboParallel: (f: never, o: never, p: { workers: number }) => (poolWorkers.push(p.workers), real.placeboParallel(f, o, { ...p, workers: 1 } as never)),
    bdiffParallel: (f: never, o: never, p: { workers: number }) => (poolWorkers.push(p.workers), real.bdiffParallel(f, o, { ...p, workers: 1 } as never)),
    replicatesParallel: (f: never, t: never, reps: number, p: { workers: number }) => (poolWorkers.push(p.workers), real.replicatesParallel(f, t, reps, { ...p, workers: 1 } as never)),
  };
});

const dir = mkdtempSync(join(tmpdir(), "didwasm-cli-walk-"));
const file = (name: string) => join(dir, name);
const cols = generateSyntheticPanel({ units: 40, periods: 6, regressors: 2, seed: 3, weights: true, staggered: { cohorts: [2002, 2004], neverShare: 0.4, effect: 1 } });
const grp = Float64Array.from(cols.state as ArrayLike<number>, (s) => s % 2);
const csv = toCsv({ ...cols, grp });
writeFileSync(file("p.csv"), csv);
writeFileSync(file("p-semicolon.csv"), csv.replace(/,/g, ";"));
writeFileSync(file("labels.json"), JSON.stringify({ y: "Outcome Y", x1: "Regressor one", did: "Smart-city pilot" }));

async function cli(args: string[]) {
  let stdout = "";
  let stderr = "";
  const code = await runCli(args, { out: (t) => (stdout += t), err: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

/** Runs both argument lists; both succeed and print different things (or write different files). */
async function differs(a: string[], b: string[], read?: string): Promise<void> {
  const ra = await cli(a);
  const outA = read ? readFileSync(read, "utf8") : ra.stdout;
  const rb = await cli(b);
  const outB = read ? readFileSync(read, "utf8") : rb.stdout;
  expect(ra.code, ra.stderr).toBe(0);
  expect(rb.code, rb.stderr).toBe(0);
  expect(outB, `${b.join(" ")}`).not.toEqual(outA);
}

async function refused(args: string[], message: string | RegExp): Promise<void> {
  const r = await cli(args);
  expect(r.code, r.stdout).toBe(2);
  expect(r.stderr).toMatch(typeof message === "string" ? new RegExp(message.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")) : message);
  expect(r.stderr).not.toMatch(/\n\s+at /);
}

const BASE: Record<string, string[]> = {
  fit: ["--formula", "y ~ x1 + x2 | unit + year"],
  fepois: ["--formula", "treat ~ x1 + x2 | unit + year"],
  feglm: ["--formula", "treat ~ x1 + x2 | unit + year", "--family", "logit"],
  eventstudy: ["--y", "y", "--unit", "unit", "--time", "year", "--cohort", "cohort"],
  bacon: ["--y", "y", "--unit", "unit", "--time", "year", "--treat", "treat"],
  did2s: ["--y", "y", "--unit", "unit", "--time", "year", "--treat", "treat", "--event", "--cohort", "cohort"],
  imputation: ["--y", "y", "--unit", "unit", "--time", "year", "--treat", "treat", "--horizons", "all"],
  etwfe: ["--y", "y", "--unit", "unit", "--time", "year", "--cohort", "cohort", "--aggregate", "event"],
  synthdid: ["--y", "y", "--unit", "unit", "--time", "year", "--treat", "treat", "--vcov", "bootstrap", "--reps", "10", "--seed", "1"],
  sunab: ["--y", "y", "--unit", "unit", "--time", "year", "--cohort", "cohort"],
  honestdid: ["--formula", "y ~ i(year, cohort, ref = 2001) | unit + year", "--mbar", "0.5,1", "--grid-points", "200"],
  pretrends: ["--formula", "y ~ i(year, cohort, ref = 2001) | unit + year", "--slope", "0.1"],
  compare: ["--y", "y", "--unit", "unit", "--time", "year", "--cohort", "cohort", "--estimators", "twfe,sunab"],
  csdid: ["--y", "y", "--unit", "unit", "--time", "year", "--cohort", "cohort"],
  placebo: ["--formula", "y ~ treat + x1 | unit + year", "--treat", "treat", "--unit", "unit", "--time", "year", "--kind", "space", "--reps", "10", "--seed", "1"],
  bdiff: ["--formula", "y ~ treat + x1 | unit + year", "--group", "grp", "--coef", "treat", "--reps", "10", "--seed", "1"],
  boot: ["--formula", "y ~ treat + x1 | unit + year", "--coef", "treat", "--cluster", "unit", "--reps", "99", "--seed", "1"],
  describe: ["--vars", "y,x1"],
  logit: ["--formula", "treat ~ x1 + x2"],
  psm: ["--unit", "unit", "--time", "year", "--cohort", "cohort", "--covariates", "x1,x2", "--y", "y"],
  stacked: ["--y", "y", "--unit", "unit", "--time", "year", "--cohort", "cohort", "--window", "-2:1"],
  dcdh: ["--y", "y", "--unit", "unit", "--time", "year", "--treat", "treat", "--effects", "2"],
};

/** Probes of the CLI options: each runs and asserts. */
type Probe = (command: string, base: string[]) => Promise<void>;

const SHARED: Record<string, Probe> = {
  json: async (c, b) => {
    const text = await cli([c, file("p.csv"), ...b]);
    const json = await cli([c, file("p.csv"), ...b, "--json"]);
    expect(text.code, text.stderr).toBe(0);
    expect(() => JSON.parse(text.stdout)).toThrow();
    expect(JSON.parse(json.stdout)).toHaveProperty("timing_ms");
  },
  delimiter: async (c, b) => {
    const comma = await cli([c, file("p.csv"), ...b, "--json"]);
    const semi = await cli([c, file("p-semicolon.csv"), ...b, "--json", "--delimiter", ";"]);
    const wrong = await cli([c, file("p-semicolon.csv"), ...b, "--json"]);
    expect(semi.code, semi.stderr).toBe(0);
    const strip = (s: string) => JSON.stringify({ ...JSON.parse(s), timing_ms: 0 });
    expect(strip(semi.stdout)).toEqual(strip(comma.stdout));
    expect(wrong.code).toBe(2);
  },
  plot: async (c, b) => {
    const svg = file(`${c}.svg`);
    const r = await cli([c, file("p.csv"), ...b, "--plot", svg]);
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(svg, "utf8")).toMatch(/^<svg|^<\?xml/);
    // Every figure converts to PDF (an SVG feature the converter cannot draw would be an error).
    const pdf = await cli([c, file("p.csv"), ...b, "--plot", file(`${c}.pdf`)]);
    expect(pdf.code, pdf.stderr).toBe(0);
    expect(readFileSync(file(`${c}.pdf`), "latin1")).toMatch(/^%PDF-[\s\S]*\/FontFile2/);
    await refused([c, file("p.csv"), ...b, "--plot", file(`${c}.jpg`)], "--plot writes .svg, .pdf, .png files (the extension chooses the format)");
    mkdirSync(file("folder.svg"), { recursive: true });
    await refused([c, file("p.csv"), ...b, "--plot", file("folder.svg")], "is a directory");
  },
  plotSize: async (c, b) => {
    const single = file(`${c}-single.svg`);
    const double = file(`${c}-double.svg`);
    expect((await cli([c, file("p.csv"), ...b, "--plot", single, "--plot-size", "single"])).code).toBe(0);
    expect((await cli([c, file("p.csv"), ...b, "--plot", double, "--plot-size", "double"])).code).toBe(0);
    expect(readFileSync(single, "utf8")).toMatch(/^<svg [^>]*width="3.5in"/);
    expect(readFileSync(double, "utf8")).toMatch(/^<svg [^>]*width="7in"/);
    await refused([c, file("p.csv"), ...b, "--plot-size", "single"], "--plot-size applies only with --plot");
    await refused([c, file("p.csv"), ...b, "--plot", single, "--plot-size", "triple"], "--plot-size must be one of single, double");
  },
  workers: async (c, b) => {
    poolWorkers.length = 0;
    const one = await cli([c, file("p.csv"), ...b, "--json", "--workers", "1"]);
    const two = await cli([c, file("p.csv"), ...b, "--json", "--workers", "2", ...(availableParallelism() < 2 ? ["--oversubscribe"] : [])]);
    expect(one.code, one.stderr).toBe(0);
    expect(two.code, two.stderr).toBe(0);
    expect(poolWorkers).toEqual([1, 2]);
    const strip = (s: string) => JSON.stringify({ ...JSON.parse(s), timing_ms: 0 });
    expect(strip(two.stdout)).toEqual(strip(one.stdout)); // the same draws whatever the worker count
    await refused([c, file("p.csv"), ...b, "--workers", "1000"], "--workers must be a whole number at least 1 and at most 64");
  },
  oversubscribe: async (c, b) => {
    const many = String(availableParallelism() + 1);
    await refused([c, file("p.csv"), ...b, "--workers", many], `--workers ${many} is more than this machine's`);
    poolWorkers.length = 0;
    const r = await cli([c, file("p.csv"), ...b, "--workers", many, "--oversubscribe"]);
    expect(r.code, r.stderr).toBe(0);
    expect(poolWorkers).toEqual([Number(many)]);
    await refused([c, file("p.csv"), ...b, "--oversubscribe"], "--oversubscribe applies only with --workers");
  },
  out: async (c, b) => {
    const r = await cli([c, file("p.csv"), ...b, "--out", file("d.md")]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe("");
    expect(readFileSync(file("d.md"), "utf8")).toContain("|");
    const word = await cli([c, file("p.csv"), ...b, "--out", file("d.docx")]);
    expect(word.code, word.stderr).toBe(0);
    expect(unzip(readFileSync(file("d.docx"))).get("word/document.xml")!.toString()).toContain("<w:tbl>");
    await refused([c, file("p.csv"), ...b, "--out", file("d.xlsx")], "no writer for .xlsx");
    await refused([c, file("p.csv"), ...b, "--out", file("d.md"), "--json"], "--out with --json writes JSON");
    await refused([c, file("p.csv"), ...b, "--json", "--format", "latex", "--digits", "2"], "--format, --digits shape the table, not the --json output");
    const json = await cli([c, file("p.csv"), ...b, "--json", "--out", file("d.json")]);
    expect(json.code, json.stderr).toBe(0);
    expect(JSON.parse(readFileSync(file("d.json"), "utf8"))).toHaveProperty("rows");
    await refused([c, file("p.csv"), ...b, "--out", "/proc/self/d.md"], "cannot write the table to /proc/self/d.md");
  },
};

/** The table output options, for describe (and table, below): each changes the text. */
function tableOutputProbes(run: (extra: string[]) => string[]): Record<string, Probe> {
  const d = (a: string[], b: string[]) => differs(run(a), run(b));
  return {
    format: async () => {
      await d([], ["--format", "latex"]);
      await refused(run(["--format", "docx"]), "--format docx writes a Word file: give --out FILE.docx");
      await refused(run(["--format", "latex", "--out", file("f.docx")]), "is a Word file, but --format is latex");
    },
    caption: () => d([], ["--caption", "Table A"]),
    note: () => d([], ["--note", "A note.", "--note", "Another."]),
    labels: async () => {
      await d([], ["--labels", file("labels.json")]);
      await d([], ["--labels", "y=Why,did=Pilot"]);
    },
    standalone: async () => {
      await d(["--format", "latex"], ["--format", "latex", "--standalone"]);
      await refused(run(["--standalone"]), "--standalone applies only with --format latex or html");
    },
    label: () => d(["--format", "latex"], ["--format", "latex", "--label", "tab:a"]),
    cjkPackage: () => d(["--format", "latex", "--standalone"], ["--format", "latex", "--standalone", "--cjk-package", "xeCJK"]),
    cjkFont: async () => {
      await d(["--format", "latex", "--standalone", "--cjk-package", "xeCJK"], ["--format", "latex", "--standalone", "--cjk-package", "xeCJK", "--cjk-font", "SimSun"]);
      await refused(run(["--format", "latex", "--cjk-font", "SimSun"]), "--cjk-font applies only with --cjk-package xeCJK");
    },
    lang: async () => {
      await d(["--format", "html", "--standalone"], ["--format", "html", "--standalone", "--lang", "zh-CN"]);
      await refused(run(["--format", "html", "--lang", "zh-CN"]), "--lang applies only with --format html and --standalone");
    },
    bom: async () => {
      await d(["--format", "csv", "--no-bom"], ["--format", "csv", "--bom"]);
      await refused(run(["--bom"]), "--bom applies only with --format csv");
    },
  };
}

const DESCRIBE_OUTPUT: Record<string, Probe> = {
  ...tableOutputProbes((extra) => ["describe", file("p.csv"), "--vars", "y,x1", ...extra]),
  groupLabels: async () => {
    await differs(["describe", file("p.csv"), "--by", "grp"], ["describe", file("p.csv"), "--by", "grp", "--group-labels", "0=West,1=East"]);
    await refused(["describe", file("p.csv"), "--group-labels", "0=West,1=East"], "--group-labels applies only with --by");
  },
  headers: () => differs(["describe", file("p.csv")], ["describe", file("p.csv"), "--headers", "Var,Obs"]),
  layout: () => differs(["describe", file("p.csv"), "--by", "grp"], ["describe", file("p.csv"), "--by", "grp", "--layout", "long"]),
  digits: () => differs(["describe", file("p.csv")], ["describe", file("p.csv"), "--digits", "5"]),
};

/** fit's files: the fixed effects' values and the predictions, each written as CSV (also with --json). */
const FIT_OUTPUT: Record<string, Probe> = {
  fixefOut: async (c, b) => {
    const r = await cli([c, file("p.csv"), ...b, "--json", "--fixef-out", file("fe.csv")]);
    expect(r.code, r.stderr).toBe(0);
    const lines = readFileSync(file("fe.csv"), "utf8").trimEnd().split("\n");
    expect(lines[0]).toBe("fe,level,value");
    expect(lines.length - 1).toBe(40 + 6);
    await refused([c, file("p.csv"), ...b, "--fixef-out", file("fe.txt")], "--fixef-out writes CSV: give a file name ending in .csv");
    await refused([c, file("p.csv"), "--formula", "y ~ x1", "--fixef-out", file("fe.csv")], "the model has no fixed effects");
  },
  predict: async (c, b) => {
    const r = await cli([c, file("p.csv"), ...b, "--predict", file("pred.csv")]);
    expect(r.code, r.stderr).toBe(0);
    const lines = readFileSync(file("pred.csv"), "utf8").trimEnd().split("\n");
    expect(lines[0]).toBe("row,fitted,residual");
    expect(lines.length - 1).toBe(40 * 6);
    mkdirSync(file("folder.csv"), { recursive: true });
    await refused([c, file("p.csv"), ...b, "--predict", file("folder.csv")], "is a directory");
  },
};

/** fepois and feglm write the same files: fixed effects on the link scale (perfect-fit groups removed, so
 *  at most the panel's 40 units and 6 years) and fitted means with response residuals, one line per row. */
const GLM_OUTPUT: Record<string, Probe> = {
  fixefOut: async (c, b) => {
    const r = await cli([c, file("p.csv"), ...b, "--json", "--fixef-out", file("glm-fe.csv")]);
    expect(r.code, r.stderr).toBe(0);
    const lines = readFileSync(file("glm-fe.csv"), "utf8").trimEnd().split("\n");
    expect(lines[0]).toBe("fe,level,value");
    // Years and units whose treatment is all 0 (or all 1) fit perfectly and are removed, as fixest does.
    expect(lines.filter((l) => l.startsWith("year,")).length).toBeGreaterThan(0);
    expect(lines.filter((l) => l.startsWith("unit,")).length).toBeGreaterThan(0);
    expect(lines.length - 1).toBeLessThanOrEqual(40 + 6);
    await refused([c, file("p.csv"), ...b, "--fixef-out", file("fe.txt")], "--fixef-out writes CSV: give a file name ending in .csv");
  },
  predict: async (c, b) => {
    const r = await cli([c, file("p.csv"), ...b, "--predict", file("glm-pred.csv")]);
    expect(r.code, r.stderr).toBe(0);
    const lines = readFileSync(file("glm-pred.csv"), "utf8").trimEnd().split("\n");
    expect(lines[0]).toBe("row,fitted,residual");
    expect(lines.length - 1).toBe(40 * 6);
    // Fitted probabilities/means are positive where the row is in the sample.
    expect(lines.slice(1).some((l) => Number(l.split(",")[1]) > 0)).toBe(true);
  },
};

/** Resampling commands' --out: the text, the JSON, or with --replicates the partial result (the split and
 *  merge themselves: test/cli/partial-merge.test.ts). */
const RESAMPLING_OUTPUT: Record<string, Probe> = {
  out: async (c, b) => {
    const text = await cli([c, file("p.csv"), ...b]);
    const r = await cli([c, file("p.csv"), ...b, "--out", file(`${c}.txt`)]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe("");
    expect(readFileSync(file(`${c}.txt`), "utf8")).toBe(text.stdout);
    expect((await cli([c, file("p.csv"), ...b, "--json", "--out", file(`${c}.json`)])).code).toBe(0);
    expect(JSON.parse(readFileSync(file(`${c}.json`), "utf8"))).toHaveProperty("timing_ms");
    expect((await cli([c, file("p.csv"), ...b, "--replicates", "1:5", "--out", file(`${c}-part.json`)])).code).toBe(0);
    expect(JSON.parse(readFileSync(file(`${c}-part.json`), "utf8"))).toMatchObject({ command: c, replicates: [1, 5] });
    await refused([c, file("p.csv"), ...b, "--out", "/proc/self/d.txt"], "cannot write the table to /proc/self/d.txt");
  },
};

describe("every CLI option of every data command acts or is refused", () => {
  for (const [name, spec] of Object.entries(COMMAND_SPECS)) {
    const schema = cliOutputSchema(spec as CommandSpec);
    const probes: Record<string, Probe> = {
      ...(name === "describe" ? DESCRIBE_OUTPUT : name === "fit" ? FIT_OUTPUT : name === "fepois" || name === "feglm" ? GLM_OUTPUT : {}),
      ...((spec as CommandSpec).replicable ? RESAMPLING_OUTPUT : {}),
    };
    for (const k of Object.keys(schema)) if (SHARED[k] && !(k in probes)) probes[k] = SHARED[k];
    it(`${name}: a probe for each of ${Object.keys(schema).join(", ")}`, () => {
      expect(Object.keys(probes).sort()).toEqual(Object.keys(schema).sort());
    });
    for (const [k, probe] of Object.entries(probes)) it(`${name} --${k}`, () => probe(name, BASE[name]), 60_000);
  }
});

it("did2s --plot without --event is refused before anything runs (the figure is the event study)", async () => {
  await refused(["did2s", file("p.csv"), "--y", "y", "--unit", "unit", "--time", "year", "--treat", "treat", "--plot", file("d.svg")], "--plot applies only with --event");
  expect(existsSync(file("d.svg"))).toBe(false);
});

describe("table: every option acts or is refused", () => {
  const models = ["fit-ols", "fit-twfe", "fit-twfe-controls"].map(fixturePath);
  const t = (extra: string[]) => ["table", ...models, ...extra];
  const d = (a: string[], b: string[]) => differs(t(a), t(b));
  const probes: Record<string, Probe> = {
    ...tableOutputProbes(t),
    se: async () => {
      const a = await cli(t([]));
      const b = await cli(t(["--se"]));
      expect(b.stdout).toBe(a.stdout); // the default, said explicitly
      await refused(t(["--se", "--t"]), "--t cannot be given with --se");
    },
    t: () => d([], ["--t"]),
    keep: () => d([], ["--keep", "did"]),
    drop: () => d([], ["--drop", "did"]),
    titles: () => d([], ["--titles", "A,B,C"]),
    feLabels: async () => {
      await d([], ["--fe-labels", "控制,未控制"]);
      await refused(t(["--fe-labels", "a,b", "--no-fe"]), "cannot be given with --no-fe");
    },
    fe: () => d([], ["--no-fe"]),
    depvar: () => d([], ["--no-depvar"]),
    row: () => d([], ["--row", "Controls=No,No,Yes"]),
    diffCols: async () => {
      const east = [fixturePath("fit-east"), fixturePath("fit-inland")];
      const three = [...east, fixturePath("fit-ols")];
      await differs(["table", ...three, "--diff-p", fixturePath("bdiff-east")], ["table", ...three, "--diff-p", fixturePath("bdiff-east"), "--diff-cols", "2:3"]);
      await refused(t(["--diff-cols", "1:2"]), "--diff-cols gives 1 column pair for 0 --diff-p files");
    },
    diffP: () => differs(["table", fixturePath("fit-east"), fixturePath("fit-inland")], ["table", fixturePath("fit-east"), fixturePath("fit-inland"), "--diff-p", fixturePath("bdiff-east")]),
    defaultNotes: () => d([], ["--no-default-notes"]),
    stats: () => d([], ["--stats", "nobs,adj_r2"]),
    digits: () => d([], ["--digits", "5"]),
    statsDigits: () => d([], ["--stats-digits", "5"]),
    out: async () => {
      const r = await cli(t(["--out", file("t.tex")]));
      expect(r.code, r.stderr).toBe(0);
      expect(readFileSync(file("t.tex"), "utf8")).toContain("\\begin{tabular}");
      const word = await cli(t(["--out", file("t.docx")]));
      expect(word.code, word.stderr).toBe(0);
      expect(unzip(readFileSync(file("t.docx"))).get("word/document.xml")!.toString()).toMatch(/<w:tbl>[\s\S]*\(1\)/);
      await refused(t(["--out", file("t.xlsx")]), "no writer for .xlsx");
    },
  };
  it("a probe for each option", () => {
    expect(Object.keys(probes).sort()).toEqual([...Object.keys(tableOptions), "diffP", "out"].sort());
  });
  for (const [k, probe] of Object.entries(probes)) it(`table --${k}`, () => probe("table", []));
});

describe("demo-data: every option acts or is refused", () => {
  const out = file("demo.csv");
  const panel = ["demo-data", "--kind", "panel", "--out", out, "--quiet", "--units", "20", "--periods", "4"];
  const d = (a: string[], b: string[]) => differs([...panel, ...a], [...panel, ...b], out);
  const probes: Record<string, Probe> = {
    out: async () => {
      expect((await cli(["demo-data", "--out", file("city.csv"), "--quiet"])).code).toBe(0);
      expect(existsSync(file("city.csv"))).toBe(true);
      await refused(["demo-data", "--out", dir], "is a directory");
    },
    kind: async () => {
      await differs(["demo-data", "--out", out, "--quiet"], panel, out);
      await differs(["demo-data", "--out", out, "--quiet"], ["demo-data", "--kind", "smart-city-firms", "--out", out, "--quiet"], out);
    },
    seed: () => d([], ["--seed", "9"]),
    units: () => d([], ["--units", "21"]),
    periods: () => d([], ["--periods", "5"]),
    regressors: () => d([], ["--regressors", "1"]),
    unitsPerState: () => d([], ["--units-per-state", "3"]),
    missing: () => d([], ["--missing", "0.2"]),
    singletons: () => d([], ["--singletons", "2"]),
    stringIds: () => d([], ["--string-ids"]),
    weights: () => d([], ["--weights"]),
    cohorts: () => d([], ["--cohorts", "2001,2002"]),
    neverShare: async () => {
      await d(["--cohorts", "2001,2002"], ["--cohorts", "2001,2002", "--never-share", "0.8"]);
      await refused([...panel, "--never-share", "0.8"], "--never-share applies only with --cohorts");
    },
    effect: async () => {
      await d(["--cohorts", "2001,2002"], ["--cohorts", "2001,2002", "--effect", "5"]);
      await refused([...panel, "--effect", "5"], "--effect applies only with --cohorts");
    },
    quiet: async () => {
      expect((await cli(["demo-data", "--out", out])).stderr).toContain("wrote");
      expect((await cli(["demo-data", "--out", out, "--quiet"])).stderr).toBe("");
    },
  };
  it("a probe for each option; the panel's options are refused for the smart-city panel", async () => {
    expect(Object.keys(probes).sort()).toEqual(Object.keys(demoDataOptions).sort());
    await refused(["demo-data", "--out", out, "--units", "10"], "--units applies only with --kind panel");
  });
  for (const [k, probe] of Object.entries(probes)) it(`demo-data --${k}`, () => probe("demo-data", []));
});

describe("report: every option acts or is refused", () => {
  const study = file("study");
  mkdirSync(study, { recursive: true });
  writeFileSync(join(study, "p.csv"), csv);
  const spec = {
    title: "Walk", data: "p.csv", seed: 1, roles: { unit: "unit", time: "year", cohort: "cohort", treatment: "treat", outcome: "y", controls: ["x1"] },
    sections: [{ title: "A", analyses: [{ type: "regression" }, { type: "placebo", reps: 10 }] }],
  };
  writeFileSync(join(study, "s.json"), JSON.stringify(spec));
  const s = join(study, "s.json");
  const probes: Record<string, Probe> = {
    out: async () => {
      expect((await cli(["report", s, "--out", file("rep1"), "--quiet"])).code).toBe(0);
      expect(existsSync(file("rep1/index.html"))).toBe(true);
      await refused(["report", s, "--out", file("p.csv"), "--quiet"], "exists and is not a folder");
    },
    workers: async () => {
      poolWorkers.length = 0;
      expect((await cli(["report", s, "--out", file("rep2"), "--quiet", "--workers", "2", ...(availableParallelism() < 2 ? ["--oversubscribe"] : [])])).code).toBe(0);
      expect(poolWorkers).toEqual([2]);
    },
    oversubscribe: async () => {
      await refused(["report", s, "--out", file("rep3"), "--workers", String(availableParallelism() + 1)], "more than this machine's");
      await refused(["report", s, "--out", file("rep3"), "--oversubscribe"], "--oversubscribe applies only with --workers");
    },
    allowOutsideData: async () => {
      writeFileSync(join(study, "o.json"), JSON.stringify({ ...spec, data: "../p.csv" }));
      await refused(["report", join(study, "o.json"), "--out", file("rep4"), "--quiet"], "outside the spec's folder");
      expect((await cli(["report", join(study, "o.json"), "--out", file("rep4"), "--quiet", "--allow-outside-data"])).code).toBe(0);
    },
    quiet: async () => {
      expect((await cli(["report", s, "--out", file("rep5")])).stderr).toContain("report: wrote");
      expect((await cli(["report", s, "--out", file("rep5"), "--quiet"])).stderr).toBe("");
    },
    plotSize: async () => {
      const widthOf = (png: string) => readFileSync(png).readUInt32BE(16);
      expect((await cli(["report", s, "--out", file("rep6"), "--quiet", "--plot-size", "single"])).code).toBe(0);
      expect(widthOf(file("rep6/figures/fig-1-kernel-density-of-10-placebo.png"))).toBe(1050);
      expect((await cli(["report", s, "--out", file("rep6"), "--quiet"])).code).toBe(0);
      expect(widthOf(file("rep6/figures/fig-1-kernel-density-of-10-placebo.png"))).toBe(2100);
      await refused(["report", s, "--out", file("rep6"), "--plot-size", "a4"], "--plot-size must be one of single, double");
    },
    landscape: async () => {
      // The walk's tables are narrow: auto (the default) and never keep them portrait, always turns them.
      await differs(["report", s, "--out", file("rep7"), "--quiet", "--landscape", "never"], ["report", s, "--out", file("rep7"), "--quiet", "--landscape", "always"], file("rep7/tables.tex"));
      expect(readFileSync(file("rep7/tables.tex"), "utf8")).toContain("\\begin{landscape}");
      await refused(["report", s, "--out", file("rep7"), "--landscape", "sideways"], "--landscape must be one of auto, always, never");
    },
  };
  it("a probe for each option", () => expect(Object.keys(probes).sort()).toEqual(Object.keys(reportOptions).sort()));
  for (const [k, probe] of Object.entries(probes)) it(`report --${k}`, () => probe("report", []), 60_000);
});
