// Structured notes: what the sample, a fit or an estimator wants the user to know about a result that is
// still a result (observations dropped, regressors removed as collinear, non-convergence, lost precision).
// Errors are thrown instead (errors.ts). Every command's JSON carries `notes` and `warnings`, the latter
// derived here, in one place, from the notes whose severity is "warning".

/** What a note is about; a stable key a program can test (the message is for people). */
export type NoteKind =
  | "missing_dropped"
  | "nonfinite_dropped"
  | "slope_degenerate"
  | "zero_weight_dropped"
  | "singletons_dropped"
  | "collinear_removed"
  | "not_converged"
  | "precision_loss"
  | "duplicate_rows"
  | "draws_left_out"
  | "treatment_mismatch"
  | "unmatched"
  | "few_clusters"
  | "unbounded_interval"
  | "not_nested"
  | "perfect_fit"
  | "separation"
  | "method"
  | "threads"
  | "data";

/** "info": worth knowing, the result is as asked. "warning": the result may not be what was asked for. */
export type NoteSeverity = "info" | "warning";

export interface Note {
  readonly kind: NoteKind;
  readonly severity: NoteSeverity;
  readonly message: string;
}

export const note = (kind: NoteKind, severity: NoteSeverity, message: string): Note => ({ kind, severity, message });
export const info = (kind: NoteKind, message: string): Note => note(kind, "info", message);
export const warning = (kind: NoteKind, message: string): Note => note(kind, "warning", message);

/** The messages of the warnings among `notes`: what every command's JSON lists as `warnings` and the CLI
 *  prints on stderr. */
export function warningsOf(notes: readonly Note[]): string[] {
  return notes.filter((n) => n.severity === "warning").map((n) => n.message);
}

/** Notes without repeats (the same kind and message reported by a fit and by the estimator around it). */
export function uniqueNotes(notes: readonly Note[]): Note[] {
  const seen = new Set<string>();
  return notes.filter((n) => {
    const key = `${n.kind}\u0000${n.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
