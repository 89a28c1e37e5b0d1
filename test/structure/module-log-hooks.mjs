// Module hooks for start-modules.test.ts: appends the URL of every module the process loads (ES modules,
// CommonJS modules loaded through import, node: built-ins) to the file DIDWASM_MODULE_LOG names.
import { appendFileSync } from "node:fs";

export async function load(url, context, next) {
  appendFileSync(process.env.DIDWASM_MODULE_LOG, `${url}\n`);
  return next(url, context);
}
