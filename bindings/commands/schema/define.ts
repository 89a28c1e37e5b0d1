// Builders of option declarations, one per value kind, typed so that a command's parsed options and run()'s
// accepted inputs follow from its schema: `reps: opt.integer({ ..., default: 500 })` is a number in the
// command's code and an optional number in run().
import type { OptionDef, OptionKind, ParsedValues, WebHints } from "./types.js";

export interface Spec<R extends boolean> {
  readonly label: string;
  readonly help: string;
  readonly required?: R;
  readonly requiredUnless?: string;
  readonly verbatim?: boolean;
  readonly defaultText?: string;
  readonly valueName?: string;
  readonly cliAndRunOnly?: boolean;
  readonly negatable?: boolean;
  readonly refused?: string;
  readonly appliesWhen?: (o: ParsedValues) => string | null;
  readonly web?: WebHints;
}

interface Bounds {
  readonly min?: number;
  readonly max?: number;
  readonly minExclusive?: boolean;
  readonly maxExclusive?: boolean;
}

type Maker<T, I, X = unknown> = {
  <const R extends boolean = false>(spec: Spec<R> & X & { readonly default?: undefined }): OptionDef<T, I, R, false>;
  <const R extends boolean = false>(spec: Spec<R> & X & { readonly default: T }): OptionDef<T, I, R, true>;
};

const VALUE_NAMES: Partial<Record<OptionKind, string>> = {
  text: "text", column: "column", columns: "a,b", formula: "formula", subset: "expr", vcov: "type", number: "x", integer: "n",
  range: "lo:hi", integers: "a,b", numbers: "a,b", seed: "n", labels: "a=A,b=B", texts: "text", path: "file",
};

function maker<T, I, X = unknown>(kind: OptionKind): Maker<T, I, X> {
  return ((spec: Spec<boolean> & { default?: T }) =>
    ({ valueName: VALUE_NAMES[kind], ...spec, kind, required: spec.required ?? false, hasDefault: spec.default !== undefined })) as Maker<T, I, X>;
}

export const opt = {
  text: maker<string, string>("text"),
  column: maker<string, string>("column"),
  columns: maker<string[], readonly string[] | string>("columns"),
  formula: maker<string, string>("formula"),
  subset: maker<string, string>("subset"),
  vcov: maker<string, string>("vcov"),
  number: maker<number, number, Bounds>("number"),
  integer: maker<number, number, Bounds>("integer"),
  flag: maker<boolean, boolean>("flag"),
  range: maker<[number, number], readonly [number, number] | string, Bounds>("range"),
  integers: maker<number[], readonly number[] | string, Bounds>("integers"),
  numbers: maker<number[], readonly number[] | string, Bounds>("numbers"),
  seed: maker<number, number>("seed"),
  labels: maker<Record<string, string>, Readonly<Record<string, string>> | string>("labels"),
  texts: maker<string[], string | readonly string[]>("texts"),
  path: maker<string, string>("path"),
  /** One of `choices`. */
  choice<V extends string>(choices: readonly V[]) {
    const make = maker<V, V>("choice");
    return ((spec: Spec<boolean> & { default?: V }) => ({ ...make(spec as never), choices, valueName: choices.join("|") })) as unknown as Maker<V, V>;
  },
};
