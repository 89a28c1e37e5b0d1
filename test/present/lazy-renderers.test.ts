// The figure and Word libraries (pdfkit, svg-to-pdfkit, resvg, docx: ~2 MB of JavaScript and WebAssembly)
// load only when a PDF, PNG or .docx is written: no source file imports them statically (an `import type`
// is erased), so the CLI's start-up and the library's import do not grow. Read with TypeScript's parser.
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import ts from "typescript";
import { expect, it } from "vitest";
import { ROOT } from "../structure/import-graph.js";

const LAZY = ["pdfkit", "svg-to-pdfkit", "@resvg/resvg-wasm", "docx"];

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return tsFiles(path);
    return name.endsWith(".ts") && !name.endsWith(".d.ts") ? [path] : [];
  });
}

/** Static value imports and re-exports of the lazy libraries in one file ("file: module"); dynamic
 *  import() calls are what should be there instead, and are collected separately. */
function importsOf(file: string): { static: string[]; dynamic: string[] } {
  const src = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.ES2022, true);
  const found = { static: [] as string[], dynamic: [] as string[] };
  const visit = (n: ts.Node): void => {
    if ((ts.isImportDeclaration(n) || ts.isExportDeclaration(n)) && n.moduleSpecifier && ts.isStringLiteral(n.moduleSpecifier)) {
      const typeOnly = ts.isImportDeclaration(n) ? n.importClause?.isTypeOnly === true : n.isTypeOnly;
      if (LAZY.includes(n.moduleSpecifier.text) && !typeOnly) found.static.push(n.moduleSpecifier.text);
    }
    if (ts.isCallExpression(n) && n.expression.kind === ts.SyntaxKind.ImportKeyword && ts.isStringLiteral(n.arguments[0])) {
      if (LAZY.includes(n.arguments[0].text)) found.dynamic.push(n.arguments[0].text);
    }
    ts.forEachChild(n, visit);
  };
  visit(src);
  return found;
}

it("pdfkit, svg-to-pdfkit, resvg and docx are imported only with import(), where a file is written", () => {
  const files = ["bindings", "cli", "web/src"].flatMap((d) => tsFiles(join(ROOT, d)));
  const statics: string[] = [];
  const dynamics = new Set<string>();
  for (const f of files) {
    const found = importsOf(f);
    statics.push(...found.static.map((m) => `${relative(ROOT, f)}: ${m}`));
    for (const m of found.dynamic) dynamics.add(m);
  }
  expect(statics).toEqual([]);
  // The check sees the dynamic imports it is meant to allow (it would pass vacuously otherwise).
  expect([...dynamics].sort()).toEqual([...LAZY].sort());
});
