// A description of the machine a result was measured on.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import os from "node:os";

function sh(cmd, args) {
  try {
    return execFileSync(cmd, args, { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
  } catch {
    return "";
  }
}

/** The commit measured: from git when ROOT is a checkout; DIDWASM_BENCH_COMMIT names it for an exported tree
 *  (e.g. `git archive HEAD` unpacked elsewhere, so that concurrent edits and builds cannot touch the run). */
function gitState() {
  const root = new URL("../..", import.meta.url).pathname;
  const rev = sh("git", ["-C", root, "rev-parse", "--short", "HEAD"]);
  if (rev) return { git: rev, gitDirty: sh("git", ["-C", root, "status", "--porcelain", "--", "assembly", "bindings", "cli"]) !== "" };
  return { git: process.env.DIDWASM_BENCH_COMMIT ? `${process.env.DIDWASM_BENCH_COMMIT} (exported tree)` : "unknown", gitDirty: false };
}

export function machineInfo() {
  let cpuinfo = "";
  try {
    cpuinfo = readFileSync("/proc/cpuinfo", "utf8");
  } catch {}
  const field = (name) => cpuinfo.match(new RegExp(`^${name}\\s*:\\s*(.*)$`, "m"))?.[1]?.trim() ?? "";
  const flags = field("flags").split(/\s+/);
  let memTotalKb = 0;
  try {
    memTotalKb = Number(readFileSync("/proc/meminfo", "utf8").match(/^MemTotal:\s+(\d+)/m)?.[1] ?? 0);
  } catch {}
  return {
    date: sh("date", []) || new Date().toString(),
    dateIso: new Date().toISOString(),
    cpu: field("model name") || os.cpus()[0]?.model || "unknown",
    cpuFamilyModel: `family ${field("cpu family")} model ${field("model")} stepping ${field("stepping")}`,
    cores: os.cpus().length,
    cacheSize: field("cache size"),
    avx2: flags.includes("avx2"),
    avx512f: flags.includes("avx512f"),
    ramGiB: memTotalKb ? memTotalKb / 2 ** 20 : os.totalmem() / 2 ** 30,
    kernel: sh("uname", ["-sr"]) || `${os.type()} ${os.release()}`,
    hypervisor: flags.includes("hypervisor"),
    node: process.version,
    v8: process.versions.v8,
    ...gitState(),
  };
}
