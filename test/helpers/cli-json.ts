// The CLI run in-process with --json: its parsed output (the exit code must be 0), and that output
// without the timings, which differ between any two runs.
import { expect } from "vitest";
import { runCli } from "../../cli/program.js";

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON, read field by field by the tests
export async function cliJson(args: string[]): Promise<Record<string, any>> {
  let out = "";
  let err = "";
  const code = await runCli([...args, "--json"], { out: (t) => (out += t), err: (t) => (err += t) });
  expect(code, err).toBe(0);
  return JSON.parse(out);
}

export const withoutTiming = ({ timing_ms: _t, ...rest }: Record<string, unknown>) => rest;
