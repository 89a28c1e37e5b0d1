// The CLI on bad data input, in process (runCli): each case exits with status 2 and one clear message on
// stderr, with no stack trace, no hang and no echo of the file beyond a short escaped excerpt.
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../../cli/program.js";
import { STACK_LINE, panelCsv } from "./fixtures.js";

const linux = process.platform === "linux";
const FORMULA = "y ~ x1 + x2 | unit + year";
let dir = "";
const file = (name: string) => join(dir, name);

async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const code = await runCli(args, { out: (t) => (stdout += t), err: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

/** Runs `fit` and expects exit status 2 with exactly one "didwasm: error:" line. */
async function fails(args: string[]): Promise<string> {
  const r = await cli(["fit", ...args]);
  expect(r.code, r.stderr).toBe(2);
  expect(r.stdout).toBe("");
  expect(r.stderr).toMatch(/^didwasm: error: [^\n]+\n$/);
  expect(r.stderr).not.toMatch(STACK_LINE);
  return r.stderr;
}

function utf16le(text: string, bom: boolean): Uint8Array {
  const units = (bom ? "\ufeff" : "") + text;
  const out = new Uint8Array(2 * units.length);
  for (let i = 0; i < units.length; i++) new DataView(out.buffer).setUint16(2 * i, units.charCodeAt(i), true);
  return out;
}

const CLEAN = panelCsv();

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "didwasm-data-errors-"));
  writeFileSync(file("clean.csv"), CLEAN);
  writeFileSync(file("utf16.csv"), utf16le(CLEAN, true));
  writeFileSync(file("utf16-nobom.csv"), utf16le(CLEAN, false));
  writeFileSync(file("semicolon.csv"), CLEAN.replace(/,/g, ";"));
  writeFileSync(file("tab.csv"), CLEAN.replace(/,/g, "\t"));
  writeFileSync(file("not.parquet"), new Uint8Array([...new TextEncoder().encode("PAR1"), 0x15, 0x04, 0xff, 0xff, 0xff, 0x0f, 0, 0, 0, 0, 8, 0, 0, 0, ...new TextEncoder().encode("PAR1")]));
  const lines = CLEAN.trimEnd().split("\n");
  // Line 5: x2 holds a 10,000-character cell with an ANSI escape at its start.
  writeFileSync(file("long-cell.csv"), lines.map((l, i) => (i === 4 ? l.replace(/^([^,]*,[^,]*,[^,]*,)[^,]*/, `$1\x1b[31m${"z".repeat(10_000)}`) : l)).join("\n") + "\n");
  writeFileSync(file("secret.txt"), "root:$6$Rk2PvBqQ$TzWmN3cV8pXyE1aH7uJ0sLdG4fKiOb9nZr5qYtCx2eMvSgAwlUhIjDkFoPy:19500:0:99999:7:::\nbin:*:19500::::::\n");
  mkdirSync(file("folder"));
  if (linux) spawnSync("mkfifo", [file("data.fifo")]);
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("didwasm fit on bad data input", () => {
  it("refuses impossible delimiters before reading", async () => {
    expect(await fails([file("clean.csv"), "--formula", FORMULA, "--delimiter", '"'])).toContain('the CSV delimiter cannot be the quote character ("), which encloses fields');
    // An empty (or blank) value may be refused by the CLI's option layer or by the reader: either way, it says so.
    expect(await fails([file("clean.csv"), "--formula", FORMULA, "--delimiter", ""])).toMatch(/delimiter must (not be empty|be one ASCII character, got "" \(empty\))/);
    expect(await fails([file("clean.csv"), "--formula", FORMULA, "--delimiter", ";;"])).toContain('must be one ASCII character, got ";;"');
    expect(await fails([file("clean.csv"), "--formula", FORMULA, "--delimiter", "\n"])).toMatch(/delimiter (cannot be a line end \(\\n\), which ends records|must not be empty)/);
    expect(await fails([file("no-such.csv"), "--formula", FORMULA, "--delimiter", '"'])).toContain("the CSV delimiter cannot be the quote character");
  });

  it("reads a tab-separated file with --delimiter '\\t' as a shell passes it", async () => {
    const r = await cli(["fit", file("tab.csv"), "--formula", FORMULA, "--delimiter", "\\t", "--json"]);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).nobs).toBe(120);
  });

  it("says a UTF-16 file is UTF-16, with or without a byte-order mark", async () => {
    for (const name of ["utf16.csv", "utf16-nobom.csv"]) {
      expect(await fails([file(name), "--formula", FORMULA])).toContain(
        `${file(name)}: the file is UTF-16 (UTF-16LE): convert it to UTF-8 (e.g. iconv -f UTF-16LE -t UTF-8`,
      );
    }
  });

  it("suggests the delimiter a one-column header holds", async () => {
    expect(await fails([file("semicolon.csv"), "--formula", FORMULA])).toContain('read it with --delimiter ";"');
    expect(await fails([file("tab.csv"), "--formula", FORMULA])).toContain('read it with --delimiter "\\t"');
  });

  it("wraps the Parquet reader's errors", async () => {
    const err = await fails([file("not.parquet"), "--formula", FORMULA]);
    // "PAR1", then 8 footer bytes that are not Thrift metadata, their length, "PAR1".
    expect(err).toMatch(/not\.parquet: not a readable Parquet file, it may be damaged \(reader says: thrift [^)]{1,50}\)\n$/);
  });

  it("refuses a directory and, on Linux, a FIFO, /dev/zero and /proc files, at once", async () => {
    expect(await fails([file("folder"), "--formula", FORMULA])).toContain("is a directory, not a data file");
    if (!linux) return;
    expect(await fails([file("data.fifo"), "--formula", FORMULA])).toContain("is a pipe, not a file: write the data to a file first");
    expect(await fails(["/dev/zero", "--formula", FORMULA])).toContain("/dev/zero is a device, not a data file");
    expect(await fails(["/proc/self/status", "--formula", FORMULA])).toContain("is a kernel pseudo-file");
  });

  it("quotes a 10,000-character cell as a short escaped excerpt", async () => {
    const err = await fails([file("long-cell.csv"), "--formula", FORMULA]);
    expect(err).toContain(`line 5 has "\\x1b[31m${"z".repeat(31)}…"`); // 8 + 31 + 1 = 40 characters
    expect(err.length).toBeLessThan(200);
  });

  it("does not copy the first line of a file that is not data into the error", async () => {
    const err = await fails([file("secret.txt"), "--formula", FORMULA]);
    expect(err).toContain("unknown");
    expect(err).not.toContain("TzWmN3cV8pXyE1aH7uJ0sLdG4fKiOb9nZr5qYtCx2eMvSgAwlUhIjDkFoPy");
  });

  it("nor does a report whose spec points at such a file", async () => {
    const example = JSON.parse(readFileSync(join(__dirname, "../../examples/smart-city.json"), "utf8"));
    writeFileSync(file("spec.json"), JSON.stringify({ ...example, data: "secret.txt" }));
    // The example's firm-level column reads its own file: there, so that only the city data is wrong.
    copyFileSync(join(__dirname, "../../examples/smart-city-firms.csv"), file("smart-city-firms.csv"));
    const r = await cli(["report", file("spec.json"), "--out", file("report"), "--quiet"]);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/^didwasm: error: unknown [^\n]+\n$/);
    expect(r.stderr).not.toContain("TzWmN3cV8pXyE1aH7uJ0sLdG4fKiOb9nZr5qYtCx2eMvSgAwlUhIjDkFoPy");
    expect(existsSync(file("report"))).toBe(false);
  });
});
