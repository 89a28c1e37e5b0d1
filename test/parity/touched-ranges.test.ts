// The kernel threads skip touching memory ahead when it was touched before (touched-ranges.ts): the record
// must never claim a byte that was not added, and must know every byte that was. Checked against a plain
// byte map over random additions and queries.
import { describe, expect, it } from "vitest";
import { TouchedRanges } from "../../bindings/engine/threads/touched-ranges.js";

describe("TouchedRanges", () => {
  it("covers exactly the bytes added, whatever the order, overlaps and adjacency", () => {
    let seed = 99;
    const rand = (n: number) => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) % n);
    for (let trial = 0; trial < 30; trial++) {
      const size = 200;
      const map = new Uint8Array(size);
      const r = new TouchedRanges();
      for (let step = 0; step < 25; step++) {
        const s = rand(size);
        const e = s + rand(30);
        r.add(s, e);
        for (let i = s; i < Math.min(e, size); i++) map[i] = 1;
        for (let q = 0; q < 40; q++) {
          const qs = rand(size - 10);
          const qe = qs + 1 + rand(10);
          let all = true;
          for (let i = qs; i < qe; i++) all &&= map[i] === 1;
          expect(r.covers(qs, qe), `[${qs}, ${qe}) after step ${step} of trial ${trial}`).toBe(all);
        }
      }
    }
  });

  it("an empty range is covered; nothing else before any addition", () => {
    const r = new TouchedRanges();
    expect(r.covers(5, 5)).toBe(true);
    expect(r.covers(0, 1)).toBe(false);
    r.add(10, 20);
    r.add(20, 30); // adjacent: one range
    expect(r.covers(10, 30)).toBe(true);
    expect(r.covers(9, 30)).toBe(false);
    expect(r.covers(10, 31)).toBe(false);
  });
});
