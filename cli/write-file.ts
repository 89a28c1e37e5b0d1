// Writing the CLI's output files (--plot, --out) with clear errors: the path's extension must be one a
// writer handles, and a path that is a directory or a special file is refused before anything is computed.
import { statSync, writeFileSync } from "node:fs";
import { DidwasmError } from "../bindings/errors.js";

/** Refuses a destination that cannot be a regular file we may (over)write. */
export function checkWritable(path: string, option: string): void {
  let st;
  try {
    st = statSync(path);
  } catch {
    return; // a new file: its folder is checked when writing
  }
  if (st.isDirectory()) throw new DidwasmError("BAD_OPTION", `${option} ${path} is a directory; give a file name`, { option });
  if (!st.isFile()) throw new DidwasmError("BAD_OPTION", `${option} ${path} is not a regular file (a device, pipe or special file); give a file name`, { option });
}

/** The lower-case extension of a path ("" when it has none). */
export const extensionOf = (path: string) => /\.([A-Za-z0-9]+)$/.exec(path)?.[1]?.toLowerCase() ?? "";

/** Writes text (as UTF-8) or bytes; a failure names the file and why. */
export function writeFile(path: string, content: string | Uint8Array, what: string): void {
  try {
    writeFileSync(path, content);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === "ENOENT" ? "its folder does not exist" : code === "EACCES" || code === "EPERM" ? "permission denied" : code === "EISDIR" ? "it is a directory" : (e as Error).message;
    throw new DidwasmError("FILE_UNREADABLE", `cannot write the ${what} to ${path}: ${why}`, { path });
  }
}
