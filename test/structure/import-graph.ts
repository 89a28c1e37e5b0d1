// The import graph of the project's TypeScript sources: every relative import (static, type-only,
// re-export or dynamic) of every .ts file under the given roots, resolved to a path relative to the
// repository root. Imports are read by TypeScript's own pre-processor, which skips comments and strings.
import { readFileSync, readdirSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return tsFiles(path);
    return name.endsWith(".ts") && !name.endsWith(".d.ts") ? [path] : [];
  });
}

/** file -> the files it imports (both relative to ROOT, with "/" separators). */
export function importGraph(roots: readonly string[]): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of roots.flatMap((r) => tsFiles(join(ROOT, r)))) {
    const info = ts.preProcessFile(readFileSync(file, "utf8"), true, true);
    const targets = info.importedFiles
      .map((f) => f.fileName)
      .filter((spec) => spec.startsWith("."))
      .map((spec) => rel(resolve(dirname(file), spec.replace(/\.js$/, ".ts"))));
    graph.set(rel(file), [...new Set(targets)]);
  }
  return graph;
}

const rel = (path: string) => relative(ROOT, path).split("\\").join("/");

/** Every import from a file under `from` to a file under `to`, as "importer -> imported". */
export function importsBetween(graph: Map<string, string[]>, from: (f: string) => boolean, to: (f: string) => boolean): string[] {
  const out: string[] = [];
  for (const [file, targets] of graph) if (from(file)) for (const t of targets) if (to(t)) out.push(`${file} -> ${t}`);
  return out;
}

/** Every file reached from `start` by following imports (`start` included). */
export function reachable(graph: Map<string, string[]>, start: readonly string[]): string[] {
  const seen = new Set(start);
  const todo = [...start];
  while (todo.length) {
    for (const t of graph.get(todo.pop()!) ?? []) {
      if (seen.has(t)) continue;
      seen.add(t);
      todo.push(t);
    }
  }
  return [...seen];
}

/** The import cycles among the files `within` selects (strongly connected components of two or more
 *  files, or a file importing itself), each as a sorted list of files. */
export function cycles(graph: Map<string, string[]>, within: (f: string) => boolean): string[][] {
  // Tarjan's algorithm.
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  let next = 0;
  const visit = (v: string) => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of (graph.get(v) ?? []).filter(within)) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || (graph.get(v) ?? []).includes(v)) out.push(component.sort());
    }
  };
  for (const v of graph.keys()) if (within(v) && !index.has(v)) visit(v);
  return out;
}
