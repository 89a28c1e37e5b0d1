// The RTF tables open in LibreOffice (installed by .ci/run, as for the Word test) and convert to PDF with
// their text: cells, stars, notes and Chinese, every word inside the page's margins, the wide table on a
// landscape page. The PDF is left in test-output/ for a human to open.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { expect, it } from "vitest";
import { tablesToRtf } from "../../bindings/present/rtf.js";
import { regressionTable } from "../../bindings/present/tables/regression-table.js";
import { baseline, ZH_OPTIONS } from "../tables/helpers.js";
import { pdfPages, soffice } from "../helpers/libreoffice.js";

const OUT = resolve(__dirname, "../../test-output/rtf");

it("LibreOffice opens the .rtf and prints every table whole: cells, stars, notes, Chinese; the wide one landscape", () => {
  const wide = regressionTable([...baseline(), ...baseline(), ...baseline(), ...baseline()], { caption: "Table 7: Twelve models" });
  const rtf = tablesToRtf([{ heading: "三、基准回归" }, { table: regressionTable(baseline(), ZH_OPTIONS) }, { heading: "Robustness" }, { table: wide }], { title: "智慧城市试点与创新" });
  mkdirSync(OUT, { recursive: true });
  const file = join(OUT, "tables.rtf");
  writeFileSync(file, rtf);
  // A profile of its own: another LibreOffice running on the machine would otherwise take the job.
  const profile = mkdtempSync(join(tmpdir(), "didwasm-lo-"));
  execFileSync(soffice(), [`-env:UserInstallation=file://${profile}`, "--headless", "--convert-to", "pdf", "--outdir", OUT, file], { stdio: "pipe", timeout: 180_000 });
  const pdf = join(OUT, "tables.pdf");
  // Compared without spaces: LibreOffice spaces Latin from Chinese ("表 3") and sets superscripts apart.
  const text = execFileSync("pdftotext", [pdf, "-"], { encoding: "utf8" }).replace(/\s+/g, "");
  for (const s of ["智慧城市试点与创新", "三、基准回归", "表3智慧城市试点与创新效率：基准回归", "智慧城市试点", "城市固定效应", "未控制", "观测值", "0.115***", "(0.018)", "Table7:Twelvemodels", "(12)"]) {
    expect(text, s).toContain(s);
  }
  expect(text).toContain("注：括号内为聚类到城市层面的稳健标准误；*、**、***分别表示在10%、5%、1%的水平上显著。");
  const ps = pdfPages(pdf);
  expect(ps.length).toBe(2);
  expect(ps[0].width).toBeLessThan(ps[0].height); // portrait
  expect(ps[1].width).toBeGreaterThan(ps[1].height); // landscape: the twelve-column table
  for (const p of ps) {
    expect(p.words.length).toBeGreaterThan(20);
    for (const w of p.words) {
      expect(w.xMin, w.text).toBeGreaterThanOrEqual(72 - 1);
      expect(w.xMax, w.text).toBeLessThanOrEqual(p.width - 72 + 1);
    }
  }
  // All twelve column numbers on the landscape page, in order across it.
  const heads = ps[1].words.filter((w) => /^\(\d+\)$/.test(w.text) && !w.text.startsWith("(0"));
  expect(heads.map((w) => w.text)).toEqual(Array.from({ length: 12 }, (_, i) => `(${i + 1})`));
}, 240_000);
