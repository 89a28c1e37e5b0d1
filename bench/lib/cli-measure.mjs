// Runs `didwasm fit ... --json` as a separate process and measures it: the CLI's own timing_ms (read, fit),
// whole-process wall time, and peak resident memory (max RSS) of the node process. Peak RSS comes from
// GNU time (`/usr/bin/time -v`, ru_maxrss of the child) when installed, otherwise from polling
// /proc/PID/status (VmHWM, the kernel's high-water mark) every few milliseconds.
import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { CLI, FORMULA, ROOT, VCOV } from "./paths.mjs";

export const GNU_TIME = "/usr/bin/time";
export const hasGnuTime = () => existsSync(GNU_TIME);

function readHwmKb(pid) {
  try {
    const m = readFileSync(`/proc/${pid}/status`, "utf8").match(/^VmHWM:\s+(\d+)\s+kB/m);
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

function run(cmd, args) {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(cmd, args, { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
    const out = [];
    const err = [];
    child.stdout.on("data", (d) => out.push(d));
    child.stderr.on("data", (d) => err.push(d));
    let hwm = 0;
    const poll = cmd === GNU_TIME ? null : setInterval(() => (hwm = Math.max(hwm, readHwmKb(child.pid))), 5);
    child.on("error", reject);
    child.on("close", (code) => {
      if (poll) clearInterval(poll);
      resolve({
        code,
        wallMs: Number(process.hrtime.bigint() - t0) / 1e6,
        stdout: Buffer.concat(out).toString("utf8"),
        stderr: Buffer.concat(err).toString("utf8"),
        polledHwmKb: hwm,
      });
    });
  });
}

/** One CLI fit of `file`. Returns { readMs, fitMs, wallMs, maxRssMiB, rssSource, nobs, iterations, coef }. */
export async function measureCliFit(file, { backend = "wasm", formula = FORMULA, vcov = VCOV, nodeFlags = [] } = {}) {
  const nodeArgs = [...nodeFlags, CLI, "fit", file, "--formula", formula, "--vcov", vcov, "--json", "--backend", backend];
  const useTime = hasGnuTime();
  const r = useTime ? await run(GNU_TIME, ["-v", process.execPath, ...nodeArgs]) : await run(process.execPath, nodeArgs);
  if (r.code !== 0) throw new Error(`didwasm fit failed (exit ${r.code}): ${r.stderr.slice(-2000)}`);
  const json = JSON.parse(r.stdout);
  let maxRssKb = r.polledHwmKb;
  let wallFromTime = null;
  if (useTime) {
    maxRssKb = Number(r.stderr.match(/Maximum resident set size \(kbytes\): (\d+)/)?.[1] ?? 0);
    const el = r.stderr.match(/Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): ([\d:.]+)/)?.[1];
    if (el) wallFromTime = el.split(":").reduce((s, p) => s * 60 + Number(p), 0) * 1000;
  }
  return {
    backend,
    readMs: json.timing_ms.read,
    fitMs: json.timing_ms.fit,
    wallMs: wallFromTime ?? r.wallMs,
    maxRssMiB: maxRssKb / 1024,
    rssSource: useTime ? "GNU time -v (ru_maxrss)" : "/proc/PID/status VmHWM, polled every 5 ms",
    nobs: json.nobs,
    iterations: json.iterations,
    converged: json.converged,
    coef: Object.fromEntries((json.coefficients ?? []).map((c) => [c.term, c.estimate])),
  };
}

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** `runs` CLI fits; returns every run and the per-field medians. */
export async function measureCliFitRepeated(file, runs, options) {
  const all = [];
  for (let i = 0; i < runs; i++) all.push(await measureCliFit(file, options));
  const pick = (k) => median(all.map((r) => r[k]));
  return {
    runs: all,
    median: { readMs: pick("readMs"), fitMs: pick("fitMs"), wallMs: pick("wallMs"), maxRssMiB: pick("maxRssMiB") },
    max: { maxRssMiB: Math.max(...all.map((r) => r.maxRssMiB)) },
    rssSource: all[0].rssSource,
    nobs: all[0].nobs,
    iterations: all[0].iterations,
    coef: all[0].coef,
  };
}
