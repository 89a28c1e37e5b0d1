// The computation worker's body (bindings/web-worker/core.ts) without a browser: the messages it answers,
// its JSON equal to run()'s, progress of resampling, drawn seeds, and errors as data.
import { describe, expect, it } from "vitest";
import { run } from "../../bindings/commands/run.js";
import { generateSmartCity } from "../../bindings/data/demo/smart-city.js";
import { computeHandler } from "../../bindings/web-worker/core.js";
import type { FromCompute, ToCompute } from "../../bindings/web-worker/protocol.js";

function worker() {
  const messages: FromCompute[] = [];
  const { ready, handle } = computeHandler((m) => messages.push(m));
  const send = async (m: ToCompute) => {
    await handle(m);
    return messages.filter((x) => "id" in x && x.id === m.id);
  };
  return { ready, send, messages };
}

const withoutTiming = ({ timing_ms: _t, ...rest }: Record<string, unknown>) => rest;
const baseline = { formula: "ire ~ did + lngdp | city + year", vcov: "cluster:city" };

describe("computation worker core", () => {
  it("says it is ready once the kernels are compiled", async () => {
    const w = worker();
    await w.ready;
    expect(w.messages[0]).toMatchObject({ type: "ready", version: expect.any(String) });
    expect((w.messages[0] as Extract<FromCompute, { type: "ready" }>).commands).toContain("fit");
  });

  it("loads the demo panel and summarises its columns", async () => {
    const w = worker();
    const [m] = await w.send({ type: "load", id: 1, dataset: "d", source: { kind: "demo" }, previewRows: 5 });
    expect(m.type).toBe("loaded");
    const s = (m as Extract<FromCompute, { type: "loaded" }>).summary;
    expect(s.nrow).toBe(3976);
    expect(s.preview).toHaveLength(5);
    expect(s.columns.find((c) => c.name === "did")).toMatchObject({ kind: "numeric", binary: true, integer: true, distinct: 2, min: 0, max: 1 });
    expect(s.columns.find((c) => c.name === "city")).toMatchObject({ distinct: 284, integer: true, binary: false });
  });

  it("runs a command on a loaded data set with the same JSON as run(), plus text and figure", async () => {
    const w = worker();
    await w.send({ type: "load", id: 1, dataset: "d", source: { kind: "demo" } });
    const [m] = await w.send({ type: "run", id: 2, command: "eventstudy", data: { dataset: "d" }, options: { y: "ire", unit: "city", time: "year", cohort: "cohort" } });
    const r = (m as Extract<FromCompute, { type: "result" }>).result;
    const direct = await run("eventstudy", generateSmartCity(), { y: "ire", unit: "city", time: "year", cohort: "cohort" });
    expect(withoutTiming(r.json)).toEqual(withoutTiming(direct));
    expect(Object.keys(r.json.timing_ms as object)).toEqual(["read", "fit"]);
    expect(r.svg).toMatch(/^<svg/);
    expect(r.text).toContain("rel");
  });

  it("parses CSV text and bytes like run()", async () => {
    const w = worker();
    const csv = "id,t,y,x\n1,1,1.5,0\n1,2,2.5,1\n2,1,0.5,0\n2,2,1.0,0\n3,1,2.0,1\n3,2,3.5,1\n";
    const [a] = await w.send({ type: "run", id: 1, command: "fit", data: csv, options: { formula: "y ~ x | id" } });
    const [b] = await w.send({ type: "run", id: 2, command: "fit", data: new TextEncoder().encode(csv), options: { formula: "y ~ x | id" } });
    const direct = await run("fit", csv, { formula: "y ~ x | id" });
    for (const m of [a, b]) expect(withoutTiming((m as Extract<FromCompute, { type: "result" }>).result.json)).toEqual(withoutTiming(direct));
  });

  it("posts progress of resampling and reports a drawn seed", async () => {
    const w = worker();
    await w.send({ type: "load", id: 1, dataset: "d", source: { kind: "demo" } });
    const out = await w.send({ type: "run", id: 2, command: "placebo", data: { dataset: "d" }, options: { ...baseline, treat: "did", unit: "city", time: "year", kind: "space", reps: 100 } });
    const progress = out.filter((m) => m.type === "progress") as Extract<FromCompute, { type: "progress" }>[];
    expect(progress.length).toBeGreaterThan(5);
    expect(progress.at(-1)).toMatchObject({ done: 100, total: 100 });
    const r = (out.at(-1) as Extract<FromCompute, { type: "result" }>).result;
    const seed = r.json.seed as number;
    expect(r.warnings).toContain(`no seed given; used seed ${seed}`);
    const again = await run("placebo", generateSmartCity(), { ...baseline, treat: "did", unit: "city", time: "year", kind: "space", reps: 100, seed });
    expect(withoutTiming(r.json)).toEqual(withoutTiming(again));
  });

  it("answers a user's mistake with its code and message, and goes on working", async () => {
    const w = worker();
    await w.send({ type: "load", id: 1, dataset: "d", source: { kind: "demo" } });
    const [e] = await w.send({ type: "run", id: 2, command: "fit", data: { dataset: "d" }, options: { formula: "ire ~ dd | city" } });
    expect(e).toMatchObject({ type: "error", id: 2, code: "UNKNOWN_COLUMN" });
    expect((e as Extract<FromCompute, { type: "error" }>).message).toContain('"dd"');
    const [n] = await w.send({ type: "run", id: 3, command: "fit", data: { dataset: "nope" }, options: baseline });
    expect(n).toMatchObject({ type: "error", code: "BAD_OPTION" });
    const [ok] = await w.send({ type: "run", id: 4, command: "fit", data: { dataset: "d" }, options: baseline });
    expect(ok.type).toBe("result");
    const [d] = await w.send({ type: "drop", id: 5, dataset: "d" });
    expect(d).toEqual({ type: "dropped", id: 5 });
  });
});
