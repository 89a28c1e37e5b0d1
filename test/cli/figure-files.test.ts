// Figure files and Word tables through the CLI (in-process): --plot FILE.svg|pdf|png with --plot-size on a
// drawing command, describe and table written as .docx (Chinese labels, stars, notes), and the report's
// figures/fig-<n>-<slug>.{svg,pdf,png} and tables.docx, figure files of an earlier run replaced.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { toCsv } from "../../bindings/data/csv-write.js";
import { generateSyntheticPanel } from "../../bindings/data/demo/panel.js";
import { figureFileStem } from "../../bindings/present/figure-files.js";
import { reportBlocks } from "../../bindings/report/blocks.js";
import { runCli } from "../../cli/program.js";
import { unzip } from "../helpers/zip.js";
import { fixturePath } from "../tables/helpers.js";

const dir = mkdtempSync(join(tmpdir(), "didwasm-cli-figures-"));
const file = (name: string) => join(dir, name);

async function cli(args: string[]) {
  let stdout = "";
  let stderr = "";
  const code = await runCli(args, { out: (t) => (stdout += t), err: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

const ok = async (args: string[]) => {
  const r = await cli(args);
  expect(r.code, r.stderr).toBe(0);
  return r;
};

const documentXml = (path: string) => unzip(readFileSync(path)).get("word/document.xml")!.toString("utf8");
const pngWidth = (path: string) => readFileSync(path).readUInt32BE(16);

beforeAll(() => {
  const cols = generateSyntheticPanel({ units: 40, periods: 6, regressors: 2, seed: 3, staggered: { cohorts: [2002, 2004], neverShare: 0.4, effect: 1 } });
  const east = Float64Array.from(cols.state as ArrayLike<number>, (s) => s % 2);
  writeFileSync(file("p.csv"), toCsv({ ...cols, east }));
});

const ES = ["--y", "y", "--unit", "unit", "--time", "year", "--cohort", "cohort"];

describe("--plot", () => {
  it("writes SVG, PDF or PNG by the extension, at the --plot-size width", async () => {
    await ok(["eventstudy", file("p.csv"), ...ES, "--plot", file("es.PNG"), "--plot-size", "single"]);
    expect(pngWidth(file("es.PNG"))).toBe(1050);
    await ok(["eventstudy", file("p.csv"), ...ES, "--plot", file("es.png")]);
    expect(pngWidth(file("es.png"))).toBe(2100); // double by default
    await ok(["eventstudy", file("p.csv"), ...ES, "--plot", file("es.pdf")]);
    expect(readFileSync(file("es.pdf"), "latin1")).toMatch(/^%PDF-[\s\S]*\/MediaBox \[0 0 504 315\]/);
    await ok(["eventstudy", file("p.csv"), ...ES, "--plot", file("es.svg")]);
    expect(readFileSync(file("es.svg"), "utf8")).toMatch(/^<svg [^>]*width="7in" height="4.375in"/);
  });

  it("an unknown extension, or a folder, is refused before the data is read", async () => {
    const r = await cli(["eventstudy", file("missing.csv"), ...ES, "--plot", file("es.eps")]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`--plot writes .svg, .pdf, .png files (the extension chooses the format): got ${file("es.eps")}`);
    mkdirSync(file("dir.pdf"), { recursive: true });
    expect((await cli(["eventstudy", file("p.csv"), ...ES, "--plot", file("dir.pdf")])).stderr).toContain("is a directory");
  });
});

describe("Word tables", () => {
  it("describe --format docx --out: a Word table with Chinese labels, group headers and a note", async () => {
    await ok(["describe", file("p.csv"), "--vars", "y,x1", "--by", "east", "--labels", "y=创新效率,x1=经济发展水平", "--group-labels", "0=中西部,1=东部", "--note", "注：样本为模拟面板。", "--format", "docx", "--out", file("d.docx")]);
    const xml = documentXml(file("d.docx"));
    expect(xml).toContain("<w:tbl>");
    for (const s of ["中西部", "东部", "创新效率", "经济发展水平", "注：样本为模拟面板。"]) expect(xml, s).toContain(s);
    // The .docx extension alone chooses Word; nothing is printed.
    const r = await ok(["describe", file("p.csv"), "--vars", "y", "--out", file("d2.docx")]);
    expect(r.stdout).toBe("");
    expect(documentXml(file("d2.docx"))).toContain("<w:tbl>");
  });

  it("table --out x.docx: estimates with superscript stars, fixed-effect rows and the default notes", async () => {
    await ok(["table", fixturePath("fit-ols"), fixturePath("fit-twfe"), "--labels", "did=智慧城市试点", "--fe-labels", "控制,未控制", "--out", file("t.docx")]);
    const xml = documentXml(file("t.docx"));
    expect(xml).toMatch(/智慧城市试点<\/w:t>/);
    // The estimate's run, then a superscript run with its stars.
    expect(xml).toMatch(/>0\.023<\/w:t><\/w:r><w:r><w:rPr>(?:(?!<\/w:r>).)*<w:vertAlign w:val="superscript"\/>(?:(?!<\/w:r>).)*>\*\*\*<\/w:t><\/w:r>/);
    expect(xml).toContain("未控制");
    expect(xml).toMatch(/Standard errors in parentheses/);
  });
});

describe("report files", () => {
  const study = file("study");
  const out = file("rep");
  const spec = {
    title: "Figure files", data: "p.csv", seed: 1,
    roles: { unit: "unit", time: "year", cohort: "cohort", treatment: "treat", outcome: "y", controls: ["x1"] },
    labels: { y: "创新效率", treat: "智慧城市试点" },
    sections: [
      { title: "Baseline", analyses: [{ type: "regression" }] },
      { title: "Event study", analyses: [{ type: "eventstudy" }] },
      { title: "Placebo", analyses: [{ type: "placebo", reps: 10 }] },
    ],
  };

  beforeAll(async () => {
    mkdirSync(study, { recursive: true });
    writeFileSync(join(study, "p.csv"), readFileSync(file("p.csv")));
    writeFileSync(join(study, "s.json"), JSON.stringify(spec));
    // Left by an earlier run whose figures were numbered differently; and a file of the user's.
    mkdirSync(join(out, "figures"), { recursive: true });
    writeFileSync(join(out, "figures", "fig-9-old.png"), "old");
    writeFileSync(join(out, "figures", "notes.txt"), "mine");
    await ok(["report", join(study, "s.json"), "--out", out, "--quiet"]);
  }, 120_000);

  it("writes each figure as fig-<n>-<slug>.svg, .pdf and .png, named as the page's blocks name them", () => {
    const results = JSON.parse(readFileSync(join(out, "results.json"), "utf8"));
    expect(results.ok).toBe(true);
    const names = readdirSync(join(out, "figures")).sort();
    expect(names).toEqual([
      "fig-1-event-study", "fig-2-kernel-density-of-10-placebo",
    ].flatMap((s) => ["pdf", "png", "svg"].map((e) => `${s}.${e}`)).concat("notes.txt").sort());
    expect(readFileSync(join(out, "figures", "notes.txt"), "utf8")).toBe("mine");
    expect(pngWidth(join(out, "figures", "fig-1-event-study.png"))).toBe(2100);
    expect(readFileSync(join(out, "figures", "fig-2-kernel-density-of-10-placebo.pdf"), "latin1")).toMatch(/^%PDF-/);
    expect(readFileSync(join(out, "figures", "fig-1-event-study.svg"), "utf8")).toMatch(/^<svg [^>]*width="7in"/);
  });

  it("the names follow figureFileStem of the blocks' numbers and captions", async () => {
    // The same naming the page's links use: recomputed from the blocks of a fresh run of the same spec.
    const { parseSpec } = await import("../../bindings/report/load.js");
    const { runReport } = await import("../../bindings/report/runner.js");
    const { readCsvFile } = await import("../../bindings/data/read-file.js");
    const { inlineEnv } = await import("../../bindings/commands/run.js");
    const s = parseSpec(JSON.stringify(spec), join(study, "s.json"));
    const r = await runReport(s, readCsvFile(join(study, "p.csv")), { ...inlineEnv, pickSeed: () => 1 }, { data: "p.csv" });
    const stems = reportBlocks(r).flatMap((sec) => sec.blocks.flatMap((b) => (b.kind === "figure" ? [figureFileStem(b.number, b.caption)] : [])));
    expect(stems.length).toBe(2);
    for (const stem of stems) for (const ext of ["svg", "pdf", "png"]) expect(existsSync(join(out, "figures", `${stem}.${ext}`)), `${stem}.${ext}`).toBe(true);
  });

  it("writes tables.docx: the title, each section's heading and its tables as Word tables", () => {
    const xml = documentXml(join(out, "tables.docx"));
    expect(xml).toContain("Figure files");
    expect(xml).toContain("1. Baseline");
    expect(xml).toContain("2. Event study");
    expect(xml.match(/<w:tbl>/g)?.length).toBe(3); // regression, event study, placebo summary
    expect(xml).toContain("智慧城市试点");
    expect(xml).toContain('<w:vertAlign w:val="superscript"/>');
  });
});
