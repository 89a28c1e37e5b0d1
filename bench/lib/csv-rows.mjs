// Writes a CSV file row by row through a fixed-size text buffer, so that generating a million-row data
// set neither builds one giant string nor issues a system call per row.
import { closeSync, openSync, renameSync, writeSync } from "node:fs";

const FLUSH_CHARS = 1 << 20;

/** Opens `file` for writing (through a temporary name, renamed on close, so an interrupted run never
 *  leaves a truncated file that a later run would reuse) and writes the header. */
export function csvRows(file, header) {
  const tmp = `${file}.partial`;
  const fd = openSync(tmp, "w");
  let buf = `${header.join(",")}\n`;
  return {
    /** Appends one row; cells are already formatted strings or numbers. */
    row(cells) {
      buf += `${cells.join(",")}\n`;
      if (buf.length >= FLUSH_CHARS) {
        writeSync(fd, buf);
        buf = "";
      }
    },
    close() {
      writeSync(fd, buf);
      closeSync(fd);
      renameSync(tmp, file);
    },
  };
}

/** Six decimals: well below the noise of every generated variable, and a third smaller file than
 *  shortest round-trip output; both readers (didwasm and data.table::fread) parse the same text. */
export const dec6 = (v) => v.toFixed(6);
