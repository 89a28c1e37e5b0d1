// The Chinese twin of the demo study (examples/smart-city.zh.json): the same analyses as the English spec,
// with tables that read like the seed paper's (表N captions, 变量 in the corner, 观测值, 控制/未控制, t
// statistics in parentheses and the paper's note on stars). The report is run through the CLI; its Word, RTF
// and LaTeX tables are read back for the Chinese text, and tables.tex is compiled with xelatex (ctex) with no
// overfull box. The study's design as the paper has it is checked on the results: column (1) of the baseline
// without fixed effects, the special sample without 2008 and 2019-2020, the initial-innovation trend, and
// human and physical capital split at the median with bootstrap group differences from 500 draws.
import { execFileSync, spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
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

/** Names that stay as the literature and the files write them (estimators, authors, HonestDiD's bound and
 *  method, file formats), and numbers in scientific notation. */
const KEPT = /Goodman-Bacon|Sun-Abraham|Callaway-Sant(?:'|&#39;)Anna|HonestDiD|PSM-DID|TWFE|did2s|dCDH|ATT|DID|Mbar|C-LF|JSON|SVG|PDF|PNG|\d(?:\.\d+)?e[-+]?\d+/g;
/** The English words of a text, once the kept names are taken out. */
const englishWords = (text: string) => text.replace(KEPT, " ").match(/[A-Za-z]{2,}/g) ?? [];

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

  it("Table 6 (robustness) ends with the firm-level column: its own data file, firm and year FE, its N, in HTML, LaTeX and Word", () => {
    const robust = sectionOf("稳健性检验：排除其他政策、初始条件、匹配与特殊样本");
    const firm = robust.analyses.at(-1);
    expect(firm).toMatchObject({ label: "企业创新补贴", data: "smart-city-firms.csv" });
    const call = firm.calls[0];
    expect(call.command_line).toContain("examples/smart-city-firms.csv --formula 'subsidy ~ did + firm_size | firm + year' --vcov cluster:city");
    const n = call.result.nobs;
    expect(n).toBeGreaterThan(20_000);
    const tex = readFileSync(join(out, "tables.tex"), "utf8");
    const table = tex.slice(tex.indexOf("\\caption{稳健性检验：排除其他政策、初始条件、匹配与特殊样本}"));
    const body = table.slice(0, table.indexOf("\\end{table}"));
    expect(body.split("\n").find((l) => l.startsWith("变量 &"))).toMatch(/& 企业创新补贴 \\\\$/);
    expect(body).toMatch(new RegExp(`观测值( & \\d+){6} & ${n} \\\\\\\\`));
    expect(body).toMatch(/企业固定效应( & 未控制){6} & 控制/);
    expect(body).toMatch(/城市固定效应( & 控制){6} & 未控制/);
    const did = call.result.coefficients.find((c: Json) => c.term === "did");
    expect(body).toContain(`(${did.statistic.toFixed(3)})`);
    const html = readFileSync(join(out, "index.html"), "utf8");
    expect(html).toMatch(/<th scope="col"[^>]*>企业创新补贴<\/th>/);
    expect(html).toMatch(new RegExp(`<td[^>]*>${n}</td>`));
    const docx = docxText();
    expect(docx).toContain("企业创新补贴");
    expect(docx).toContain(String(n));
  });

  it("every table speaks Chinese: no English words of the placebo, Bacon, robustness ... tables in tables.tex, the page or Word", () => {
    // Words the presenters used to write in English (estimators' and authors' names stay as written:
    // Goodman-Bacon, Sun-Abraham, HonestDiD, ATT, TWFE).
    const english = /\b(Placebo|draws?|Bacon decomposition|Weight|Estimate|estimates?|Share|Robust|Comparison|Treated|Untreated|Estimator|Std\. error|Lower|Upper|Original|Power|Bayes|Likelihood|Slope|Covariate|Mean|bias|binned|Reference|window|Joint test|Value|Overall|Event time|Full sample|Controls|Yes|No|FE|matched|simple|dynamic|calendar|Figure|Table|Download|Contents|Methods|Copy|Files|Seeds|Produced|rows)\b/;
    const tex = readFileSync(join(out, "tables.tex"), "utf8");
    const texText = tex.split("\n").filter((l) => !l.startsWith("%") && !l.startsWith("\\usepackage")).join("\n")
      .replace(/\\[a-zA-Z]+(\[[^\]]*\])?/g, " ").replace(/\{[lcr@{}]+\}/g, " ");
    expect(texText.match(english)?.[0]).toBeUndefined();
    const page = readFileSync(join(out, "index.html"), "utf8");
    const tables = [...page.matchAll(/<table[\s\S]*?<\/table>|<figcaption>[\s\S]*?<\/figcaption>|<nav[\s\S]*?<\/nav>|<footer[\s\S]*?<\/footer>|<div class="files">[\s\S]*?<\/div>/g)]
      .map((m) => m[0].replace(/<[^>]+>/g, " ")).join("\n");
    expect(tables.length).toBeGreaterThan(1000);
    expect(tables.match(english)?.[0]).toBeUndefined();
    expect(docxText().match(english)?.[0]).toBeUndefined();
    // Every figure, on the page and in figures/*.svg: event study, placebo, Bacon, estimators compared (drawn
    // by the report) and HonestDiD, pre-trend power, matching (drawn by their commands, with the report's words).
    const figures = [...page.matchAll(/<figure[\s\S]*?<\/figure>/g)].map((m) => m[0]);
    expect(figures.length).toBe(7);
    const files = readdirSync(join(out, "figures")).filter((f) => f.endsWith(".svg")).map((f) => readFileSync(join(out, "figures", f), "utf8"));
    expect(files.length).toBe(7);
    for (const f of [...figures, ...files]) {
      const text = [...f.matchAll(/<text[^>]*>([^<]*)<\/text>|<title>([^<]*)<\/title>/g)].map((m) => m[1] ?? m[2]).join("\n");
      expect(text).toMatch(/[\u3400-\u9fff]/);
      expect(englishWords(text), f.slice(0, 300)).toEqual([]);
    }
    // The placebo and Bacon tables as the phrasebook has them.
    for (const s of ["真实估计值", "安慰剂抽样次数", "比较类型", "权重", "处理组与从未处理组", "估计量", "标准误", "95\\%置信区间", "协变量平衡性检验"]) expect(texText, s).toContain(s);
  });

  it("the notes, files and commands under each section speak Chinese: estimators' notes, analysis names, roles (command lines in code font aside)", () => {
    const page = readFileSync(join(out, "index.html"), "utf8");
    const areas = [...page.matchAll(/<div class="analyses">[\s\S]*?(?=<\/section>)/g)].map((m) => m[0]);
    expect(areas.length).toBe(results.sections.length);
    const notes = areas.flatMap((a) => [...a.matchAll(/<li class="(?:info|warning)">([^<]*)<\/li>/g)].map((m) => m[1]));
    // The study's notes: missing values (nearly every regression), the event window, the comparison's
    // base periods, the pre-trend power's precision and trend, the caliper of the matching.
    expect(notes.length).toBeGreaterThan(20);
    for (const s of ["因存在缺失值删除41个观测值", "事件窗口-7至7之外的", "100个处理组个体中有1个因卡尺0.05内没有对照个体而被删除", "未给定趋势"]) {
      expect(notes.some((n) => n.includes(s)), s).toBe(true);
    }
    for (const n of notes) expect(englishWords(n), n).toEqual([]);
    const text = areas.join("\n").replace(/<code>[\s\S]*?<\/code>/g, " ").replace(/<[^>]+>/g, " ");
    expect(text).toContain("注释、文件与复现命令");
    expect(englishWords(text)).toEqual([]);
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
