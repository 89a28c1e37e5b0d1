// The LaTeX output compiles: standalone documents of the regression and describe tables go through
// xelatex (Chinese labels, via ctex) and pdflatex (ASCII only), when those engines are on the PATH.
// Without them the tests are skipped with the reason printed. (On Debian: apt-get install
// texlive-xetex texlive-lang-chinese, about 190 MB to download and 570 MB installed.)
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { readCsvFile } from "../../bindings/data/read-file.js";
import { describe as describeData } from "../../bindings/estimators/describe.js";
import { renderDescribe } from "../../bindings/present/tables/describe-table.js";
import { groupDiffFrom, renderRegressionTable } from "../../bindings/present/tables/regression-table.js";
import { ZH_LABELS, ZH_OPTIONS, baseline, fixture } from "./helpers.js";

const has = (cmd: string) => spawnSync("sh", ["-c", `command -v ${cmd}`]).status === 0;
const XELATEX = has("xelatex");
const PDFLATEX = has("pdflatex");
const dir = mkdtempSync(join(tmpdir(), "didwasm-latex-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function compile(engine: string, name: string, tex: string) {
  writeFileSync(join(dir, `${name}.tex`), tex);
  const r = spawnSync(engine, ["-interaction=nonstopmode", "-halt-on-error", `${name}.tex`], { cwd: dir, encoding: "utf8", timeout: 120_000 });
  const log = existsSync(join(dir, `${name}.log`)) ? readFileSync(join(dir, `${name}.log`), "utf8") : "";
  expect(r.status, `${engine} ${name}.tex failed:\n${r.stdout.slice(-3000)}`).toBe(0);
  expect(existsSync(join(dir, `${name}.pdf`))).toBe(true);
  // A glyph the fonts lack is only a warning in the log: Chinese set in a Latin font would show up here.
  expect(log.match(/Missing character: .*/g) ?? [], `${name}.log`).toEqual([]);
}

const cjkDocs = () => ({
  "regression-zh": renderRegressionTable(baseline(), { ...ZH_OPTIONS, standalone: true }, "latex"),
  "regression-diff": renderRegressionTable([fixture("fit-inland"), fixture("fit-east")], { statistic: "t", titles: ["中西部", "东部"], groupDiffs: [groupDiffFrom(fixture("bdiff-east"))], labels: ZH_LABELS, standalone: true }, "latex"),
  "describe-zh": renderDescribe(describeData(readCsvFile("examples/smart-city.csv"), { vars: ["ire", "did", "lngdp"], by: "east", percentiles: [50] }), "latex", {
    labels: ZH_LABELS, groupLabels: { "0": "中西部", "1": "东部" }, caption: "表2 描述性统计", standalone: true,
  }),
  "regression-xecjk": renderRegressionTable(baseline(), { ...ZH_OPTIONS, standalone: true, cjkPackage: "xeCJK" }, "latex"),
});

const asciiDoc = () =>
  renderRegressionTable(baseline(), { standalone: true, caption: "R&D_50% <spend> \"q\" $ # ~ ^ \\ |", labels: { did: "Treated_post & 100%" }, notes: ["a_b & c < d"] }, "latex");

describe("LaTeX compiles", () => {
  if (!XELATEX) {
    console.warn("latex-compile: skipped the xelatex tests: no xelatex on the PATH (install texlive-xetex and texlive-lang-chinese to run them)");
    it.skip("Chinese tables compile with xelatex (skipped: xelatex not found)", () => {});
  } else {
    it.each(Object.keys(cjkDocs()))("%s with xelatex", (name) => compile("xelatex", name, cjkDocs()[name as keyof ReturnType<typeof cjkDocs>]));
  }
  if (!PDFLATEX) {
    console.warn("latex-compile: skipped the pdflatex test: no pdflatex on the PATH");
    it.skip("ASCII table with every special character compiles with pdflatex (skipped: pdflatex not found)", () => {});
  } else {
    it("ASCII table with every special character compiles with pdflatex", () => compile("pdflatex", "ascii", asciiDoc()));
  }
});
