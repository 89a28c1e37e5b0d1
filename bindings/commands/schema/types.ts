// The declarative option schema: each command declares its options once, as data (name, type, default, help,
// whether required, when it applies, and hints for the web form). The CLI's flags and help, the keys run()
// accepts, the report spec's analysis keys and the web tool's form are all derived from these declarations
// (cli/register.ts, ./parse.ts, report/spec.ts, web/src/analyses.ts), so none of them can drift.
//
// A command has two groups: `options`, which change what is computed (every front end takes them), and
// `output` options, which only change how the CLI prints or writes the result (--json, --plot, --format,
// --out, ...): run() returns JSON and refuses them.

/** The value kinds an option can take. Each kind has one parser (parse.ts) that accepts both the CLI's text
 *  and JavaScript values (run(), report specs), and one input type (InputOf) for typed run() calls. */
export type OptionKind =
  | "text" // free text
  | "column" // a column of the data
  | "columns" // a list of columns: "a,b" or ["a", "b"]
  | "formula" // a fixest formula
  | "subset" // a row filter expression
  | "vcov" // iid, hetero, cluster:VAR, cluster:A+B
  | "number"
  | "integer"
  | "flag" // true/false; on the CLI a switch without a value
  | "choice" // one of `choices`
  | "range" // "lo:hi" or [lo, hi], whole numbers
  | "integers" // "1,2,3" or [1, 2, 3]
  | "numbers" // "25,50,75" or [25, 50, 75]
  | "seed" // an integer in [0, 2^32 - 1]
  | "labels" // "a=A,b=B" or { a: "A", b: "B" }
  | "texts" // repeatable text: one string per use of the flag
  | "path"; // a file to write (CLI only)

/** Hints for the web form (web/src/form.ts). */
export interface WebHints {
  /** Which columns a column picker proposes first. */
  readonly prefer?: "numeric" | "binary" | "id";
  /** Shown under "More options". */
  readonly advanced?: boolean;
  readonly placeholder?: string;
  /** Not offered in the web form (an alternative spelling mainly for the command line). */
  readonly hidden?: boolean;
  /** Labels of the choices of a choice option, by value. */
  readonly choiceLabels?: Readonly<Record<string, string>>;
}

/** Parsed options of a command, as the applicability rules see them. */
export type ParsedValues = Readonly<Record<string, unknown>>;

export interface OptionDef<T = unknown, I = unknown, R extends boolean = boolean, D extends boolean = boolean> {
  readonly kind: OptionKind;
  /** A short label (web form, report errors). */
  readonly label: string;
  /** One line of help (CLI --help, README, web form). */
  readonly help: string;
  readonly required: R;
  /** Text taken as given, spaces and tabs included (a delimiter); other text is trimmed. */
  readonly verbatim?: boolean;
  /** Required unless this other option is given (one of the two must be). */
  readonly requiredUnless?: string;
  /** The default, applied by the parser; also shown in --help. */
  readonly default?: T;
  /** Marks that `default` is set (for the types). */
  readonly hasDefault: D;
  /** How the default reads in help when it is computed rather than fixed (e.g. "cluster by the unit"). */
  readonly defaultText?: string;
  readonly choices?: readonly string[];
  /** Integer and number bounds (inclusive). */
  readonly min?: number;
  readonly max?: number;
  /** Numbers: the bound `min` is excluded (e.g. a tolerance > 0). */
  readonly minExclusive?: boolean;
  readonly maxExclusive?: boolean;
  /** The CLI's value placeholder, e.g. "column" in --y <column>. */
  readonly valueName?: string;
  /** CLI: a flag also offered as --no-NAME (for flags whose absence means "decide for me"). */
  readonly negatable?: boolean;
  /** Not offered in the web form or report specs (e.g. the engine's backend, a development switch). */
  readonly cliAndRunOnly?: boolean;
  /** When given, the option is refused with this message whatever its value (a combination the command
   *  cannot honour yet). */
  readonly refused?: string;
  /** Returns why the option does not apply given the other options (it is then refused if given), or null. */
  readonly appliesWhen?: (o: ParsedValues) => string | null;
  readonly web?: WebHints;
  /** Phantom: the parsed type and the input type of run(). */
  readonly __parsed?: T;
  readonly __input?: I;
}

export type Schema = Readonly<Record<string, OptionDef>>;

type IsRequired<O> = O extends OptionDef<any, any, infer R, any> ? R : never;
type HasDefault<O> = O extends OptionDef<any, any, any, infer D> ? D : never;
type ParsedOf<O> = O extends OptionDef<infer T, any, any, any> ? T : never;
type InputOf<O> = O extends OptionDef<any, infer I, any, any> ? I : never;

type RequiredKeys<S extends Schema> = { [K in keyof S]: IsRequired<S[K]> extends true ? K : never }[keyof S];
type DefinedKeys<S extends Schema> = { [K in keyof S]: IsRequired<S[K]> extends true ? K : HasDefault<S[K]> extends true ? K : never }[keyof S];

/** What a command's code receives: every option parsed, defaults applied. */
export type Parsed<S extends Schema> = { readonly [K in DefinedKeys<S>]: ParsedOf<S[K]> } & { readonly [K in Exclude<keyof S, DefinedKeys<S>>]?: ParsedOf<S[K]> };

/** What run() accepts for a schema: required options required, the rest optional, each of its input type. */
export type Inputs<S extends Schema> = { readonly [K in RequiredKeys<S>]: InputOf<S[K]> } & { readonly [K in Exclude<keyof S, RequiredKeys<S>>]?: InputOf<S[K]> };

