// The Chinese twin of the demo study (examples/smart-city.zh.json): the same analyses as the English spec,
// with tables that read like the seed paper's (表N captions, 变量 in the corner, 观测值, 控制/未控制, t
// statistics in parentheses and the paper's note on stars). The report is run through the CLI; its Word, RTF
// and LaTeX tables are read back for the Chinese text, and tables.tex is compiled with xelatex (ctex) with no
// overfull box. The study's design as the paper has it is checked on the results: column (1) of the baseline
// without fixed effects, the special sample without 2008 and 2019-2020, the initial-innovation trend, and
// human and physical capital split at the median with bootstrap group differences from 500 draws.
import { execFileSync, spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../../cli/program.js";
import { rtfBalanced, rtfPlain, rtfRows } from "../helpers/rtf.js";
import { unzip } from "../helpers/zip.js";

const root = resolve(__dirname, "../..");
const enPath = join(root, "examples", "smart-city.json");
const zhPath = join(root, "examples", "smart-city.zh.json");
const out = mkdtempSync(join(tmpdir(), "didwasm-zh-"));
const NOTE = "注：*、**和***分别表示10%、5%和1%的显著性水平，括号内为t值。";

type Json = Record<string, any>;
let results: Json;
let code = -1;
let stderr = "";

beforeAll(async () => {
  code = await runCli(["report", zhPath, "--out", out, "--quiet"], { out: () => {}, err: (t) => (stderr += t) });
  results = JSON.parse(readFileSync(join(out, "results.json"), "utf8"));
}, 180_000);

/** The paragraphs' text of word/document.xml, in order. */
function docxText(): string {
  const xml = unzip(readFileSync(join(out, "tables.docx"))).get("word/document.xml")!.toString("utf8");
  return [...xml.matchAll(/<w:t[^>]*>([^<]*)<\/w:t>/g)].map((m) => m[1]).join("|");
}

const sectionOf = (title: string) => results.sections.find((s: Json) => s.title === title);

describe("examples/smart-city.zh.json", () => {
  it("is the English spec's study: same data, seed, roles and analyses (their labels aside)", () => {
    const en = JSON.parse(readFileSync(enPath, "utf8"));
    const zh = JSON.parse(readFileSync(zhPath, "utf8"));
    for (const k of ["data", "seed", "roles", "statistic"]) expect(zh[k], k).toEqual(en[k]);
    const strip = (s: Json) => s.analyses.map(({ label: _l, ...a }: Json) => a);
    expect(zh.sections.map(strip)).toEqual(en.sections.map(strip));
    // Every column and value label of the English spec has its Chinese one.
    expect(Object.keys(zh.labels)).toEqual(expect.arrayContaining(Object.keys(en.labels)));
  });

  it("runs whole", () => {
    expect(code, stderr).toBe(0);
    expect(results.ok).toBe(true);
  });

  it("has the paper's design: t statistics; baseline (1) without and (2) with city and year FE; the special sample; inn; Table 9", () => {
    const base = sectionOf("基准回归").analyses.map((a: Json) => a.calls[0]);
    expect(base[0].options.formula).not.toContain("|");
    expect(base[1].options.formula).toMatch(/\| city \+ year$/);
    for (const c of base) expect(c.options.formula).toContain("+ tra");
    const robust = sectionOf("稳健性检验：排除其他政策、初始条件、匹配与特殊样本").analyses;
    const special = robust.find((a: Json) => a.label === "剔除2008、2019-2020年").calls[0];
    expect(special.options.subset).toBe("year != 2008 & year < 2019");
    const full = base[1].result.nobs;
    // 284 cities lose three of their fourteen years (less the rows with missing controls).
    expect(special.result.nobs).toBeLessThan(full * (11 / 14) + 1);
    expect(special.result.nobs).toBeGreaterThan(full * (11 / 14) - 50);
    const inn = robust.find((a: Json) => a.label === "初始创新×趋势").calls[0];
    expect(inn.result.coefficients.map((c: Json) => c.term)).toContain("ire_initial_x_trend");
    // Human and physical capital: two halves of the cities each, with a bootstrap p-value from 500 draws.
    const capital = sectionOf("异质性分析：人力资本与物质资本").analyses;
    expect(capital.length).toBe(2);
    for (const a of capital) {
      const [low, high, bd] = a.calls;
      expect(bd.command).toBe("bdiff");
      expect(bd.result).toMatchObject({ method: "bootstrap", reps: 500 });
      expect(bd.result.p_value).toBeGreaterThan(0);
      expect(bd.result.p_value).toBeLessThanOrEqual(1);
      expect(Math.abs(low.result.nobs - high.result.nobs) / full).toBeLessThan(0.05);
    }
  });

  it("writes Word tables that read like the paper's", () => {
    const text = docxText();
    for (const s of ["表2 基准回归", "变量", "智慧城市试点", "城市固定效应", "年份固定效应", "未控制", "控制", "观测值", "常数项", "组间系数差异p值", "高人力资本", "低物质资本", "东部", NOTE]) {
      expect(text, s).toContain(s);
    }
    // t statistics in parentheses: the baseline's t of the pilot, as the table rounds it.
    const did = sectionOf("基准回归").analyses[1].calls[0].result.coefficients.find((c: Json) => c.term === "did");
    expect(text).toContain(`(${did.statistic.toFixed(3)})`);
    expect(text).not.toContain(`(${did.std_error.toFixed(3)})`);
    expect(text).not.toMatch(/t statistics in parentheses|Group difference p-value|\|N\|/);
  });

  it("writes RTF tables with the same Chinese text, as \\u escapes", () => {
    const rtf = readFileSync(join(out, "tables.rtf"), "utf8");
    expect(rtfBalanced(rtf)).toBe(true);
    expect(/^[\x09\x0a\x0d\x20-\x7e]*$/.test(rtf)).toBe(true);
    // 变量: U+53D8, U+91CF (37327 - 65536).
    expect(rtf).toContain("{\\f1 \\u21464?\\u-28209?}\\cell");
    const rows = rtfRows(rtf);
    expect(rows.filter((r) => r.cells[0] === "观测值").length).toBeGreaterThanOrEqual(8);
    expect(rows.some((r) => r.cells[0] === "城市固定效应" && r.cells.includes("未控制") && r.cells.includes("控制"))).toBe(true);
    expect(rtfPlain(rtf)).toContain(NOTE);
  });

  it("writes tables.tex that compiles with xelatex (ctex): the Chinese text in the PDF, no overfull box", () => {
    const tex = readFileSync(join(out, "tables.tex"), "utf8");
    expect(tex).toContain("\\usepackage[UTF8]{ctex}");
    expect(tex).toContain("变量");
    const has = spawnSync("sh", ["-c", "command -v xelatex && kpsewhich ctex.sty"]).status === 0;
    expect(has, "xelatex and ctex are needed (Debian: texlive-xetex texlive-lang-chinese; .ci/run installs them)").toBe(true);
    const dir = mkdtempSync(join(tmpdir(), "didwasm-xetex-"));
    copyFileSync(join(out, "tables.tex"), join(dir, "tables.tex"));
    for (let i = 0; i < 2; i++) {
      const r = spawnSync("xelatex", ["-interaction=nonstopmode", "-halt-on-error", "tables.tex"], { cwd: dir, encoding: "utf8", timeout: 170_000 });
      expect(r.status, r.stdout.slice(-2000)).toBe(0);
    }
    const log = readFileSync(join(dir, "tables.log"), "utf8");
    expect(log.match(/Overfull \\[hv]box.*/g) ?? []).toEqual([]);
    const text = execFileSync("pdftotext", [join(dir, "tables.pdf"), "-"], { encoding: "utf8" }).replace(/\s+/g, "");
    for (const s of ["基准回归", "变量", "观测值", "未控制", "智慧城市试点", "组间系数差异p值"]) expect(text, s).toContain(s);
    const keep = join(root, "test-output", "report-zh");
    mkdirSync(keep, { recursive: true });
    copyFileSync(join(dir, "tables.pdf"), join(keep, "tables.pdf"));
  }, 360_000);
});
