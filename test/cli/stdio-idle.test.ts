// The CLI ends its process at once when done, unless a write to stdout or stderr is still queued
// (cli/stdio-idle.ts). Checked in child processes (the check redefines process.stdout's getter, which a
// test worker's own output depends on): idle before any stream is built and after writes that went out,
// not idle while a built stream holds queued bytes; and a whole CLI run through a pipe loses no output.
import { execFileSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";

const DIST = join(__dirname, "..", "..", "dist");

describe("stdio idle", () => {
  it("is idle when no stream was built or every built one is empty, not while one holds queued bytes", () => {
    const url = pathToFileURL(join(DIST, "cli", "stdio-idle.js")).href;
    const script = `const { stdioIdle, watchStdio } = await import(${JSON.stringify(url)});
      const seen = [stdioIdle()];
      watchStdio();
      seen.push(stdioIdle());
      process.stderr.write("x\\n");
      seen.push(stdioIdle());
      process.stderr.cork();
      process.stderr.write("queued\\n");
      seen.push(stdioIdle());
      process.stderr.uncork();
      seen.push(stdioIdle());
      console.log(JSON.stringify(seen));`;
    const out = execFileSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
    // Not watching yet: never idle (the CLI then lets Node end as usual).
    expect(JSON.parse(out)).toEqual([false, true, true, false, true]);
  });

  it("a CLI run through pipes writes all of its output and its exit code", () => {
    const cli = join(DIST, "node", "cli.js");
    const dir = mkdtempSync(join(tmpdir(), "didwasm-stdio-"));
    const data = join(dir, "p.csv");
    execFileSync(process.execPath, [cli, "demo-data", "--kind", "panel", "--units", "400", "--periods", "6", "--out", data, "--quiet"]);
    // 400 unit dummies: some 140 kB of JSON, over twice a pipe's 64 kB buffer.
    const json = execFileSync(process.execPath, [cli, "fit", data, "--formula", "y ~ x1 + i(unit)", "--json"], { encoding: "utf8", maxBuffer: 1 << 28 });
    expect(json.length).toBeGreaterThan(100_000);
    expect(JSON.parse(json).coefficients).toHaveLength(401);
    let failed: { status: number; stderr: string } | null = null;
    try {
      execFileSync(process.execPath, [cli, "fit", join(DIST, "no-such-file.csv"), "--formula", "y ~ x1"], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
    } catch (e) {
      failed = e as { status: number; stderr: string };
    }
    expect(failed?.status).toBe(2);
    expect(failed?.stderr).toMatch(/no-such-file\.csv/);
  });
});
