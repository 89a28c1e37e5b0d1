// The event study of a saved result (`didwasm honestdid --from RESULT.json`): the `event_vcov` block that
// eventstudy, sunab, did2s --event and csdid write (event times, estimates, full covariance), or the
// betahat and sigma of a previous honestdid run. Pre-periods are the negative event times (the reference
// period is not a row); a covariance that does not fit is reported with the field to fix.
import { DidwasmError } from "../../errors.js";
import { warning, type Note } from "../../notes.js";

export interface SavedEventStudy {
  readonly betahat: number[];
  readonly sigma: number[][];
  /** Event times of the coefficients (null: not recorded, e.g. a bare betahat/sigma). */
  readonly eventTimes: number[] | null;
  /** Pre-periods implied by the file (null: it does not say). */
  readonly numPre: number | null;
  readonly notes: Note[];
}

const bad = (message: string) => new DidwasmError("BAD_DATA", `--from: ${message}`);

function numbers(v: unknown, what: string): number[] {
  if (!Array.isArray(v) || v.some((x) => typeof x !== "number" || !Number.isFinite(x))) throw bad(`${what} must be an array of finite numbers`);
  return v as number[];
}

function matrix(v: unknown, n: number, what: string): number[][] {
  if (!Array.isArray(v) || v.length !== n) throw bad(`${what} must be a ${n} x ${n} array of arrays (one row per coefficient)`);
  return v.map((row, i) => {
    const r = numbers(row, `${what} row ${i + 1}`);
    if (r.length !== n) throw bad(`${what} row ${i + 1} has ${r.length} entries, expected ${n}`);
    return r;
  });
}

/** Reads the JSON text (or an already parsed object, from run()). */
export function savedEventStudy(input: unknown): SavedEventStudy {
  let doc: unknown = input;
  if (typeof input === "string") {
    try {
      doc = JSON.parse(input);
    } catch (e) {
      throw bad(`not JSON (${(e as Error).message}); give a result saved with --json`);
    }
  }
  if (doc === null || typeof doc !== "object" || Array.isArray(doc)) throw bad("expected a JSON object: a result saved with --json");
  const o = doc as Record<string, unknown>;
  if (o.event_vcov !== undefined && o.event_vcov !== null) {
    const ev = o.event_vcov as Record<string, unknown>;
    const times = numbers(ev.rel_time, "event_vcov.rel_time");
    const betahat = numbers(ev.estimate, "event_vcov.estimate");
    if (betahat.length !== times.length) throw bad(`event_vcov has ${times.length} event times but ${betahat.length} estimates`);
    const sigma = matrix(ev.vcov, times.length, "event_vcov.vcov");
    const notes: Note[] = [];
    if (ev.base_period === "varying") {
      notes.push(warning("method", "the pre-period effects of this result use a varying base period (each against its previous period, as csdid computes them unless --base-period universal); HonestDiD's restrictions assume one reference period normalised to 0 (a universal base period), so read the bounds with care"));
    }
    return { betahat, sigma, eventTimes: times, numPre: times.filter((t) => t < 0).length, notes };
  }
  if (o.betahat !== undefined && o.sigma !== undefined) {
    const betahat = numbers(o.betahat, "betahat");
    const sigma = matrix(o.sigma, betahat.length, "sigma");
    const times = o.event_times === undefined ? null : numbers(o.event_times, "event_times");
    const numPre = typeof o.num_pre === "number" ? o.num_pre : null;
    return { betahat, sigma, eventTimes: times && times.length === betahat.length ? times : null, numPre, notes: [] };
  }
  if (Array.isArray(o.models)) throw bad("the file holds several models; save one event study");
  throw bad("the result has no event_vcov (the event-study coefficients and their covariance): save an eventstudy, sunab, did2s --event or csdid result with --json, or run honestdid on the data with --formula");
}
