// The package as a consumer gets it: `npm pack` (without its prepack build: this test checks the current
// build, it does not redo it), installed into a fresh project. The tarball holds the build, the figure
// fonts, the README and the LICENSE and nothing of the sources; its package.json runs nothing on install (no prepare/install
// scripts: building happens before packing); installing it prints no npm warning of its own; and
// `npx didwasm --version` answers there.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FIGURE_FONT_FILES } from "../../bindings/present/figure-files-fonts.js";
import { VERSION } from "../../bindings/version.js";
import { missingOutputs } from "../../scripts/ensure-built.mjs";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const npm = process.platform === "win32" ? "npm.cmd" : "npm";


let work: string;
let tarball: string;
let files: string[];

beforeAll(() => {
  if (missingOutputs(root).length) execFileSync(npm, ["run", "build"], { cwd: root, stdio: "inherit" });
  work = mkdtempSync(join(tmpdir(), "didwasm-pack-"));
  const out = execFileSync(npm, ["pack", "--ignore-scripts", "--json", "--pack-destination", work], { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  const [info] = JSON.parse(out) as Array<{ filename: string; files: Array<{ path: string }> }>;
  tarball = join(work, info.filename);
  files = info.files.map((f) => f.path);
}, 120_000);
afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe("the packed package", () => {
  it("holds the build, the README and the MIT LICENSE, and none of the sources", () => {
    for (const f of ["package.json", "README.md", "LICENSE", "dist/cli/main.js", "dist/bindings/index.js", "dist/node/cli.js", "dist/node/didwasm.js", "dist/node/didwasm.core.js", "dist/node/didwasm.core.v8cache", "dist/node/cli-program.core.js", "dist/node/didwasm.simd.wasm", "dist/node/didwasm.scalar.wasm", "dist/node/didwasm.threads.wasm", "dist/bindings/index.d.ts", "dist/bindings/browser.d.ts", "dist/browser/didwasm.js"]) {
      expect(files, f).toContain(f);
    }
    expect(files.filter((f) => /^(test|web|assembly|bindings|cli|scripts|bench)\//.test(f))).toEqual([]);
    // The fonts PDF and PNG figures are drawn with (the CLI reads them from the package), with their licence.
    for (const f of [...Object.values(FIGURE_FONT_FILES), "LICENSE-NotoSansCJK.txt"]) expect(files, f).toContain(`fonts/${f}`);
    const license = readFileSync(join(root, "LICENSE"), "utf8");
    expect(license).toMatch(/^MIT License\n\nCopyright \(c\) \d{4} didwasm authors\n/);
    expect(JSON.parse(readFileSync(join(root, "package.json"), "utf8")).license).toBe("MIT");
  });

  it("runs nothing on a consumer's install: it is built before packing instead", () => {
    const scripts = JSON.parse(readFileSync(join(root, "package.json"), "utf8")).scripts as Record<string, string>;
    for (const s of ["prepare", "preinstall", "install", "postinstall"]) expect(scripts[s], s).toBeUndefined();
    expect(scripts.prepack).toBe("npm run build");
    // A fresh clone has no build: npm start builds it first.
    expect(scripts.start).toMatch(/^node scripts\/ensure-built\.mjs && /);
  });

  it("installs into a fresh project without warnings of its own, and `npx didwasm --version` answers", () => {
    const project = join(work, "consumer");
    mkdirSync(project);
    writeFileSync(join(project, "package.json"), JSON.stringify({ name: "consumer", version: "1.0.0", private: true }));
    const r = spawnSync(npm, ["install", "--no-audit", "--no-fund", "--prefer-offline", tarball], { cwd: project, encoding: "utf8" });
    expect(r.status, r.stderr).toBe(0);
    // No warning at all, engine warnings of dependencies included: docx is pinned to 9.7.1 because docx
    // 9.8+ depends on nanoid 6, which declares Node >= 22 while this package supports Node 20.
    const warnings = `${r.stdout}\n${r.stderr}`.split("\n").filter((l) => /^npm warn/i.test(l));
    expect(warnings).toEqual([]);
    const v = spawnSync(npm, ["exec", "--offline", "--", "didwasm", "--version"], { cwd: project, encoding: "utf8" });
    expect(v.status, v.stderr).toBe(0);
    expect(v.stdout.trim()).toBe(VERSION);
  }, 180_000);
});
