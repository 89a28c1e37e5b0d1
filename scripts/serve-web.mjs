#!/usr/bin/env node
// A tiny static server for the built web tool (web/dist), on localhost only; no dependencies.
// Usage: node scripts/serve-web.mjs [--port 8080] [--root web/dist]. Also imported by the browser tests
// (startServer), which may mount extra folders (e.g. the conformance data) under URL prefixes. Pages are
// cross-origin isolated (COOP/COEP headers) so that estimations can use every core.
import { createReadStream, existsSync, statSync } from "node:fs";
import { createServer } from "node:http";
import { dirname, extname, join, normalize, resolve, sep } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".svg": "image/svg+xml",
  ".wasm": "application/wasm",
  ".csv": "text/csv; charset=utf-8",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".txt": "text/plain; charset=utf-8",
};

/** The file under `root` a URL path names, or null when it escapes root or does not exist. */
function fileFor(root, urlPath) {
  let p = decodeURIComponent(urlPath.split("?")[0]);
  if (p.endsWith("/")) p += "index.html";
  const full = normalize(join(root, p));
  if (full !== root && !full.startsWith(root + sep)) return null;
  return existsSync(full) && statSync(full).isFile() ? full : null;
}

/**
 * Starts serving. `mounts` maps URL prefixes ("/data/") to folders; everything else comes from `root`.
 * Resolves to { url, port, close() }. Port 0 picks a free port.
 */
export function startServer({ root = join(here, "..", "web", "dist"), port = 8080, host = "127.0.0.1", mounts = {}, isolated = true } = {}) {
  const base = resolve(root);
  const extra = Object.entries(mounts).map(([prefix, dir]) => [prefix, resolve(dir)]);
  const server = createServer((req, res) => {
    const url = req.url ?? "/";
    let file = null;
    const mount = extra.find(([prefix]) => url.startsWith(prefix));
    if (mount) file = fileFor(mount[1], url.slice(mount[0].length - 1));
    else file = fileFor(base, url);
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.writeHead(405).end();
      return;
    }
    if (!file) {
      res.writeHead(404, { "content-type": "text/plain; charset=utf-8" }).end(`not found: ${url}\n`);
      return;
    }
    res.writeHead(200, {
      "content-type": TYPES[extname(file)] ?? "application/octet-stream",
      "cache-control": "no-cache",
      "x-content-type-options": "nosniff",
      // Cross-origin isolation: the page gets SharedArrayBuffer, so fits use kernel threads on every core
      // (bindings/engine/threads/spawn-browser.ts). `isolated: false` serves a page without it (tests of the
      // one-thread fallback).
      ...(isolated ? { "cross-origin-opener-policy": "same-origin", "cross-origin-embedder-policy": "require-corp" } : {}),
    });
    if (req.method === "HEAD") res.end();
    else createReadStream(file).pipe(res);
  });
  return new Promise((resolvePromise, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      const actual = server.address().port;
      resolvePromise({
        port: actual,
        url: `http://${host}:${actual}/`,
        close: () => new Promise((r) => server.close(() => r())),
      });
    });
  });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const argv = process.argv.slice(2);
  const opt = (name, dflt) => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : dflt;
  };
  const root = resolve(opt("--root", join(here, "..", "web", "dist")));
  if (!existsSync(join(root, "index.html"))) {
    console.error(`didwasm web: ${root}/index.html not found; run \`npm run build\` first`);
    process.exit(1);
  }
  try {
    const s = await startServer({ root, port: Number(opt("--port", process.env.PORT ?? 8080)) });
    console.log(`didwasm web tool: ${s.url}  (serving ${root}; Ctrl+C to stop)`);
  } catch (e) {
    console.error(`didwasm web: cannot listen: ${e.message}${e.code === "EADDRINUSE" ? " (try --port 0 or another port)" : ""}`);
    process.exit(1);
  }
}
