// Results must be the same in Node and in every browser, so nothing in bindings/ or web/src/ may compute
// them with the engine's own Math.exp, log, pow, sin, ... (ECMAScript lets each engine approximate
// those, and V8 versions differ in the last ulp) or with ** on anything but an exact power: they use
// bindings/stats/libm.ts instead. This test parses every source file and lists each such use outside
// the allow-list below, each entry with the reason it cannot change a result.
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "..", "..");
const SCANNED = ["bindings", join("web", "src")];

/** Math functions that ECMAScript calls implementation-approximated (sqrt, floor, abs, ... are exact). */
const APPROXIMATED = new Set([
  "exp", "expm1", "log", "log1p", "log2", "log10", "pow", "sin", "cos", "tan", "asin", "acos", "atan", "atan2",
  "sinh", "cosh", "tanh", "asinh", "acosh", "atanh", "cbrt", "hypot",
]);

/** "file: what" -> why it cannot change a result. */
const ALLOWED: Record<string, string> = {
  "bindings/engine/warmup.ts: Math.sin": "fills the warm-up input of a throwaway kernel call; nothing computed from it is returned",
  "bindings/estimators/ols-scaling.ts: Math.log2": "only a first guess of a binary exponent, corrected by exact comparisons with powers of two",
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(p);
    return /\.ts$/.test(e.name) && !/\.d\.ts$/.test(e.name) ? [p] : [];
  });
}

/** An exponent that makes ** exact on every engine: a non-negative integer literal (x ** 2 is x * x),
 *  or any integer power of the literal 2 (exactly representable, so any pow within an ulp returns it). */
function exactPower(node: ts.BinaryExpression): boolean {
  const base = node.left;
  if (ts.isNumericLiteral(base) && base.text === "2") return true;
  return ts.isNumericLiteral(node.right) && /^\d+$/.test(node.right.text);
}

/** Each engine-approximated use in TypeScript source text: "Math.exp", "Math[...]" or the ** expression. */
function approximatedUses(name: string, text: string): string[] {
  const source = ts.createSourceFile(name, text, ts.ScriptTarget.Latest, true);
  const uses: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isPropertyAccessExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === "Math" && APPROXIMATED.has(node.name.text)) {
      uses.push(`Math.${node.name.text}`);
    } else if (ts.isElementAccessExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === "Math") {
      uses.push("Math[...]");
    } else if (ts.isBinaryExpression(node) && (node.operatorToken.kind === ts.SyntaxKind.AsteriskAsteriskToken || node.operatorToken.kind === ts.SyntaxKind.AsteriskAsteriskEqualsToken) && !exactPower(node)) {
      uses.push(node.getText(source));
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return uses;
}

/** Each engine-approximated use in a file, as "file: what" (libm.ts and its folder implement the exact ones). */
function engineMathUses(file: string): string[] {
  const rel = relative(root, file).split("\\").join("/");
  if (rel.startsWith("bindings/stats/libm")) return [];
  return approximatedUses(file, readFileSync(file, "utf8")).map((what) => `${rel}: ${what}`);
}

describe("no engine-approximated Math in bindings/ and web/src/", () => {
  const files = SCANNED.flatMap((d) => sourceFiles(join(root, d)));

  it("every use of Math.exp, log, pow, sin, ... or of ** with an inexact power is allow-listed with a reason", () => {
    expect(files.length).toBeGreaterThan(50);
    const unexpected = files.flatMap(engineMathUses).filter((u) => !(u in ALLOWED));
    expect(unexpected, "use bindings/stats/libm.ts (exp, log, log1p, log10, pow, pow10, sin, cos, tanh, ...)").toEqual([]);
  });

  it("every allow-list entry is still needed", () => {
    const found = new Set(files.flatMap(engineMathUses));
    expect(Object.keys(ALLOWED).filter((k) => !found.has(k))).toEqual([]);
  });

  it("recognises what it must refuse and what it may pass", () => {
    // The scan's own visitor, its findings shortened to the function's name or "**".
    const probe = (code: string) => approximatedUses("probe.ts", code).map((u) => (u.startsWith("Math.") ? u.slice(5) : "**"));
    expect(probe("const a = Math.exp(x) + Math.sqrt(y) + Math.floor(z); // Math.log in a comment")).toEqual(["exp"]);
    expect(probe("const b = n ** -0.2 + 10 ** k + x ** 2 + 2 ** k; const s = 'Math.cos ** p';")).toEqual(["**", "**"]);
  });
});
