// tinybench results as plain rows (milliseconds), and wasm-vs-reference speed-ups by task label.
export function summarize(bench) {
  return bench.tasks.map((t) => {
    const r = t.result;
    if (r.state !== "completed") return { name: t.name, error: String(r.error ?? r.state) };
    const l = r.latency;
    return { name: t.name, medianMs: l.p50, meanMs: l.mean, minMs: l.min, maxMs: l.max, rmePct: l.rme, samples: l.samplesCount };
  });
}

/** { label: { wasm, reference, speedup } } from rows named "label [backend]". */
export function speedups(rows) {
  const by = {};
  for (const r of rows) {
    const m = r.name.match(/^(.*) \[(wasm|reference)\]$/);
    if (!m || r.error) continue;
    (by[m[1]] ??= {})[m[2]] = r.medianMs;
  }
  for (const v of Object.values(by)) v.speedup = v.reference / v.wasm;
  return by;
}

export function printTable(rows) {
  console.table(
    rows.map((r) =>
      r.error
        ? { task: r.name, error: r.error }
        : { task: r.name, "median ms": r.medianMs.toFixed(2), "min ms": r.minMs.toFixed(2), "rme %": r.rmePct.toFixed(1), samples: r.samples },
    ),
  );
  for (const [label, v] of Object.entries(speedups(rows))) console.log(`${label}: wasm ${v.speedup.toFixed(2)}x faster than reference`);
}
