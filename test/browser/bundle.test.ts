// The built web tool (web/dist): its size budget (JS + CSS + HTML, WebAssembly included since it is
// embedded in the JS, under 500 kB gzipped) and no trace of Node built-ins in what browsers load. The Word
// writer (the docx library) is loaded only when a Word file is asked for: it has a budget of its own, and
// the page must not load it at start.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { gzipSync } from "node:zlib";
import { execFileSync } from "node:child_process";
import { beforeAll, describe, expect, it } from "vitest";
import { root, webDist } from "./harness.js";

/** The budget for everything a browser downloads. */
const BUDGET_GZIP_BYTES = 500 * 1000;
/** The Word writer, fetched on the first Word download only. */
const WORD_BUDGET_GZIP_BYTES = 120 * 1000;
/** The HiGHS solver (its glue, for the page and for the worker, and its WebAssembly), fetched on the first
 *  smoothness-bound sensitivity analysis only (honestdid --delta sd). */
const HIGHS_BUDGET_GZIP_BYTES = 1300 * 1000;
const isHighs = (file: string) => /^assets\/highs-[\w-]+\.(js|wasm)$/.test(file);

interface ManifestChunk {
  readonly file: string;
  readonly src?: string;
  readonly isEntry?: boolean;
  readonly imports?: readonly string[];
  readonly dynamicImports?: readonly string[];
}

/** The files of the Word writer: the dynamic entry of bindings/present/docx.ts and what it loads. */
function wordWriterFiles(manifest: Record<string, ManifestChunk>): Set<string> {
  const start = Object.keys(manifest).find((k) => k.endsWith("bindings/present/docx.ts"));
  const out = new Set<string>();
  const visit = (key: string) => {
    const c = manifest[key];
    if (!c || c.isEntry || out.has(c.file)) return;
    out.add(c.file);
    for (const k of [...(c.imports ?? []), ...(c.dynamicImports ?? [])]) visit(k);
  };
  if (start) visit(start);
  return out;
}

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : [p];
  });
}

describe("browser bundle (web/dist)", () => {
  beforeAll(() => {
    if (!existsSync(join(webDist, "index.html"))) execFileSync(process.execPath, [join(root, "scripts", "build-web.mjs")], { cwd: root, stdio: "inherit" });
  });

  it(`is under ${BUDGET_GZIP_BYTES / 1000} kB gzipped, JS and WebAssembly included (the Word writer: ${WORD_BUDGET_GZIP_BYTES / 1000} kB, on demand)`, () => {
    const manifest = JSON.parse(readFileSync(join(webDist, ".vite", "manifest.json"), "utf8")) as Record<string, ManifestChunk>;
    const word = wordWriterFiles(manifest);
    expect(word.size).toBeGreaterThan(0);
    // Loaded on demand only: no file of it is a static import of the page.
    const page = Object.values(manifest).find((c) => c.isEntry)!;
    for (const k of page.imports ?? []) expect(word.has(manifest[k]?.file ?? k)).toBe(false);
    const all = files(webDist).filter((f) => !relative(webDist, f).startsWith(".vite"));
    const sizes = all.map((f) => ({ file: relative(webDist, f).split("\\").join("/"), gzip: gzipSync(readFileSync(f), { level: 9 }).length }));
    const sum = (xs: typeof sizes) => xs.reduce((s, x) => s + x.gzip, 0);
    for (const k of page.imports ?? []) expect(isHighs(manifest[k]?.file ?? k)).toBe(false);
    expect(sizes.filter((s) => isHighs(s.file)).length, "the HiGHS solver is a separate, on-demand file").toBeGreaterThan(0);
    expect(sum(sizes.filter((s) => isHighs(s.file))), JSON.stringify(sizes)).toBeLessThan(HIGHS_BUDGET_GZIP_BYTES);
    const total = sum(sizes.filter((s) => !word.has(s.file) && !isHighs(s.file)));
    expect(sizes.some((s) => s.file.endsWith(".js"))).toBe(true);
    expect(total, JSON.stringify(sizes)).toBeLessThan(BUDGET_GZIP_BYTES);
    expect(sum(sizes.filter((s) => word.has(s.file))), JSON.stringify(sizes)).toBeLessThan(WORD_BUDGET_GZIP_BYTES);
  });

  it("embeds the kernels and loads no Node built-in", () => {
    const js = files(webDist).filter((f) => f.endsWith(".js")).map((f) => readFileSync(f, "utf8"));
    expect(js.some((s) => s.includes("AGFzbQ"))).toBe(true); // base64 of "\0asm"
    for (const s of js) {
      expect(s).not.toMatch(/from\s*["']node:|import\(\s*["']node:|require\(\s*["'](node:)?(fs|worker_threads|os|path|child_process)["']\)/);
    }
  });
});
