// The report's data: read as every command reads it, and for a Stata .dta file with its labels too (variable
// and value labels), which the report uses where the spec has none (bindings/report/data-labels.ts).
import type { DtaInfo } from "../bindings/data/dta.js";
import { readDtaFileWithInfo } from "../bindings/data/dta-file.js";
import type { Frame } from "../bindings/data/frame.js";
import { preloadOptimisedKernels } from "../bindings/engine/node-compile.js";
import { readData } from "./io.js";

export async function readReportData(path: string): Promise<{ frame: Frame; dta: DtaInfo | null }> {
  if (!/\.dta$/i.test(path)) return { frame: (await readData(path)).frame, dta: null };
  const kernels = preloadOptimisedKernels();
  const { frame, info } = readDtaFileWithInfo(path, { name: path }); // streamed in blocks
  await kernels;
  return { frame, dta: info };
}
