// Labels everywhere: the spec's labels (and a .dta file's own) title the figures, name the rows and the
// group columns of the tables: the event-study figure is titled by the outcome's label, PSM-DID's row is the
// treatment's label, subgroup columns are their value labels (Chinese ones too), fixed-effect rows and
// interactions are built from labels, and a .dta file's variable and value labels serve where the spec has
// none.
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { inlineEnv } from "../../bindings/commands/run.js";
import { readCsvFile } from "../../bindings/data/read-file.js";
import { renderTable } from "../../bindings/present/tables/render.js";
import type { Table } from "../../bindings/present/tables/model.js";
import { reportBlocks, type SectionBlocks } from "../../bindings/report/blocks.js";
import { reportHtml } from "../../bindings/report/html.js";
import { reportLatex } from "../../bindings/report/latex.js";
import { runReport } from "../../bindings/report/runner.js";
import { validateSpec, type ReportSpec } from "../../bindings/report/spec.js";
import { runCli } from "../../cli/program.js";

const root = resolve(__dirname, "../..");
const data = readCsvFile(join(root, "examples", "smart-city.csv"));

const spec = validateSpec({
  title: "智慧城市 labels", data: "smart-city.csv", seed: 7,
  roles: { unit: "city", time: "year", cohort: "cohort", treatment: "did", outcome: "ire", controls: ["lngdp", "lnfin"], cluster: "city" },
  labels: {
    did: "Smart-city pilot", ire: "Innovation resilience", lngdp: "ln GDP", man_agg: "Manufacturing agglomeration", city: "City", year: "Year",
    east: { 0: "中西部", 1: "东部" },
  },
  sections: [
    { title: "Event study", analyses: [{ type: "eventstudy", window: [-7, 7], bin: 5 }] },
    { title: "Placebo", analyses: [{ type: "placebo", kind: "mixed", variant: 1, reps: 40 }] },
    { title: "Matching", analyses: [{ type: "psm", pre: [2007, 2011], caliper: 0.05 }] },
    { title: "Moderation", analyses: [{ type: "regression", interact: "man_agg" }] },
    { title: "Regions", analyses: [{ type: "subgroups", by: "east", reps: 40 }, { type: "subgroups", by: "ipr_city", reps: 40 }] },
  ],
});

let sections: SectionBlocks[];
let html: string;
beforeAll(async () => {
  const r = await runReport(spec, data, { ...inlineEnv, pickSeed: () => spec.seed }, { data: "smart-city.csv" });
  expect(r.ok).toBe(true);
  sections = reportBlocks(r);
  html = reportHtml(r, sections);
}, 120_000);

const tableOf = (section: number): Table => (sections[section].blocks.find((b) => b.kind === "table") as { table: Table }).table;
const text = (t: Table) => renderTable(t, "text");
const rowLabels = (t: Table) => t.body.flatMap((r) => (r.kind === "row" ? [r.cells[0].text] : []));

describe("the spec's labels", () => {
  it("labels may be texts (columns) or objects (a column's values); a bad value is named with its path", () => {
    expect(spec.labels.did).toBe("Smart-city pilot");
    expect(spec.valueLabels).toEqual({ east: { 0: "中西部", 1: "东部" } });
    expect(() => validateSpec({ ...spec, valueLabels: undefined, labels: { east: { 0: 5 } } })).toThrow(/labels\.east\.0: a non-empty text is required/);
  });

  it("the event-study figure is titled by the outcome's label; its table's periods read t ≤ -5 (binned) ... t ≥ +5 (binned)", () => {
    const fig = sections[0].blocks.find((b) => b.kind === "figure")!;
    expect(fig.kind === "figure" && fig.svg).toContain(">Event study: Innovation resilience</text>");
    expect(fig.kind === "figure" && fig.svg).not.toContain("Event study: ire");
    const rows = rowLabels(tableOf(0)).filter(Boolean);
    expect(rows.slice(0, 2)).toEqual(["t ≤ -5 (binned)", "t - 4"]);
    expect(rows).toContain("t ≥ +5 (binned)");
    expect(rows).toContain("City FE");
    expect(tableOf(0).notes.join(" ")).toContain("beyond ±5 binned");
  });

  it("the placebo figure is titled by the treatment's label; the table has no scientific notation", () => {
    const fig = sections[1].blocks.find((b) => b.kind === "figure")!;
    expect(fig.kind === "figure" && fig.svg).toContain("Placebo test of Smart-city pilot (mixed 1, 40 draws)");
    expect(fig.kind === "figure" && fig.svg).toMatch(/two-sided p = \d\.\d{3}/);
    expect(text(tableOf(1))).not.toMatch(/\de[-+]?\d/);
  });

  it("PSM-DID's row is the treatment's label, not treat_post", () => {
    const did = sections[2].blocks.filter((b) => b.kind === "table")[1];
    expect(did.kind === "table" && rowLabels(did.table)).toContain("Smart-city pilot");
    expect(did.kind === "table" && text(did.table)).not.toContain("treat_post");
  });

  it("interactions read label × label", () => {
    expect(rowLabels(tableOf(3))).toContain("Smart-city pilot × Manufacturing agglomeration");
  });

  it("subgroup columns are the value labels (Chinese), else 'label = value'; the note names the labels", () => {
    const t = tableOf(4);
    expect(t.header[0].cells.map((c) => c.text)).toEqual(["", "中西部", "东部", "ipr_city = 0", "ipr_city = 1"]);
    // A grouping column with value labels only is named by them; one without any labels, by its name.
    expect(t.notes.join(" ")).toContain("difference in Smart-city pilot between the groups of 中西部 and 东部");
    expect(t.notes.join(" ")).toContain("difference in Smart-city pilot between the groups of ipr_city");
    expect(html).toContain("<th scope=\"col\" class=\"c\">东部</th>");
    expect(html).toMatch(/<html lang="zh">/);
    const tex = reportLatex(spec.title, sections);
    expect(tex).toContain("\\usepackage[UTF8]{ctex}");
    expect(tex).toContain("东部");
  });
});

describe("a Stata .dta file's labels", () => {
  it("variable labels name rows and outcomes, value labels title groups; the spec's labels win", async () => {
    const dir = mkdtempSync(join(tmpdir(), "didwasm-dta-labels-"));
    // panel-118.dta (test/data/fixtures/make-dta.R): treat labelled "Treated after adoption", income
    // "Outcome (人均收入)", grade value-labelled low / mid / high (4 unlabelled).
    copyFileSync(join(root, "test", "data", "fixtures", "panel-118.dta"), join(dir, "panel.dta"));
    const study = {
      title: "Labels from Stata", data: "panel.dta", seed: 1,
      roles: { unit: "unit", time: "year", cohort: "cohort", treatment: "treat", outcome: "income", controls: ["x1"] },
      labels: { x1: "First regressor", income: "Income per head" },
      sections: [{ title: "Regression", analyses: [{ type: "regression" }] }, { title: "By grade", analyses: [{ type: "regression", split: "grade" }] }],
    };
    writeFileSync(join(dir, "spec.json"), JSON.stringify(study));
    let err = "";
    const code = await runCli(["report", join(dir, "spec.json"), "--out", join(dir, "out"), "--quiet"], { out: () => {}, err: (t) => (err += t) });
    expect(code, err).toBe(0);
    const page = readFileSync(join(dir, "out", "index.html"), "utf8");
    for (const s of ["Treated after adoption", "Income per head", "First regressor", ">low<", ">mid<", ">high<", ">grade = 4<"]) expect(page, s).toContain(s);
    expect(page).not.toContain("Outcome (人均收入)");
  }, 120_000);
});
