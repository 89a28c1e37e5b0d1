// Word (.docx) downloads: a table model (bindings/present/tables/model.ts) written by the library's Word
// writer (bindings/present/docx.ts, the one `didwasm table --format docx` uses). The writer and the docx
// library are loaded only when a Word file is asked for, so the page does not download them otherwise.
import type { Table } from "../../bindings/present/tables/model.js";

export const DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

/** The table as a Word document's bytes. */
export async function wordDocument(table: Table, title?: string): Promise<Blob> {
  const { tablesToDocx } = await import("../../bindings/present/docx.js");
  const bytes = await tablesToDocx([{ table }], title ? { title } : {});
  return new Blob([bytes as BlobPart], { type: DOCX_TYPE });
}
