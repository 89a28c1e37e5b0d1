// The instrumental-variables part of a formula, in fixest's syntax: the last |-part, when it holds a ~:
//   y ~ exo1 + exo2 | fe1 + fe2 | endo1 + endo2 ~ inst1 + inst2
//   y ~ exo | endo ~ inst            (no fixed effects)
//   y ~ 1 | endo ~ inst              (no exogenous regressor but the intercept)
// Endogenous variables and instruments are terms as on the right-hand side (products a:b, a*b; i(f)
// among the instruments). Checks that need only the formula are made here, with the position of the
// offending name: an endogenous variable that is also an exogenous regressor or an instrument, an
// instrument that is also a regressor, repeats, and too few instruments when none is an i() block (the
// count of i() dummies is known once the data are read; iv-design.ts checks it again there).
import { describe, nameInMessage, type Token, type TokenStream } from "./tokens.js";

/** What this module reads of a term (formula.ts's Term, which it does not import: formula.ts imports
 *  this module). */
export interface TermLike {
  readonly factors: ReadonlyArray<{ readonly kind: string; readonly name: string }>;
  readonly pos: number;
}

export interface IvPart<T extends TermLike = TermLike> {
  readonly endogenous: readonly T[];
  readonly instruments: readonly T[];
  /** Offset of the IV part's "~", where errors about the part as a whole point. */
  readonly pos: number;
}

/** Whether the tokens from the cursor up to the next "|" (or the end) hold a "~": that part is the IV part. */
export function startsIvPart(ts: TokenStream): boolean {
  for (let k = 0; ; k++) {
    const t = ts.peek(k);
    if (t.kind === "end" || (t.kind === "op" && t.text === "|")) return false;
    if (t.kind === "op" && t.text === "~") return true;
  }
}

/** A term's identity for the overlap checks: the sorted names of its plain variables (i() blocks never
 *  coincide with a plain variable). */
function termIdentity(t: TermLike): string | null {
  if (t.factors.some((f) => f.kind !== "var")) return null;
  return JSON.stringify(t.factors.map((f) => f.name).sort());
}

function termText(t: TermLike): string {
  return t.factors.map((f) => (f.kind === "var" ? nameInMessage(f.name) : `i(${nameInMessage(f.name)})`)).join(":");
}

function at(t: TermLike): Token {
  return { kind: "name", text: "", pos: t.pos };
}

/** terms ("+" terms)* where `terms` parses one crossed term (a, a:b, a*b, (a + b):c, i(f)). */
function sumOfTerms<T extends TermLike>(ts: TokenStream, terms: () => T[], what: string): T[] {
  const first = ts.peek();
  if (first.kind === "end" || (first.kind === "op" && ["~", "|", "+"].includes(first.text))) {
    throw ts.error(first, `expected ${what}, found ${describe(first)}`);
  }
  const out = [...terms()];
  while (ts.accept("+")) out.push(...terms());
  return out;
}

/** Parses `endo1 + endo2 ~ inst1 + inst2` at the cursor and checks it against the exogenous terms. */
export function parseIvPart<T extends TermLike>(ts: TokenStream, terms: () => T[], exogenous: readonly T[]): IvPart<T> {
  if (!startsIvPart(ts)) {
    throw ts.error(ts.peek(), "the part after the second | is the instrumental-variables part and needs a ~: endogenous ~ instruments");
  }
  const endogenous = sumOfTerms(ts, terms, "an endogenous variable before ~ in the instrumental-variables part");
  const tilde = ts.expectOp("~", "between the endogenous variables and the instruments");
  const instruments = sumOfTerms(ts, terms, "an instrument after ~ in the instrumental-variables part");
  const iv: IvPart<T> = { endogenous, instruments, pos: tilde.pos };
  if (ts.isOp("|")) throw ts.error(ts.peek(), "the instrumental-variables part comes last: y ~ regressors | fixed effects | endogenous ~ instruments");
  checkIvTerms(ts, iv, exogenous);
  return iv;
}

function checkIvTerms(ts: TokenStream, iv: IvPart, exogenous: readonly TermLike[]): void {
  const exo = new Set(exogenous.map(termIdentity).filter((k) => k !== null));
  const endo = new Map<string, TermLike>();
  for (const t of iv.endogenous) {
    const k = termIdentity(t);
    if (k === null) throw ts.error(at(t), "an endogenous variable cannot be an i() block: create the dummy variables as columns");
    if (endo.has(k)) throw ts.error(at(t), `endogenous variable ${termText(t)} appears twice`);
    if (exo.has(k)) {
      throw ts.error(at(t), `${termText(t)} is both endogenous and an exogenous regressor: remove it from the regressors before the first |`);
    }
    endo.set(k, t);
  }
  const inst = new Set<string>();
  for (const t of iv.instruments) {
    const k = termIdentity(t);
    if (k === null) continue;
    if (inst.has(k)) throw ts.error(at(t), `instrument ${termText(t)} appears twice`);
    if (endo.has(k)) throw ts.error(at(t), `${termText(t)} is both endogenous and an instrument`);
    if (exo.has(k)) {
      throw ts.error(
        at(t),
        `${termText(t)} is both an instrument and an exogenous regressor: exogenous regressors instrument themselves, list only the excluded instruments after ~`,
      );
    }
    inst.add(k);
  }
  if (iv.instruments.every((t) => termIdentity(t) !== null)) checkInstrumentCount(iv, iv.instruments.length, (message) => ts.error({ kind: "op", text: "~", pos: iv.pos }, message));
}

/** Refuses fewer instruments than endogenous variables (fixest's rule: the model is not identified). */
export function checkInstrumentCount(iv: IvPart, nInstruments: number, fail: (message: string) => Error): void {
  const nEndo = iv.endogenous.length;
  if (nInstruments >= nEndo) return;
  throw fail(
    `${nEndo} endogenous variable(s) (${iv.endogenous.map(termText).join(", ")}) but ${nInstruments} instrument(s)` +
      ` (${iv.instruments.map(termText).join(", ")}): at least as many instruments as endogenous variables are needed`,
  );
}
