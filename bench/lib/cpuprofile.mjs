// Reads a V8 .cpuprofile (node --cpu-prof) and sums sampled time per function: self time, and inclusive
// time, optionally only for samples under a given function (e.g. feolsMulti). WebAssembly functions show
// up as wasm-function[i]; exported ones are named from the module's export section.
import { readFileSync } from "node:fs";

/** Function index -> export name, from a .wasm binary (imports count in the function index space). */
export function wasmExportNames(bytes) {
  const names = new Map();
  let p = 8;
  const u32 = () => {
    let r = 0;
    let shift = 0;
    for (;;) {
      const b = bytes[p++];
      r |= (b & 0x7f) << shift;
      if (!(b & 0x80)) return r >>> 0;
      shift += 7;
    }
  };
  const str = () => {
    const n = u32();
    const s = Buffer.from(bytes.subarray(p, p + n)).toString("utf8");
    p += n;
    return s;
  };
  while (p < bytes.length) {
    const id = bytes[p++];
    const size = u32();
    const end = p + size;
    if (id === 7) {
      const count = u32();
      for (let i = 0; i < count; i++) {
        const name = str();
        const kind = bytes[p++];
        const index = u32();
        if (kind === 0) names.set(index, name);
      }
    }
    p = end;
  }
  return names;
}

export function summarizeProfile(path, { under = null, wasmNames = new Map(), root = "" } = {}) {
  const prof = JSON.parse(readFileSync(path, "utf8"));
  const byId = new Map(prof.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of prof.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const label = (n) => {
    const cf = n.callFrame;
    const w = cf.functionName.match(/^wasm-function\[(\d+)\]$/);
    if (w) {
      const name = wasmNames.get(Number(w[1]));
      if (name) return `wasm:${name}`;
      // Not exported: name it by the nearest exported caller.
      for (let x = parent.get(n.id); x !== undefined; x = parent.get(x)) {
        const pw = byId.get(x).callFrame.functionName.match(/^wasm-function\[(\d+)\]$/);
        if (pw && wasmNames.has(Number(pw[1]))) return `wasm:function[${w[1]}] (internal, called from ${wasmNames.get(Number(pw[1]))})`;
      }
      return `wasm:function[${w[1]}]`;
    }
    let url = cf.url.replace(/^file:\/\//, "");
    if (root && url.startsWith(root)) url = url.slice(root.length + 1);
    url = url.replace(/^.*node_modules\//, "");
    return `${cf.functionName || "(anonymous)"} ${url ? `${url}:${cf.lineNumber + 1}` : ""}`.trim();
  };
  const sampleMs = new Map();
  prof.samples.forEach((id, i) => sampleMs.set(id, (sampleMs.get(id) ?? 0) + (prof.timeDeltas[i] ?? 0) / 1000));
  const self = new Map();
  const incl = new Map();
  let total = 0;
  for (const [id, ms] of sampleMs) {
    const chain = [];
    for (let x = id; x !== undefined; x = parent.get(x)) chain.push(byId.get(x));
    if (under && !chain.some((n) => n.callFrame.functionName === under)) continue;
    total += ms;
    const l = label(chain[0]);
    self.set(l, (self.get(l) ?? 0) + ms);
    const seen = new Set();
    for (const n of chain) {
      const k = label(n);
      if (seen.has(k)) continue;
      seen.add(k);
      incl.set(k, (incl.get(k) ?? 0) + ms);
    }
  }
  const sorted = (m) => [...m].sort((a, b) => b[1] - a[1]).map(([name, ms]) => ({ name, ms }));
  return { totalMs: total, self: sorted(self), inclusive: sorted(incl) };
}
