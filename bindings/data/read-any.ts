// One entry for every data format, from bytes (browser-safe): the format is recognised as format.ts says
// (first bytes, else the file name's extension, else CSV). The same model specification then runs on a
// Frame from any of them.
import { DidwasmError } from "../errors.js";
import { bytesSource, parseCsv, type CsvOptions } from "./csv.js";
import { delimiterByte } from "./delimiter.js";
import { readDta } from "./dta.js";
import type { Frame } from "./frame.js";
import { detectFormat, type DataFormat } from "./format.js";
import { readParquet } from "./parquet.js";

export { detectFormat, type DataFormat } from "./format.js";

export interface ReadDataOptions extends CsvOptions {
  /** Skip detection and read as this format. */
  readonly format?: DataFormat;
  /** File name, for the extension and for error messages. */
  readonly name?: string;
  /** Stata value-labelled columns as label texts (default) or as their numeric codes. */
  readonly labels?: "text" | "codes";
}

/** A separator means something only to CSV: with another format it would be ignored, so it is refused
 *  (read-data-file.ts asks before reading a whole Parquet or .dta file). */
export function refuseDelimiterFor(format: DataFormat, options: ReadDataOptions): void {
  if (options.delimiter !== undefined && format !== "csv") {
    throw new DidwasmError("BAD_OPTION", `--delimiter applies to CSV files; ${options.name ?? "the data"} is ${format === "dta" ? "a Stata .dta" : "a Parquet"} file`, { option: "--delimiter" });
  }
}

/** A Frame from a whole file's bytes, in whichever supported format they are. */
export async function readDataBytes(input: Uint8Array | ArrayBuffer, options: ReadDataOptions = {}): Promise<Frame> {
  delimiterByte(options.delimiter); // refused whatever the format, as the same option given to a CSV would be
  const bytes = input instanceof Uint8Array ? input : new Uint8Array(input);
  const format = options.format ?? detectFormat(bytes, options.name);
  refuseDelimiterFor(format, options);
  switch (format) {
    case "parquet":
      return readParquet(bytes, { name: options.name });
    case "dta":
      return readDta(bytes, { name: options.name, labels: options.labels });
    case "csv":
      return parseCsv(options.name ? bytesSource(bytes, options.name) : bytes, { delimiter: options.delimiter });
  }
  throw new DidwasmError("BAD_OPTION", `unknown data format "${String(format)}" (csv, parquet or dta)`);
}
