// Block and staggered designs of synthetic DID. A block design (all treated units adopt together) is one
// synthdid estimate. A staggered design is handled as Stata's sdid does it (Clarke, Pailañir, Athey and
// Imbens 2023): one estimate per adoption cohort, on the never-treated units and that cohort's units over
// every period, and the ATT their average weighted by the cohort's treated cells (units x post periods).
import { DidwasmError } from "../../errors.js";
import { fitBlock, type Block, type BlockFit, type BlockRun, type Matrix, type SynthMethod } from "./synthdid-block.js";

export interface Cohort {
  /** Index of the adoption period (= pre-periods T0). */
  readonly T0: number;
  readonly treated: Int32Array;
}

export interface Design {
  readonly controls: Int32Array;
  readonly cohorts: readonly Cohort[];
}

export interface DesignFit {
  readonly att: number;
  readonly blocks: readonly BlockFit[];
  /** Each cohort's weight in the ATT (treated cells share). */
  readonly shares: readonly number[];
}

/** Controls (never treated) and cohorts by adoption period, from each unit's adoption index (-1: never). */
export function designOf(adoption: Int32Array, periodName: (k: number) => string): Design {
  const controls: number[] = [];
  const byStart = new Map<number, number[]>();
  adoption.forEach((a, u) => {
    if (a < 0) controls.push(u);
    else {
      const units = byStart.get(a);
      if (units) units.push(u);
      else byStart.set(a, [u]);
    }
  });
  if (byStart.size === 0) throw new DidwasmError("BAD_DATA", "no treated unit: the treatment is 0 everywhere");
  if (controls.length === 0) throw new DidwasmError("BAD_DATA", "no never-treated unit: synthetic DID builds its controls from units never treated in the panel");
  const cohorts = [...byStart.entries()].sort((a, b) => a[0] - b[0]).map(([T0, units]) => {
    if (T0 < 2) throw new DidwasmError("BAD_DATA", `the cohort adopting in ${periodName(T0)} has ${T0} pre-treatment period: synthetic DID needs at least 2 (the noise level is the sd of pre-period changes)`);
    return { T0, treated: Int32Array.from(units) };
  });
  return { controls: Int32Array.from(controls), cohorts };
}

/** The ATT over cohorts, weights proportional to treated cells. */
export function aggregate(m: Matrix, cohorts: readonly Cohort[], taus: readonly number[]): { att: number; shares: number[] } {
  const cells = cohorts.map((c) => c.treated.length * (m.T - c.T0));
  const total = cells.reduce((a, b) => a + b, 0);
  const shares = cells.map((c) => c / total);
  return { att: taus.reduce((s, t, k) => s + shares[k] * t, 0), shares };
}

export function blockOf(controls: Int32Array, c: Cohort): Block {
  return { controls, treated: c.treated, T0: c.T0 };
}

/** Every cohort's estimate and the ATT; `run(k)` gives cohort k's tuning and start weights. */
export function fitDesign(m: Matrix, d: Design, method: SynthMethod, run: (k: number) => BlockRun = () => ({})): DesignFit {
  const blocks = d.cohorts.map((c, k) => fitBlock(m, blockOf(d.controls, c), method, run(k)));
  const { att, shares } = aggregate(m, d.cohorts, blocks.map((b) => b.tau));
  return { att, blocks, shares };
}

