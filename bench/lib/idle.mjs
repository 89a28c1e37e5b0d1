// This machine may be shared (other builds and test runs). Before each measurement, wait until the other
// processes leave the CPUs (nearly) idle, so their work does not end up in our timings; record what was seen.
import { readFileSync } from "node:fs";
import os from "node:os";

function cpuTimes() {
  try {
    const f = readFileSync("/proc/stat", "utf8").split("\n")[0].trim().split(/\s+/).slice(1).map(Number);
    const idle = f[3] + (f[4] ?? 0);
    return { idle, total: f.reduce((s, x) => s + x, 0) };
  } catch {
    return null;
  }
}

/** Share of all CPUs busy over the next `ms` milliseconds (0..1), or null where /proc/stat is missing. */
export async function busyShare(ms = 1000) {
  const a = cpuTimes();
  await new Promise((r) => setTimeout(r, ms));
  const b = cpuTimes();
  if (!a || !b || b.total === a.total) return null;
  return 1 - (b.idle - a.idle) / (b.total - a.total);
}

export const waits = [];

/** Waits until the CPUs are at most `threshold` busy over one second, for at most `maxMs`. */
export async function waitForIdle(what, { threshold = 0.15, maxMs = 180_000 } = {}) {
  const t0 = Date.now();
  let share = await busyShare();
  while (share !== null && share > threshold && Date.now() - t0 < maxMs) {
    share = await busyShare();
  }
  const rec = { what, waitedMs: Date.now() - t0, busyShare: share, idle: share === null || share <= threshold, loadavg1: os.loadavg()[0] };
  waits.push(rec);
  if (!rec.idle) process.stderr.write(`[bench] warning: CPUs still ${(100 * share).toFixed(0)}% busy before ${what}\n`);
  return rec;
}
