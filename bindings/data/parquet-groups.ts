// One row group of a Parquet file decoded into columns, for the parallel reader (parquet-parallel.ts): the
// same column builder as the whole-file reader (parquet.ts), over the group's rows only. Numbers go
// straight into the group's rows of one shared buffer per column; a column that holds text in this group
// comes back as codes into this group's own levels, which the merge renumbers (parquet-merge.ts).
//
// The file is read through `slice` one column chunk at a time (one read per chunk, exactly its bytes):
// reading whole groups at once would make the Parquet library copy each column's bytes out of the group's
// buffer, and fresh memory costs a page fault per 4 kB on first touch.
import type { FileMetaData } from "hyparquet";
import { ParquetColumnBuilder, parquetParsers } from "./parquet.js";

/** A file as the Parquet library reads it: its size and byte ranges (synchronous here). */
export interface ParquetFileSlices {
  readonly byteLength: number;
  slice(start: number, end?: number): ArrayBuffer;
}

/** One column of one group: numbers (already in the shared buffer) or text with the group's own levels. */
export type GroupColumn =
  | { readonly kind: "numeric" }
  | { readonly kind: "text"; readonly codes: Int32Array; readonly levels: readonly string[]; readonly firstText: { row: number; text: string } | null };

export interface GroupJob {
  /** Row group index, its first row in the file and its rows. */
  readonly group: number;
  readonly rowStart: number;
  readonly rows: number;
}

/** Where each group's first row is, from the footer. */
export function groupStarts(metadata: FileMetaData): number[] {
  const starts: number[] = [];
  let row = 0;
  for (const g of metadata.row_groups) {
    starts.push(row);
    row += Number(g.num_rows);
  }
  return starts;
}

/** Decodes one row group; `shared[j]` is column j's buffer over the whole file (names: the top-level columns). */
export async function readParquetGroup(file: ParquetFileSlices, metadata: FileMetaData, names: readonly string[], shared: readonly SharedArrayBuffer[], job: GroupJob): Promise<GroupColumn[]> {
  const [{ parquetRead }, { compressors }] = await Promise.all([import("hyparquet"), import("hyparquet-compressors")]);
  const builders = names.map((name, j) => new ParquetColumnBuilder(name, job.rows, new Float64Array(shared[j], job.rowStart * 8, job.rows)));
  const index = new Map(names.map((name, j) => [name, j]));
  for (const name of names) {
    await parquetRead({
      file,
      metadata,
      columns: [name],
      rowStart: job.rowStart,
      rowEnd: job.rowStart + job.rows,
      compressors,
      parsers: parquetParsers,
      onChunk: (chunk) => builders[index.get(chunk.columnName)!]?.chunk(chunk.columnData as ArrayLike<unknown>, chunk.rowStart - job.rowStart, chunk.rowEnd - job.rowStart),
    });
  }
  return builders.map((b): GroupColumn => {
    const c = b.finish();
    return c.kind === "numeric" ? { kind: "numeric" } : { kind: "text", codes: c.codes, levels: c.levels, firstText: c.firstText };
  });
}
