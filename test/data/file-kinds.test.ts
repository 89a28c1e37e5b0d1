// Only regular files are read: a FIFO or a pipe (`didwasm fit /dev/stdin`, `<(...)`) would block or could
// not be read twice, /dev/zero never ends, /proc files are not data. Each is refused at once with a
// FILE_UNREADABLE error that says what it is, for every format's path through readDataFile.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readCsvFile, readWholeFile } from "../../bindings/data/read-file.js";
import { readDataFile } from "../../bindings/data/read-data-file.js";
import { errorOf, errorOfAsync } from "../helpers/frames.js";

const linux = process.platform === "linux";
let dir = "";
let fifo = "";
let writerlessFd = -1;
let socketChild: ChildProcess | null = null;
let pipeReaderPid = 0;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "didwasm-file-kinds-"));
  fifo = join(dir, "data.fifo");
  const made = spawnSync("mkfifo", [fifo]);
  if (made.status !== 0) throw new Error(`mkfifo failed: ${made.stderr}`);
  mkdirSync(join(dir, "folder.csv"));
  writeFileSync(join(dir, "real.csv"), "a,b\n1,2\n");
  symlinkSync(join(dir, "real.csv"), join(dir, "link.csv"));
  if (!linux) return;
  // The last command of a shell pipeline: its stdin, /proc/PID/fd/0, is what /dev/stdin is to didwasm in
  // `cat data.csv | didwasm fit /dev/stdin`.
  const started = spawnSync("sh", ["-c", "printf 'a,b\\n1,2\\n' | sleep 60 >/dev/null 2>&1 & echo $!"], { encoding: "utf8" });
  pipeReaderPid = Number(started.stdout.trim());
  // Node gives a child's "pipe" stdio as a Unix socket, which /proc cannot even open (ENXIO).
  socketChild = spawn("sleep", ["60"], { stdio: ["ignore", "pipe", "ignore"] });
});

afterAll(() => {
  if (writerlessFd >= 0) closeSync(writerlessFd);
  socketChild?.kill();
  if (pipeReaderPid > 0) process.kill(pipeReaderPid);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function refused(path: string) {
  const e = await errorOfAsync(() => readDataFile(path));
  expect(e.code, path).toBe("FILE_UNREADABLE");
  return e.message;
}

describe("data paths that are not regular files", () => {
  it("a FIFO without a writer is refused at once (opening it does not block)", async () => {
    const t0 = performance.now();
    expect(await refused(fifo)).toBe(`${fifo} is a pipe, not a file: write the data to a file first (e.g. ... > data.csv) and give that file`);
    expect(performance.now() - t0).toBeLessThan(5000);
  });

  it("a FIFO reached through /dev/fd (as <(...) gives it) is refused", async () => {
    writerlessFd = openSync(fifo, "r+"); // read-write: opening does not wait for the other end
    expect(await refused(`/dev/fd/${writerlessFd}`)).toContain("is a pipe, not a file: write the data to a file first");
  });

  it.runIf(linux)("an anonymous pipe, as /dev/stdin is in a shell pipeline, is refused", async () => {
    expect(pipeReaderPid).toBeGreaterThan(0);
    expect(await refused(`/proc/${pipeReaderPid}/fd/0`)).toContain("is a pipe, not a file: write the data to a file first");
  });

  it.runIf(linux)("a socket (the stdio of a process that Node started with pipes) is refused", async () => {
    expect(await refused(`/proc/${socketChild!.pid}/fd/1`)).toContain("is a socket, not a file: write the data to a file first");
  });

  it.runIf(linux)("devices (/dev/zero, /dev/null) are refused, not read forever", async () => {
    expect(await refused("/dev/zero")).toBe("/dev/zero is a device, not a data file");
    expect(await refused("/dev/null")).toBe("/dev/null is a device, not a data file");
  });

  it("a directory is refused, whatever its name says", async () => {
    expect(await refused(join(dir, "folder.csv"))).toBe(`${join(dir, "folder.csv")} is a directory, not a data file`);
    expect(await refused(dir)).toContain("is a directory");
  });

  it.runIf(linux)("kernel pseudo-files under /proc and /sys are refused (they stat as empty regular files)", async () => {
    for (const path of ["/proc/self/status", "/proc/self/mem", "/proc/cpuinfo"]) {
      expect(await refused(path)).toBe(`${path} is a kernel pseudo-file (under /proc or /sys), not a data file`);
    }
  });

  it("every reader goes through the same check: streamed CSV, whole-file reads, an explicit format", async () => {
    expect(errorOf(() => readCsvFile(fifo)).code).toBe("FILE_UNREADABLE");
    expect(errorOf(() => readWholeFile(fifo)).code).toBe("FILE_UNREADABLE");
    expect((await errorOfAsync(() => readDataFile(fifo, { format: "parquet" }))).message).toContain("is a pipe");
    expect((await errorOfAsync(() => readDataFile(fifo, { format: "dta" }))).message).toContain("is a pipe");
  });

  it("regular files are read, also through a symbolic link (as /dev/stdin is when redirected from a file)", async () => {
    expect((await readDataFile(join(dir, "link.csv"))).names).toEqual(["a", "b"]);
    expect(Array.from(readWholeFile(join(dir, "real.csv")))).toEqual(Array.from(new TextEncoder().encode("a,b\n1,2\n")));
  });
});
