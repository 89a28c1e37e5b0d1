// Errors the user caused (bad file, bad column, bad formula, empty sample, ...) are DidwasmError with a
// code and a message that names the column, row or formula position. The CLI prints the message and exits
// with status 2. Numerical trouble (non-convergence, collinearity) is not an error: it is in the result.

export type ErrorCode =
  | "FILE_NOT_FOUND"
  | "FILE_UNREADABLE"
  | "UNSUPPORTED_FORMAT"
  | "CORRUPT_FILE"
  | "EMPTY_FILE"
  | "NO_DATA_ROWS"
  | "BAD_ROW"
  | "DUPLICATE_COLUMN"
  | "EMPTY_COLUMN_NAME"
  | "UNKNOWN_COLUMN"
  | "NOT_NUMERIC"
  | "NOT_FINITE"
  | "FORMULA_SYNTAX"
  | "SUBSET_SYNTAX"
  | "BAD_OPTION"
  | "BAD_DATA"
  | "ALL_MISSING"
  | "EMPTY_SAMPLE"
  | "TOO_FEW_ROWS"
  | "NO_REGRESSORS"
  | "ALL_COLLINEAR"
  | "BAD_WEIGHTS"
  | "TOO_FEW_CLUSTERS"
  | "UNKNOWN_COEFFICIENT"
  | "MULTIPLE_OUTCOMES"
  | "SEPARATION"
  | "NO_VARIANCE"
  | "NO_MATCHES"
  | "TOO_LARGE";

export class DidwasmError extends Error {
  override readonly name = "DidwasmError";
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
  }
}

export function isDidwasmError(e: unknown): e is DidwasmError {
  return e instanceof DidwasmError;
}

/** Levenshtein distance, for "did you mean" suggestions on unknown names. */
function editDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0];
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j];
      prev[j] = Math.min(prev[j] + 1, prev[j - 1] + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return prev[b.length];
}

/** The candidate closest to `name` (case-insensitive edit distance), if it is plausibly a typo. */
export function nearestName(name: string, candidates: readonly string[]): string | null {
  let best: string | null = null;
  let bestD = Infinity;
  for (const c of candidates) {
    const d = editDistance(name.toLowerCase(), c.toLowerCase());
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  return best !== null && bestD <= Math.max(2, Math.floor(name.length / 3)) ? best : null;
}
