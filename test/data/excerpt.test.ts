// excerpt(): file text in error messages is cut to EXCERPT_CHARS and its control characters are escaped.
import { describe, expect, it } from "vitest";
import { EXCERPT_CHARS, excerpt, quoted } from "../../bindings/data/excerpt.js";

describe("excerpt", () => {
  it("keeps short plain text as it is, quotes it with quoted()", () => {
    expect(excerpt("income")).toBe("income");
    expect(quoted("Zürich 北京")).toBe('"Zürich 北京"');
  });

  it("cuts long text to EXCERPT_CHARS characters, the ellipsis included", () => {
    const long = "abcdefghij".repeat(1000);
    const e = excerpt(long);
    expect(e.length).toBe(EXCERPT_CHARS);
    expect(e).toBe(long.slice(0, EXCERPT_CHARS - 1) + "…");
  });

  it("does not cut text of exactly the limit, cuts one more character", () => {
    const exact = "x".repeat(EXCERPT_CHARS);
    expect(excerpt(exact)).toBe(exact);
    expect(excerpt(exact + "y")).toBe("x".repeat(EXCERPT_CHARS - 1) + "…");
  });

  it("escapes control characters: line ends, tab, NUL, ESC, DEL, C1 and bidirectional overrides", () => {
    expect(excerpt("a\nb\r\tc\0")).toBe("a\\nb\\r\\tc\\0");
    expect(excerpt("\x1b[31mred\x07")).toBe("\\x1b[31mred\\x07");
    expect(excerpt("\x7f\x85")).toBe("\\x7f\\x85");
    expect(excerpt("abc\u202edcba\u2028")).toBe("abc\\u202edcba\\u2028");
  });

  it("counts escapes against the limit and never splits one", () => {
    const e = excerpt("\x01".repeat(100));
    expect(e.length).toBeLessThanOrEqual(EXCERPT_CHARS);
    expect(e).toMatch(/^(\\x01)+…$/);
  });

  it("never splits a character outside the basic plane", () => {
    const e = excerpt("😀".repeat(100), 7); // 2 code units each: three fit before the ellipsis
    expect(e).toBe("😀😀😀…");
  });
});
