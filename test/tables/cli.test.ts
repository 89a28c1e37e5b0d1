// End to end: `didwasm describe` and `didwasm table`, in process through runCli (the same program as the
// binary) and once through the built binary; bad input exits 2 with a message that names the file,
// variable or option.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { run } from "../../bindings/commands/run.js";
import { runCli } from "../../cli/program.js";
import { STACK_LINE } from "../cli/fixtures.js";
import { ZH_LABELS, fixturePath } from "./helpers.js";

const DATA = "examples/smart-city.csv";
let dir = "";
const file = (name: string) => join(dir, name);

async function cli(args: string[]) {
  let stdout = "";
  let stderr = "";
  const status = await runCli(args, { out: (t) => (stdout += t), err: (t) => (stderr += t) });
  return { status, stdout, stderr };
}

async function fails(args: string[], message: string | RegExp) {
  const r = await cli(args);
  expect(r.status, r.stdout + r.stderr).toBe(2);
  expect(r.stderr).toMatch(typeof message === "string" ? new RegExp(message.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")) : message);
  expect(r.stderr).not.toMatch(STACK_LINE);
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "didwasm-tables-"));
  writeFileSync(file("labels.json"), "\ufeff" + JSON.stringify(ZH_LABELS));
  writeFileSync(file("not-json.json"), "ire,did\n1,2\n");
  writeFileSync(file("labels-bad.json"), JSON.stringify({ did: 1 }));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("didwasm describe", () => {
  it("prints the table, and JSON equal to run()", async () => {
    const r = await cli(["describe", DATA, "--vars", "ire,did", "--percentiles", "50"]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/\nire\s+3976\s+0\.529\s+0\.095\s+0\.190\s+0\.883\s+0\.527\n/);
    const j = await cli(["describe", DATA, "--vars", "ire,did", "--by", "east", "--percentiles", "50", "--json"]);
    const json = JSON.parse(j.stdout);
    const viaRun = await run("describe", readFileSync(DATA, "utf8"), { vars: ["ire", "did"], by: "east", percentiles: [50] });
    const strip = ({ timing_ms: _t, ...rest }: Record<string, unknown>) => rest;
    expect(strip(json)).toEqual(strip(viaRun));
    expect(json.groups).toEqual(["0", "1"]);
    expect(json.rows[0]).toMatchObject({ variable: "ire", group: "0", n: 2702 });
  });
  it("writes --out in the format its extension suggests, with Chinese labels from --labels", async () => {
    const args = ["describe", DATA, "--vars", "ire,did", "--by", "east", "--labels", file("labels.json"), "--group-labels", "0=中西部,1=东部"];
    expect((await cli([...args, "--out", file("d.tex")])).status).toBe(0);
    const tex = readFileSync(file("d.tex"), "utf8");
    expect(tex).toContain("\\multicolumn{5}{c}{中西部} & \\multicolumn{5}{c}{东部}");
    expect(tex).toContain("创新效率 & 2702 & 0.527");
    expect((await cli([...args, "--out", file("d.csv")])).status).toBe(0);
    expect(readFileSync(file("d.csv"), "utf8").startsWith("\ufeff,中西部,,,,,东部")).toBe(true);
    expect((await cli([...args, "--format", "html", "--standalone", "--out", file("d.txt")])).status).toBe(0);
    expect(readFileSync(file("d.txt"), "utf8")).toContain('<meta charset="utf-8">');
    // RTF: a table row per line of statistics, the Chinese as \uN? escapes, signed 16-bit (中西部 is
    // U+4E2D U+897F U+90E8: 20013, 35199 - 65536, 37096 - 65536).
    expect((await cli([...args, "--out", file("d.rtf")])).status).toBe(0);
    const rtf = readFileSync(file("d.rtf"), "utf8");
    expect(rtf.startsWith("{\\rtf1")).toBe(true);
    expect(rtf).toContain("{\\f1 \\u20013?\\u-30337?\\u-28440?}\\cell");
    expect(rtf.split("\\trowd").length - 1).toBe(4);
    const printed = await cli([...args, "--format", "rtf"]);
    expect(printed.stdout).toBe(rtf);
  });
  it("bad input: unknown variable, a directory, unknown by, bad percentiles, bad format, missing file", async () => {
    await fails(["describe", DATA, "--vars", "ire,lngpd"], 'unknown variable "lngpd" (did you mean "lngdp"?)');
    await fails(["describe", dir], /is a directory/);
    await fails(["describe", DATA, "--by", "eats"], 'unknown by variable "eats" (did you mean "east"?)');
    await fails(["describe", DATA, "--percentiles", "50,abc"], "--percentiles must be numbers separated by commas");
    await fails(["describe", DATA, "--percentiles", "150"], "--percentiles must be a number at least 0 and at most 100");
    for (const ext of ["odt", "xlsx"]) await fails(["describe", DATA, "--out", file(`d.${ext}`)], `no writer for .${ext} (.${ext} is not written yet)`);
    await fails(["describe", DATA, "--format", "latex", "--bom"], "--bom applies only with --format csv");
    await fails(["describe", DATA, "--layout", "long"], "--layout applies only with --by");
    await fails(["describe", DATA, "--format", "docx"], "--format docx writes a Word file: give --out FILE.docx");
    await fails(["describe", DATA, "--format", "xlsx"], "--format must be one of text, markdown, latex, html, csv, rtf, docx");
    await fails(["describe", file("missing.csv")], "file not found");
    await fails(["describe", DATA, "--labels", file("labels-bad.json")], "must be a JSON object of names to labels");
    await fails(["describe", DATA, "--labels", file("nope.json")], `labels file not found: ${file("nope.json")}`);
  });
});

describe("didwasm table", () => {
  const models = ["fit-ols", "fit-twfe", "fit-twfe-controls"].map(fixturePath);
  it("renders the saved fits with the user's labels, keep, fe labels and t statistics", async () => {
    const r = await cli(["table", ...models, "--labels", file("labels.json"), "--keep", "did,lngdp", "--fe-labels", "控制，未控制", "--t", "--digits", "2"]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/智慧城市试点\s+0\.02\*\*\*\s+0\.03\*\*\*\s+0\.03\*\*\*\n\s+\(10\.18\)\s+\(9\.99\)\s+\(9\.93\)\n/);
    expect(r.stdout).toMatch(/城市固定效应\s+未控制\s+控制\s+控制/);
    expect(r.stdout).not.toContain("lnfin");
    expect(r.stdout).toContain("t statistics in parentheses.");
    const own = await cli(["table", ...models, "--no-default-notes", "--note", "注：括号内为 t 值。"]);
    expect(own.stdout.trimEnd().split("\n").at(-1)).toBe("注：括号内为 t 值。");
    expect(own.stdout).not.toContain("parentheses");
  });
  it("adds group-difference p-values, extra rows, titles; writes every format", async () => {
    const args = ["table", fixturePath("fit-inland"), fixturePath("fit-east"), "--diff-p", fixturePath("bdiff-east"), "--titles", "Inland,Coastal", "--row", "Controls=Yes,Yes", "--stats", "nobs,adj_r2"];
    const r = await cli(args);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Group difference p-value\s+0\.300\n/);
    expect(r.stdout).toMatch(/Controls\s+Yes\s+Yes/);
    expect(r.stdout).toMatch(/Adj\. R²/);
    for (const [ext, check] of [["md", "| Group difference p-value"], ["tex", "\\multicolumn{2}{c}{0.300}"], ["html", '<td colspan="2" class="c">0.300</td>'], ["csv", "Group difference p-value,0.300,"], ["rtf", " 0.300\\cell"]] as const) {
      expect((await cli([...args, "--out", file(`t.${ext}`)])).status).toBe(0);
      expect(readFileSync(file(`t.${ext}`), "utf8")).toContain(check);
    }
  });
  it("bad input: missing file, not JSON, not a model, unknown coefficient, conflicting or malformed options", async () => {
    await fails(["table", file("missing.json")], `model file not found: ${file("missing.json")}`);
    await fails(["table", file("not-json.json")], `${file("not-json.json")} is not valid JSON`);
    await fails(["table", dir], `${dir} is a directory, not a model file`);
    await fails(["table", fixturePath("bacon")], `${fixturePath("bacon")} is not a model's JSON (it has no "coefficients"`);
    await fails(["table", ...models, "--keep", "did,lnfn"], '--keep "lnfn" matches no coefficient (did you mean "lnfin"?)');
    await fails(["table", ...models, "--se", "--t"], "--t cannot be given with --se");
    for (const ext of ["odt", "xlsx", "pdf"]) await fails(["table", ...models, "--out", file(`t.${ext}`)], `no writer for .${ext}`);
    await fails(["table", ...models, "--stats", "nobs,r3"], '--stats names "r3"; statistics: nobs, r2, r2_within, adj_r2');
    await fails(["table", ...models, "--fe-labels", "Yes"], "--fe-labels must be two words");
    await fails(["table", ...models, "--titles", "a,b"], "--titles has 2 values for 3 models");
    await fails(["table", ...models, "--diff-p", fixturePath("fit-twfe")], "is not a group-difference result");
    await fails(["table", ...models, "--diff-p", fixturePath("bdiff-east"), "--diff-cols", "3:4"], "across columns 3-4, but the table has 3 model columns");
    await fails(["table", ...models, "--row", "novalue"], '--row must look like "label=value1,value2"');
    await fails(["table", ...models, "--stats", "nobs,r3"], '--stats names "r3"; statistics: nobs, r2, r2_within, adj_r2');
    await fails(["table", ...models, "--digits", "x"], "--digits must be a whole number");
    await fails(["table"], /missing required argument/);
  });
});

describe("the built binary", () => {
  const BIN = resolve(__dirname, "../../dist/cli/main.js");
  it.runIf(existsSync(BIN))("prints Chinese as UTF-8 and exits 2 on a bad file", () => {
    const ok = spawnSync(process.execPath, [BIN, "table", fixturePath("fit-twfe"), "--fe-labels", "控制,未控制", "--format", "markdown"], { encoding: "utf8" });
    expect(ok.status, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/\| city FE\s+\| 控制\s+\|/);
    const bad = spawnSync(process.execPath, [BIN, "table", "no-such.json"], { encoding: "utf8" });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toBe("didwasm: error: model file not found: no-such.json\n");
  });
});
