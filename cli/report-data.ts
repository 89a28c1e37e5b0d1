// The report's data: read as every command reads it, and for a Stata .dta file with its labels too (variable
// and value labels), which the report uses where the spec has none (bindings/report/data-labels.ts).
import { readDtaWithInfo, type DtaInfo } from "../bindings/data/dta.js";
import type { Frame } from "../bindings/data/frame.js";
import { readWholeFile } from "../bindings/data/read-file.js";
import { preloadOptimisedKernels } from "../bindings/engine/node-compile.js";
import { readData } from "./io.js";

export async function readReportData(path: string): Promise<{ frame: Frame; dta: DtaInfo | null }> {
  if (!/\.dta$/i.test(path)) return { frame: (await readData(path)).frame, dta: null };
  const kernels = preloadOptimisedKernels();
  const { frame, info } = readDtaWithInfo(readWholeFile(path), { name: path });
  await kernels;
  return { frame, dta: info };
}
