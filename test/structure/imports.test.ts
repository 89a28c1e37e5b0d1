// Dependencies point one way (see /work/shared/DESIGN.md, "Layers"): the engine (kernels, their contract
// and the two backends) depends on nothing above it; resampling does not depend on the commands that
// front ends run; the reference backend's internals are reached only through the engine; the
// difference-in-differences estimators import each other without cycles. Each rule is checked against
// the imports of every source file, and each checker is itself checked on a graph that breaks its rule.
import { describe, expect, it } from "vitest";
import { cycles, importGraph, importsBetween, reachable } from "./import-graph.js";

const graph = importGraph(["bindings", "cli", "web/src"]);
const under = (dir: string) => (f: string) => f.startsWith(`${dir}/`);
const not = (p: (f: string) => boolean) => (f: string) => !p(f);

describe("the import graph", () => {
  it("was read: it has the library's files and their imports", () => {
    expect(graph.get("bindings/engine/engine.ts")).toContain("bindings/engine/wasm.ts");
    expect(graph.get("bindings/browser.ts")).toContain("bindings/web-worker/browser-env.ts");
  });

  it("the engine reaches nothing outside itself but self-contained leaves (no model, estimators, ...)", () => {
    // The PRNG's specification, the error type and the engine-independent libm: math with no imports of
    // its own, below every layer.
    const leaf = (f: string) => ["bindings/random/xoshiro.ts", "bindings/errors.ts", "bindings/stats/libm.ts"].includes(f) || under("bindings/stats/libm")(f);
    const reached = reachable(graph, [...graph.keys()].filter(under("bindings/engine")));
    expect(reached.filter((f) => !under("bindings/engine")(f) && !leaf(f))).toEqual([]);
    expect(importsBetween(graph, leaf, not(leaf))).toEqual([]);
  });

  it("resampling does not import the commands", () => {
    expect(importsBetween(graph, under("bindings/resampling"), under("bindings/commands"))).toEqual([]);
  });

  it("the reference backend's internals are imported only by the engine", () => {
    expect(importsBetween(graph, not(under("bindings/engine")), under("bindings/engine/reference"))).toEqual([]);
  });

  it("the difference-in-differences estimators have no import cycles", () => {
    expect(cycles(graph, under("bindings/estimators/did"))).toEqual([]);
  });

  it("nor has any other part of the library, the CLI or the web tool", () => {
    expect(cycles(graph, () => true)).toEqual([]);
  });
});

describe("the checkers, on a graph that breaks the rules", () => {
  const bad = new Map<string, string[]>([
    ["bindings/engine/warmup.ts", ["bindings/model/two-way-cells.ts", "bindings/engine/backend.ts"]],
    ["bindings/estimators/did/a.ts", ["bindings/estimators/did/b.ts"]],
    ["bindings/estimators/did/b.ts", ["bindings/estimators/did/c.ts"]],
    ["bindings/estimators/did/c.ts", ["bindings/estimators/did/a.ts", "bindings/engine/engine.ts"]],
    ["bindings/estimators/did/d.ts", ["bindings/estimators/did/d.ts"]],
    ["bindings/estimators/did/e.ts", ["bindings/estimators/did/a.ts"]],
  ]);

  it("reachable follows imports transitively", () => {
    expect(reachable(bad, ["bindings/estimators/did/e.ts"]).sort()).toEqual([
      "bindings/engine/engine.ts", "bindings/estimators/did/a.ts", "bindings/estimators/did/b.ts", "bindings/estimators/did/c.ts", "bindings/estimators/did/e.ts",
    ]);
  });

  it("importsBetween finds an import that crosses the boundary, and only that one", () => {
    expect(importsBetween(bad, under("bindings/engine"), not(under("bindings/engine")))).toEqual([
      "bindings/engine/warmup.ts -> bindings/model/two-way-cells.ts",
    ]);
  });

  it("cycles finds a three-file cycle and a self-import, not the file that merely imports into a cycle", () => {
    expect(cycles(bad, under("bindings/estimators/did")).sort()).toEqual([
      ["bindings/estimators/did/a.ts", "bindings/estimators/did/b.ts", "bindings/estimators/did/c.ts"],
      ["bindings/estimators/did/d.ts"],
    ]);
  });
});
