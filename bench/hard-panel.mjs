// Writes the weakly connected worker x firm x year panel of issue 12 to bench/data/hard-panel.csv
// (gitignored): W workers observed T years each, F firms; each worker-year moves to a random firm with
// probability MOVE (otherwise the worker stays). y = 0.5 x1 - 0.3 x2 + worker + firm + year effects + noise,
// x1 correlated with the firm effect. Seeded (mulberry32), so every run writes the same file.
//   node bench/hard-panel.mjs [workers=100000] [firms=5000] [years=10] [move=0.02]
import { mkdirSync, createWriteStream } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const [W = 100000, F = 5000, T = 10, MOVE = 0.02] = process.argv.slice(2).map(Number);
let state = 20261203;
/** mulberry32: a small seeded generator (uniform on [0, 1)). */
const uniform = () => {
  state = (state + 0x6d2b79f5) | 0;
  let t = Math.imul(state ^ (state >>> 15), 1 | state);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const normal = () => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());

const root = join(dirname(fileURLToPath(import.meta.url)), "data");
mkdirSync(root, { recursive: true });
const file = join(root, "hard-panel.csv");
const out = createWriteStream(file);
const firmEffect = Float64Array.from({ length: F }, normal);
const yearEffect = Float64Array.from({ length: T }, (_, t) => 0.1 * t);
out.write("worker,firm,year,x1,x2,y\n");
let lines = [];
for (let u = 0; u < W; u++) {
  const a = normal();
  let f = Math.floor(uniform() * F);
  for (let t = 0; t < T; t++) {
    if (t > 0 && uniform() < MOVE) f = Math.floor(uniform() * F);
    const x1 = 0.5 * firmEffect[f] + normal();
    const x2 = normal();
    const y = 0.5 * x1 - 0.3 * x2 + a + firmEffect[f] + yearEffect[t] + normal();
    lines.push(`${u},${f},${2000 + t},${x1.toFixed(6)},${x2.toFixed(6)},${y.toFixed(6)}`);
  }
  if (lines.length >= 10000) {
    out.write(lines.join("\n") + "\n");
    lines = [];
  }
}
if (lines.length) out.write(lines.join("\n") + "\n");
out.end(() => console.log(`wrote ${file}: ${W * T} rows`));
