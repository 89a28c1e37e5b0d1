// The built web tool (web/dist): its size budget (what the page and its worker load at start: JS + CSS +
// HTML, WebAssembly included since it is embedded in the JS, under 500 kB gzipped; each estimator's own
// code, loaded when its analysis first runs, has a small budget of its own) and no trace of Node built-ins in what browsers load. The Word
// writer (the docx library) is loaded only when a Word file is asked for: it has a budget of its own, and
// the page must not load it at start. So is the figure PDF writer (pdfkit, svg-to-pdfkit) with the fonts it
// embeds (web/src/figure-pdf.ts).
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { gzipSync } from "node:zlib";
import { execFileSync } from "node:child_process";
import { beforeAll, describe, expect, it } from "vitest";
import { root, webDist } from "./harness.js";

/** The budget for everything a browser downloads. */
const BUDGET_GZIP_BYTES = 500 * 1000;
/** One chunk loaded on demand (an estimator's own code, a file reader's decompressor), fetched on first use. */
const ANALYSIS_CHUNK_BUDGET_GZIP_BYTES = 100 * 1000;
/** The Word writer, fetched on the first Word download only. */
const WORD_BUDGET_GZIP_BYTES = 120 * 1000;
/** The HiGHS solver (its glue, for the page and for the worker, and its WebAssembly), fetched on the first
 *  smoothness-bound sensitivity analysis only (honestdid --delta sd). */
const HIGHS_BUDGET_GZIP_BYTES = 1300 * 1000;
const isHighs = (file: string) => /^assets\/highs-[\w-]+\.(js|wasm)$/.test(file);
/** The PDF writer's code, fetched on the first figure PDF only; and the two fonts it embeds (fonts/, 4.2 MB
 *  of TrueType inlined in a script: web/src/figure-fonts.ts). */
const PDF_BUDGET_GZIP_BYTES = 300 * 1000;
const FONTS_BUDGET_GZIP_BYTES = 3300 * 1000;

interface ManifestChunk {
  readonly file: string;
  readonly src?: string;
  readonly isEntry?: boolean;
  readonly imports?: readonly string[];
  readonly dynamicImports?: readonly string[];
}

/** The files of the Word writer: the dynamic entry of bindings/present/docx.ts and what it loads (or of
 *  another module loaded on demand). */
function wordWriterFiles(manifest: Record<string, ManifestChunk>, module = "bindings/present/docx.ts"): Set<string> {
  const start = Object.keys(manifest).find((k) => k.endsWith(module));
  // Chunks the page loads at start anyway (the bundler's runtime, shared helpers) are not the module's own.
  const atStart = pageStaticFiles(manifest);
  const out = new Set<string>();
  const visit = (key: string) => {
    const c = manifest[key];
    if (!c || c.isEntry || out.has(c.file) || atStart.has(c.file)) return;
    out.add(c.file);
    for (const k of [...(c.imports ?? []), ...(c.dynamicImports ?? [])]) visit(k);
  };
  if (start) visit(start);
  return out;
}

/** The files a browser loads to open the page and start its computation worker: the page's static closure
 *  (manifest), the worker scripts the page names and the chunks those import statically. */
function startFiles(manifest: Record<string, ManifestChunk>): Set<string> {
  const out = pageStaticFiles(manifest);
  const pending = [...out].filter((f) => f.endsWith(".js"));
  const staticImport = /(?:from|import)\s*["']\.\/([\w.-]+\.js)["']/g;
  const workerRef = /new Worker\(new URL\(new URL\(`([\w.-]+\.js)`/g;
  while (pending.length) {
    const f = pending.pop()!;
    const text = readFileSync(join(webDist, f), "utf8");
    const refs = [...text.matchAll(staticImport), ...text.matchAll(workerRef)].map((m) => `assets/${m[1]}`);
    for (const r of refs) if (!out.has(r) && existsSync(join(webDist, r))) (out.add(r), pending.push(r));
  }
  return out;
}

/** The files the page loads at start: its entry and everything statically imported from there. */
function pageStaticFiles(manifest: Record<string, ManifestChunk>): Set<string> {
  const out = new Set<string>();
  const visit = (key: string) => {
    const c = manifest[key];
    if (!c || out.has(c.file)) return;
    out.add(c.file);
    for (const k of c.imports ?? []) visit(k);
  };
  for (const [k, c] of Object.entries(manifest)) if (c.isEntry) visit(k);
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
    const pdf = wordWriterFiles(manifest, "bindings/present/figure-files-pdf.ts");
    expect(pdf.size, "the figure PDF writer is loaded on demand").toBeGreaterThan(0);
    for (const k of page.imports ?? []) expect(pdf.has(manifest[k]?.file ?? k)).toBe(false);
    const fonts = wordWriterFiles(manifest, "src/figure-fonts.ts");
    expect(fonts.size, "the figure fonts are loaded on demand").toBeGreaterThan(0);
    for (const k of page.imports ?? []) expect(fonts.has(manifest[k]?.file ?? k)).toBe(false);
    expect(sum(sizes.filter((s) => pdf.has(s.file))), JSON.stringify(sizes)).toBeLessThan(PDF_BUDGET_GZIP_BYTES);
    expect(sum(sizes.filter((s) => fonts.has(s.file))), JSON.stringify(sizes)).toBeLessThan(FONTS_BUDGET_GZIP_BYTES);
    // What a browser downloads to open the page and run its first analysis: the page, its worker and their
    // static imports. Each estimator's own code is a chunk loaded when that analysis first runs: each has a
    // budget of its own, and everything else together stays well under the page's.
    const start = startFiles(manifest);
    const onDemand = (f: string) => word.has(f) || isHighs(f) || pdf.has(f) || fonts.has(f);
    const total = sum(sizes.filter((s) => start.has(s.file) || !s.file.startsWith("assets/") || s.file.endsWith(".css")));
    expect(sizes.some((s) => s.file.endsWith(".js"))).toBe(true);
    expect(total, JSON.stringify(sizes.filter((s) => start.has(s.file)))).toBeLessThan(BUDGET_GZIP_BYTES);
    const lazy = sizes.filter((s) => s.file.startsWith("assets/") && s.file.endsWith(".js") && !start.has(s.file) && !onDemand(s.file));
    for (const c of lazy) expect(c.gzip, c.file).toBeLessThan(ANALYSIS_CHUNK_BUDGET_GZIP_BYTES);
    expect(sum(lazy), JSON.stringify(lazy)).toBeLessThan(BUDGET_GZIP_BYTES);
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
