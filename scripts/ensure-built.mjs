#!/usr/bin/env node
// Builds the package when its build output is missing, so `npm install && npm start` works from a fresh
// clone. The build used to run on install (a `prepare` script), which also ran, and warned, in every
// consumer's install; now it runs before packing (`prepack`) and, in a clone, here on first use.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

/** What `npm run build` makes and `npm start` / `npm run web` use. */
export const BUILD_OUTPUTS = ["dist/cli/main.js", "dist/bindings/index.js", "dist/node/cli.js", "dist/node/didwasm.js", "dist/browser/didwasm.js", "web/dist/index.html", "examples/smart-city.csv", "examples/smart-city-firms.csv"];

export function missingOutputs(dir = root) {
  return BUILD_OUTPUTS.filter((f) => !existsSync(join(dir, f)));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const missing = missingOutputs();
  if (missing.length) {
    console.error(`didwasm: building first (missing ${missing.join(", ")})`);
    // Through the npm that runs this script when there is one (npm start), else the npm on the PATH.
    const npm = process.env.npm_execpath;
    const r = npm && /\.(c?js|mjs)$/.test(npm)
      ? spawnSync(process.execPath, [npm, "run", "build"], { cwd: root, stdio: "inherit" })
      : spawnSync("npm", ["run", "build"], { cwd: root, stdio: "inherit", shell: process.platform === "win32" });
    if (r.status !== 0) process.exit(r.status ?? 1);
  }
}
