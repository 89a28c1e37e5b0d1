// The built web tool (web/dist): its size budget (JS + CSS + HTML, WebAssembly included since it is
// embedded in the JS, under 500 kB gzipped) and no trace of Node built-ins in what browsers load.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { gzipSync } from "node:zlib";
import { execFileSync } from "node:child_process";
import { beforeAll, describe, expect, it } from "vitest";
import { root, webDist } from "./harness.js";

/** The budget for everything a browser downloads. */
const BUDGET_GZIP_BYTES = 500 * 1000;

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

  it(`is under ${BUDGET_GZIP_BYTES / 1000} kB gzipped, JS and WebAssembly included`, () => {
    const all = files(webDist);
    const sizes = all.map((f) => ({ file: relative(webDist, f), gzip: gzipSync(readFileSync(f), { level: 9 }).length }));
    const total = sizes.reduce((s, x) => s + x.gzip, 0);
    expect(sizes.some((s) => s.file.endsWith(".js"))).toBe(true);
    expect(total, JSON.stringify(sizes)).toBeLessThan(BUDGET_GZIP_BYTES);
  });

  it("embeds the kernels and loads no Node built-in", () => {
    const js = files(webDist).filter((f) => f.endsWith(".js")).map((f) => readFileSync(f, "utf8"));
    expect(js.some((s) => s.includes("AGFzbQ"))).toBe(true); // base64 of "\0asm"
    for (const s of js) {
      expect(s).not.toMatch(/from\s*["']node:|import\(\s*["']node:|require\(\s*["'](node:)?(fs|worker_threads|os|path|child_process)["']\)/);
    }
  });
});
