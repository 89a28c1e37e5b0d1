// Golden numbers for psm (and the logit inside it) against R: glm for the propensity score, MatchIt and a
// brute-force search for the matches, pstest's formulas for the balance table, lm + sandwich with fixest's
// small-sample corrections for the DID on the matched panel. The R script, the script that makes the data
// with the didwasm CLI, and expected.json are in golden/; see golden/README.md.
import { createHash } from "node:crypto";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { parseCsv } from "../../bindings/data/csv.js";
import { toCsv } from "../../bindings/data/csv-write.js";
import { generateSmartCity } from "../../bindings/data/demo/smart-city.js";
import type { Frame } from "../../bindings/data/frame.js";
import { createEngine } from "../../bindings/engine/engine.js";
import { psm, type PsmOptions } from "../../bindings/estimators/psm/psm.js";

const here = dirname(fileURLToPath(import.meta.url));
const expected = JSON.parse(readFileSync(join(here, "golden", "expected.json"), "utf8")) as Golden;

/** The generator seeds of make-golden.sh (demo-data without --seed, and --seed 7). */
const DATA: Record<string, number | undefined> = { "smart-city.csv": undefined, "smart-city-seed7.csv": 7 };

// Tolerances. R fits the logit to epsilon 1e-14 and didwasm to 1e-10 (Newton's quadratic convergence
// leaves the coefficients ~1e-12 apart); the scores then differ by ~1e-12 relative, far below the
// smallest gap between candidate distances (checked > 1e-6 by golden.R), so matches are identical and
// only the kernel weights move, by ~1e-10. Standard errors of the logit come from an ill-conditioned
// information matrix (the covariates share a common size factor): they agree to ~1e-9.
/** Logit coefficients and p-values, relative. */
const LOGIT_COEF_REL = 1e-9;
/** Logit standard errors, relative. */
const LOGIT_SE_REL = 1e-7;
/** Balance means, %bias, t and p; pair weights; DID coefficients: relative (absolute near zero). */
const REL = 1e-8;
const ABS = 1e-10;
/** DID standard errors, relative; p-values relative. */
const SE_REL = 1e-7;
const P_REL = 1e-6;
/** r2, adj_r2, r2_within, absolute. */
const R2_ABS = 1e-9;

interface Golden {
  data_md5: Record<string, string>;
  cases: Array<{
    id: string;
    data: string;
    options: Record<string, unknown>;
    expect: {
      pre: [number, number];
      logit: Array<{ term: string; estimate: number; std_error: number; p_value: number }>;
      matched_treated: number;
      matched_controls: number;
      unmatched_treated: number;
      off_support: number;
      /** Parallel arrays: pair r is unit[r] -> match[r] with share weight[r]. */
      pairs: { unit: number[]; match: number[]; weight: number[] };
      balance: Array<Record<string, number | string>>;
      did: {
        nobs: number;
        coefficients: Array<{ term: string; estimate: number; std_error: number; statistic: number; p_value: number }>;
        r2: number;
        adj_r2: number;
        r2_within: number;
        constant: number;
        df_t: number;
      };
    };
  }>;
}

const frames = new Map<string, Frame>();
function frame(file: string): Frame {
  let f = frames.get(file);
  if (!f) {
    const csv = toCsv(generateSmartCity(DATA[file]));
    expect(createHash("md5").update(csv).digest("hex"), `${file}: the generator no longer makes the data golden.R saw`).toBe(expected.data_md5[file]);
    f = parseCsv(csv);
    frames.set(file, f);
  }
  return f;
}

const worst: Record<string, number> = {};
function close(what: string, got: number, want: number, rel: number, abs = 0): void {
  const dev = Math.abs(got - want);
  // reported: the relative deviation, or the absolute one for quantities compared absolutely (rel = 0)
  const relDev = rel === 0 ? dev : dev / Math.max(Math.abs(want), abs / rel, Number.MIN_VALUE);
  worst[what] = Math.max(worst[what] ?? 0, relDev);
  expect(dev <= abs + rel * Math.abs(want), `${what}: got ${got}, want ${want} (diff ${dev})`).toBe(true);
}

const engines = { wasm: createEngine({ backend: "wasm" }), reference: createEngine({ backend: "reference" }) };

describe.each(Object.keys(engines) as Array<keyof typeof engines>)("psm golden (%s backend)", (backend) => {
  it.each(expected.cases.map((c) => [c.id, c] as const))("%s", (_, c) => {
    const o = c.options;
    const r = psm(frame(c.data), { ...(o as unknown as PsmOptions), pre: (o.pre as [number, number]) ?? null, engine: engines[backend] });
    const j = r.toJSON() as Record<string, any>;
    const e = c.expect;
    expect(j.pre).toEqual(e.pre);

    for (const w of e.logit) {
      const g = j.logit.coefficients.find((x: { term: string }) => x.term === w.term);
      close("logit estimate", g.estimate, w.estimate, LOGIT_COEF_REL);
      close("logit std_error", g.std_error, w.std_error, LOGIT_SE_REL);
      close("logit p_value", g.p_value, w.p_value, LOGIT_SE_REL);
    }

    expect(j.matched_treated).toBe(e.matched_treated);
    expect(j.matched_controls).toBe(e.matched_controls);
    expect(j.unmatched_treated).toBe(e.unmatched_treated);
    expect(j.off_support).toBe(e.off_support);
    const key = (p: { unit: unknown; match: unknown }) => `${p.unit}->${p.match}`;
    const want = e.pairs.unit.map((unit, r) => ({ unit, match: e.pairs.match[r], weight: e.pairs.weight[r] }));
    expect(j.pairs.map(key).sort()).toEqual(want.map(key).sort());
    const weightOf = new Map(j.pairs.map((p: { unit: unknown; match: unknown; weight: number }) => [key(p), p.weight]));
    for (const p of want) close("pair weight", weightOf.get(key(p)) as number, p.weight, REL, ABS);

    for (const w of e.balance) {
      const g = j.balance.find((x: { variable: string }) => x.variable === w.variable);
      for (const k of Object.keys(w)) if (k !== "variable") close(`balance ${k}`, g[k], w[k] as number, REL, ABS);
    }

    const d = j.did;
    expect(d.nobs).toBe(e.did.nobs);
    expect(d.df_t).toBe(e.did.df_t);
    for (const w of e.did.coefficients) {
      const g = d.coefficients.find((x: { term: string }) => x.term === w.term);
      close("did estimate", g.estimate, w.estimate, REL, ABS);
      close("did std_error", g.std_error, w.std_error, SE_REL);
      close("did p_value", g.p_value, w.p_value, P_REL);
    }
    for (const k of ["r2", "adj_r2", "r2_within"] as const) close(`did ${k}`, d[k], e.did[k], 0, R2_ABS);
    close("did constant", d.constant, e.did.constant, REL, ABS);
  });
});

// The CLI as the shared conformance runner calls it (../shared/conformance/run.mjs, comparePsm):
// psm DATA --unit --time --cohort --covariates a,b --pre lo:hi --caliper C --formula F --json.
describe("psm through the CLI, as the conformance runner calls it", () => {
  it("reproduces the nearest_caliper case", () => {
    const cli = join(here, "../../dist/cli/main.js");
    if (!existsSync(cli)) throw new Error(`${cli} is missing: run npm run build first`);
    const c = expected.cases.find((x) => x.id === "nearest_caliper")!;
    const dir = mkdtempSync(join(tmpdir(), "didwasm-psm-golden-"));
    try {
      const file = join(dir, c.data);
      frame(c.data);
      writeFileSync(file, toCsv(generateSmartCity(DATA[c.data])));
      const o = c.options as { covariates: string[]; pre: number[]; caliper: number };
      const args = [cli, "psm", file, "--unit", "city", "--time", "year", "--cohort", "cohort", "--covariates", o.covariates.join(","),
        "--pre", `${o.pre[0]}:${o.pre[1]}`, "--caliper", String(o.caliper), "--formula", "ire ~ treat_post | city + year", "--vcov", "cluster:city", "--json"];
      const r = spawnSync(process.execPath, args, { encoding: "utf8", timeout: 60_000 });
      expect(r.status, r.stderr).toBe(0);
      const j = JSON.parse(r.stdout);
      const e = c.expect;
      for (const w of e.logit) close("cli logit", j.logit.coefficients.find((x: { term: string }) => x.term === w.term).estimate, w.estimate, 1e-6);
      expect([j.matched_treated, j.matched_controls]).toEqual([e.matched_treated, e.matched_controls]);
      const got = new Set(j.pairs.map((p: { unit: unknown; match: unknown }) => `${p.unit}->${p.match}`));
      expect(e.pairs.unit.map((u, r) => `${u}->${e.pairs.match[r]}`).filter((k) => !got.has(k))).toEqual([]);
      for (const w of e.balance) {
        const g = j.balance.find((x: { variable: string }) => x.variable === w.variable);
        close("cli bias_before", g.bias_before, w.bias_before as number, 1e-6, 1e-6);
        close("cli bias_after", g.bias_after, w.bias_after as number, 1e-6, 1e-6);
      }
      expect(j.did.nobs).toBe(e.did.nobs);
      close("cli did estimate", j.did.coefficients[0].estimate, e.did.coefficients[0].estimate, 1e-6);
      close("cli did std_error", j.did.coefficients[0].std_error, e.did.coefficients[0].std_error, 1e-5);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

afterAll(() => {
  if (process.env.GOLDEN_REPORT) console.log("largest relative deviation per quantity:", worst);
});
