// The zh report's notes (notes-zh.ts): the estimators' English notes, made by the estimators themselves on a
// small panel (missing values, non-convergence, collinear regressors, singletons, an event window), come out
// in Chinese with their numbers and column names; a note no rule knows keeps its English.
import { describe, expect, it } from "vitest";
import { runCommandByName } from "../../bindings/commands/run.js";
import { fromColumns } from "../../bindings/data/columns.js";
import { generateSyntheticPanel } from "../../bindings/data/demo/panel.js";
import type { Note } from "../../bindings/notes.js";
import { ZH_NOTES, zhNoteText } from "../../bindings/report/notes-zh.js";

const cols = generateSyntheticPanel({ units: 50, periods: 8, regressors: 2, seed: 11, missingRate: 0.03, staggered: { cohorts: [2003, 2005], neverShare: 0.4, effect: 1 } });
const x1 = Array.from(cols.x1 as ArrayLike<number>);
const n = x1.length;
// x1 twice over (collinear) and a fixed effect with a group of one row (a singleton).
const P = fromColumns({ ...cols, x1b: x1.map((v) => (Number.isFinite(v) ? 2 * v : v)), lone: Array.from({ length: n }, (_, i) => (i === 0 ? 1 : 2 + (i % 3))) } as never);

const notesOf = async (command: string, o: Record<string, unknown>) => ((await runCommandByName(command, P, o)) as { notes: Note[] }).notes;
/** Latin words left in a translated note, once the names the message carries are taken out. */
const latin = (text: string, names: readonly string[]) => names.reduce((t, nm) => t.split(nm).join(" "), text).match(/[A-Za-z]{2,}/g) ?? [];

describe("the estimators' notes in the zh report", () => {
  it("a fit's notes (missing values, singletons, collinearity, non-convergence) are Chinese, keeping numbers and names", async () => {
    const notes = await notesOf("fit", { formula: "y ~ x1 + x1b | unit + year + lone", maxIter: 1, fixefRm: "singleton" });
    expect(new Set(notes.map((x) => x.kind))).toEqual(new Set(["missing_dropped", "singletons_dropped", "collinear_removed", "not_converged"]));
    for (const note of notes) {
      const zh = zhNoteText(note);
      expect(zh, note.message).toMatch(/[\u3400-\u9fff]/);
      expect(latin(zh, ["x1b", "x1", "unit", "year", "lone", "y", "e-"]), zh).toEqual([]);
      // Every number of the English note is in the Chinese one.
      for (const d of note.message.match(/\d+(\.\d+)?(e-?\d+)?/g) ?? []) expect(zh, note.message).toContain(d);
    }
  });

  it("an event study's window and a matching's caliper", async () => {
    const es = await notesOf("eventstudy", { y: "y", unit: "unit", time: "year", cohort: "cohort", window: [-2, 1] });
    const window = es.find((x) => x.message.includes("outside the window"))!;
    expect(zhNoteText(window)).toMatch(/^事件窗口-2至1之外的\d+个处理组观测值被删除$/);
    const unmatched: Note = { kind: "unmatched", severity: "warning", message: "3 of 40 treated unit(s) dropped: no unused control left" };
    expect(zhNoteText(unmatched)).toBe("40个处理组个体中有3个因没有剩余的未使用对照个体而被删除");
  });

  it("an unknown note, or a known message under another kind, keeps its English", () => {
    const odd: Note = { kind: "threads", severity: "info", message: "threads 8 is more than this machine's 2 core(s): using 2" };
    expect(zhNoteText(odd)).toBe(odd.message);
    const kindless: Note = { kind: "data", severity: "info", message: "41 observation(s) removed because of missing values" };
    expect(zhNoteText(kindless)).toBe(kindless.message);
  });

  it("every rule's template uses only groups its pattern captures", () => {
    for (const r of ZH_NOTES) {
      const groups = new RegExp(`${r.en.source}|`).exec("")!.length - 1;
      for (const m of r.zh.matchAll(/\{(\d+)\}/g)) expect(Number(m[1]), r.zh).toBeLessThanOrEqual(groups);
    }
  });
});
