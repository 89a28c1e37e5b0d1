// cli/program.ts registers only the command a run names (fast start, issue 15): what a user sees must not
// change, so help, unknown and misspelt commands still get the whole program.
import { describe, expect, it } from "vitest";
import { buildProgram, runCli } from "../../cli/program.js";

const quiet = { out: () => {}, err: () => {} };
const names = (only?: string) => buildProgram(quiet, only).commands.map((c) => c.name());

async function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await runCli(argv, { out: (t) => (out += t), err: (t) => (err += t) });
  return { code, out, err };
}

describe("the program built for one command", () => {
  const all = names();

  it("has that command alone, for data commands and the others", () => {
    expect(all.length).toBeGreaterThan(20);
    expect(names("placebo")).toEqual(["placebo"]);
    expect(names("report")).toEqual(["report"]);
    expect(names("demo-data")).toEqual(["demo-data"]);
  });

  it("has every command when the first word is not one (help, options, typos, inherited property names)", () => {
    for (const first of [undefined, "help", "--help", "plaecbo", "toString", "constructor"]) expect(names(first), String(first)).toEqual(all);
  });

  it("prints the same help for a command as the whole program does", async () => {
    const one = await run(["placebo", "--help"]);
    let whole = "";
    const program = buildProgram({ out: (t) => (whole += t), err: () => {} });
    await program.parseAsync(["placebo", "--help"], { from: "user" }).catch(() => {});
    expect(one.code).toBe(0);
    expect(one.out).toContain("--reps");
    expect(one.out).toBe(whole);
  });

  it("still suggests the command a typo meant, and lists all commands in the top-level help", async () => {
    const typo = await run(["plaecbo", "data.csv"]);
    expect(typo.code).toBe(2);
    expect(typo.err).toMatch(/placebo/);
    const help = await run(["--help"]);
    for (const name of ["placebo", "fit", "report", "merge"]) expect(help.out).toContain(name);
  });
});
