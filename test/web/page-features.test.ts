// The web tool's pure parts added for issue 16: every registered command becomes an analysis (a command
// registered later too, without edits to the page), pickers offer only the columns that suit a role,
// default-on switches and default choices show what runs, the multi-column regression table is the
// `didwasm table` presenter's (same text as the CLI from the command line the page shows), describe's
// downloads are the CLI's, the tables of boot/psm/describe results, and the PNG's resolution chunk.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runCli } from "../../cli/program.js";
import { COMMAND_SPECS } from "../../bindings/commands/registry.js";
import { run } from "../../bindings/commands/run.js";
import { opt } from "../../bindings/commands/schema/define.js";
import * as shared from "../../bindings/commands/schema/shared.js";
import { defineCommand, type CommandSpec } from "../../bindings/commands/types.js";
import { toCsv } from "../../bindings/data/csv-write.js";
import { generateSmartCity } from "../../bindings/data/demo/smart-city.js";
import type { ColumnSummary } from "../../bindings/web-worker/protocol.js";
import { shellWords } from "../helpers/shell-words.js";
import { ANALYSES, analysesOf, analysis, composeFormula, suits, toOptions } from "../../web/src/analyses.js";
import { commandTables, describeTableText } from "../../web/src/command-tables.js";
import { crc32, svgSize, withResolution } from "../../web/src/figure-png.js";
import { DEFAULT_CHOICES, renderModelTable, tableCommandLine, tableModel, uniqueName, type TableEntry } from "../../web/src/model-table.js";
import { cellParts } from "../../web/src/tables.js";

const col = (name: string, over: Partial<ColumnSummary> = {}): ColumnSummary => ({
  name, kind: "numeric", missing: 0, distinct: 10, distinctCapped: false, integer: false, binary: false, min: 0, max: 1, mean: 0.5, ...over,
});

const work = mkdtempSync(join(tmpdir(), "didwasm-web-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const panel = generateSmartCity();
const csvFile = join(work, "smart-city.csv");
writeFileSync(csvFile, toCsv(panel));

/** The CLI in-process: exit code and what it printed. */
async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await runCli(args, { out: (t) => (out += t), err: (t) => (err += t) });
  return { code, out, err };
}

describe("analyses come from the command registry", () => {
  it("a command registered later appears with its schema's fields, and a builder when it takes a formula", () => {
    const later = defineCommand({
      name: "fakepois", summary: "a Poisson model (stand-in for a command registered after the page was written)", example: "", phase: "fit",
      options: {
        formula: shared.formula("y ~ x | unit"),
        vcov: shared.vcov("cluster by the first fixed effect"),
        offset: opt.column({ label: "Offset", help: "log exposure", web: { prefer: "numeric" } }),
        robust: opt.flag({ label: "Robust", help: "on by default", default: true }),
      },
      output: {},
      execute: async () => ({ json: {}, text: "", notes: [] }),
    });
    const all = analysesOf({ ...(COMMAND_SPECS as unknown as Record<string, CommandSpec>), fakepois: later as unknown as CommandSpec });
    const a = all.find((x) => x.command === "fakepois")!;
    expect(all.at(-1)).toBe(a);
    expect(a.title).toBe("fakepois");
    expect(a.summary).toBe(later.summary);
    expect(a.builder).toBe("fe");
    expect(a.fields.map((f) => f.key)).toEqual(["_outcome", "_regressors", "_fe", "formula", "vcov", "offset", "robust"]);
    expect(a.fields.find((f) => f.key === "offset")!.prefer).toBe("numeric");
  });

  it("PSM, the wild bootstrap, logit and describe are offered, with builders where they take a formula", () => {
    expect(analysis("psm").builder).toBeUndefined();
    expect(analysis("psm").fields.map((f) => f.key)).toContain("covariates");
    expect(analysis("boot").builder).toBe("fe");
    expect(analysis("logit").builder).toBe("binary");
    expect(analysis("describe").fields.map((f) => f.key)).toEqual(["vars", "by", "percentiles"]);
    // logit's builder writes a 0/1 outcome and no fixed effects.
    expect(composeFormula({ _binaryOutcome: "east", _outcome: "ire", _regressors: ["lngdp"], _fe: ["city"] }, "binary")).toBe("east ~ lngdp");
    expect(composeFormula({ _binaryOutcome: "east", _outcome: "ire", _regressors: ["lngdp"], _fe: ["year"] }, "binary-fe")).toBe("east ~ lngdp | year");
    expect(ANALYSES.every((a) => a.command in COMMAND_SPECS)).toBe(true);
  });

  it("the logit and boot forms a user fills run as the CLI does", async () => {
    const logit = analysis("logit");
    const v = { _binaryOutcome: "east", _regressors: ["lngdp", "lnfin"] };
    const o = toOptions(logit, { ...v, formula: composeFormula(v, "binary") });
    expect(o).toEqual({ formula: "east ~ lngdp + lnfin" });
    expect((await run("logit", panel, o as { formula: string })).nobs).toBeGreaterThan(3900);
  });
});

describe("pickers offer only the columns that suit the role", () => {
  const text = col("city_name", { kind: "text", integer: false });
  const float = col("ire");
  const int = col("year", { integer: true, distinct: 14 });
  const dummy = col("did", { integer: true, binary: true, distinct: 2 });
  const twoText = col("region", { kind: "text", distinct: 2 });
  it("outcomes numeric, treatments 0/1 or two-valued, units and periods whole numbers or text", () => {
    expect([text, float, int, dummy].filter((c) => suits("numeric", c)).map((c) => c.name)).toEqual(["ire", "year", "did"]);
    expect([text, float, int, dummy, twoText].filter((c) => suits("binary", c)).map((c) => c.name)).toEqual(["did", "region"]);
    expect([text, float, int, dummy].filter((c) => suits("id", c)).map((c) => c.name)).toEqual(["city_name", "year", "did"]);
    expect(suits(undefined, float)).toBe(true);
  });
  it("every column picker of every analysis says which role it needs when the schema says", () => {
    const roles = { y: "numeric", unit: "id", time: "id", cohort: "id", treat: "binary", covariates: "numeric", _outcome: "numeric", _fe: "id", _binaryOutcome: "binary" } as const;
    for (const a of ANALYSES) {
      for (const f of a.fields) {
        if (!(f.key in roles)) continue;
        // dCDH takes non-binary treatments (doses 0, 1, 2, ...): any numeric column.
        const role = a.command === "dcdh" && f.key === "treat" ? "numeric" : roles[f.key as keyof typeof roles];
        expect(f.prefer, `${a.command} ${f.key}`).toBe(role);
      }
    }
  });
});

describe("defaults show what runs", () => {
  it("a default-on switch is sent only when turned off; a default choice is preselected", () => {
    const boot = analysis("boot");
    const base = { formula: "ire ~ did | city + year", coef: "did", cluster: "city" };
    expect(boot.fields.find((f) => f.key === "imposeNull")!.flagDefault).toBe(true);
    expect(toOptions(boot, base)).toEqual(base);
    expect(toOptions(boot, { ...base, imposeNull: true })).toEqual(base);
    expect(toOptions(boot, { ...base, imposeNull: false })).toEqual({ ...base, imposeNull: false });
    expect(toOptions(boot, { ...base, enumerate: true })).toEqual({ ...base, enumerate: true });
    expect(boot.fields.find((f) => f.key === "weights")!.choiceDefault).toBe("rademacher");
    expect(analysis("psm").fields.find((f) => f.key === "method")!.choiceDefault).toBe("nearest");
  });
});

describe("the multi-column regression table", () => {
  it("takes results with coefficients (PSM-DID: its DID), not others", async () => {
    const fit = await run("fit", panel, { formula: "ire ~ did | city + year", vcov: "cluster:city" });
    expect(tableModel("fit", fit)).toBe(fit);
    const psm = await run("psm", panel, { unit: "city", time: "year", cohort: "cohort", covariates: ["lngdp", "lnfin"], y: "ire" });
    expect(tableModel("psm", psm)).toBe(psm.did);
    const bacon = await run("bacon", panel, { y: "ire", unit: "city", time: "year", treat: "did" });
    expect(tableModel("bacon", bacon)).toBeNull();
    expect(uniqueName("castle-fit", [{ name: "castle-fit.json", json: fit, label: "" }])).toBe("castle-fit-2.json");
  });

  it("is the text `didwasm table` writes from the command line the page shows", async () => {
    const entries: TableEntry[] = [];
    for (const [i, formula] of ["ire ~ did | city + year", "ire ~ did + lngdp + lnfin | city + year"].entries()) {
      const json = await run("fit", panel, { formula, vcov: "cluster:city" });
      const name = join(work, `m${i + 1}.json`);
      writeFileSync(name, JSON.stringify(json));
      entries.push({ name, json, label: formula });
    }
    const choices = { ...DEFAULT_CHOICES, statistic: "t" as const, caption: "Baseline (t in parentheses)", titles: "Simple,Controls" };
    for (const format of ["latex", "csv", "html"] as const) {
      const line = tableCommandLine(entries, choices, format);
      expect(line.startsWith("npx didwasm table ")).toBe(true);
      const r = await cli(shellWords(line).slice(2));
      expect(r.err).toBe("");
      expect(r.code).toBe(0);
      expect(renderModelTable(entries, choices, format)).toBe(r.out);
    }
    const tex = renderModelTable(entries, choices, "latex");
    expect(tex).toContain("Simple & Controls");
    expect(tex).toContain("\\caption{Baseline (t in parentheses)}");
    // t statistics, not standard errors, in parentheses.
    const t = (entries[0].json as { coefficients: Array<{ statistic: number }> }).coefficients[0].statistic;
    expect(tex).toContain(`(${t.toFixed(3)})`);
  });
});

describe("tables of boot, psm and describe results", () => {
  it("boot: the estimate, p-value, interval and replicates; psm: the balance table first", async () => {
    const boot = await run("boot", panel, { formula: "ire ~ did + lngdp | city + year", coef: "did", cluster: "city", reps: 99, seed: 1 });
    const b = commandTables("boot", boot)!.primary!;
    const value = (q: string) => b.rows.find((r) => String(r.quantity).startsWith(q))!;
    expect(value("p-value").value).toBe(boot.p_value);
    expect(cellParts(b, b.columns[1], value("Replicates")).text).toBe("99");
    const psm = await run("psm", panel, { unit: "city", time: "year", cohort: "cohort", covariates: ["lngdp", "lnfin"], y: "ire" });
    const t = commandTables("psm", psm)!;
    expect(t.primary!.id).toBe("balance");
    expect(t.primary!.rows).toHaveLength(2 * (psm.balance as unknown[]).length);
    expect(t.more.map((x) => x.id)).toEqual(["did", "logit", "pairs"]);
  });

  it("describe's downloads are what `didwasm describe --format` writes", async () => {
    const j = await run("describe", panel, { vars: ["ire", "lngdp"], by: "east", percentiles: [25, 50] });
    expect(commandTables("describe", j)!.primary!.columns.map((c) => c.label)).toEqual(["Variable", "east", "N", "Mean", "SD", "Min", "Max", "p25", "p50"]);
    for (const format of ["latex", "csv"] as const) {
      const r = await cli(["describe", csvFile, "--vars", "ire,lngdp", "--by", "east", "--percentiles", "25,50", "--format", format]);
      expect(r.code, r.err).toBe(0);
      expect(describeTableText(j, format)).toBe(r.out);
    }
  });
});

describe("figure PNGs", () => {
  it("carry a 300 dpi pHYs chunk with a valid CRC, right after IHDR", () => {
    expect(crc32(new TextEncoder().encode("IEND"))).toBe(0xae426082);
    // A 1x1 PNG's signature and IHDR (the pixels do not matter here).
    const ihdr = new Uint8Array([0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0]);
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, ...ihdr, ...new Uint8Array(4), 0, 0, 0, 0, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82]);
    const out = withResolution(png, 300);
    const at = 8 + 25;
    expect(String.fromCharCode(...out.subarray(at + 4, at + 8))).toBe("pHYs");
    const view = new DataView(out.buffer);
    expect(view.getUint32(at + 8)).toBe(11811);
    expect(out[at + 16]).toBe(1);
    expect(view.getUint32(at + 17)).toBe(crc32(out.subarray(at + 4, at + 17)));
    expect(out.length).toBe(png.length + 21);
  });
  it("read the figure's size from width/height or the viewBox", () => {
    expect(svgSize('<svg xmlns="http://www.w3.org/2000/svg" width="720" height="420">')).toEqual({ width: 720, height: 420 });
    expect(svgSize('<svg viewBox="0 0 640 400">')).toEqual({ width: 640, height: 400 });
  });
});
