// LibreOffice and pdftotext for the tests that open written documents (.docx, .rtf) as a reader would:
// the converter's name, and each PDF page's words with their boxes.
import { execFileSync } from "node:child_process";

/** The LibreOffice binary on the PATH (installed by .ci/run). */
export function soffice(): string {
  for (const name of ["soffice", "libreoffice"]) {
    try {
      execFileSync("which", [name], { stdio: "ignore" });
      return name;
    } catch {
      // try the next name
    }
  }
  throw new Error("LibreOffice is not installed: apt-get install -y libreoffice-writer-nogui poppler-utils (see .ci/run)");
}

/** Words of each page with their boxes, from pdftotext -bbox. */
export function pdfPages(pdf: string): Array<{ width: number; height: number; words: Array<{ text: string; xMin: number; xMax: number }> }> {
  const html = execFileSync("pdftotext", ["-bbox", pdf, "-"], { encoding: "utf8" });
  return html.split("<page ").slice(1).map((p) => ({
    width: Number(/width="([\d.]+)"/.exec(p)![1]),
    height: Number(/height="([\d.]+)"/.exec(p)![1]),
    words: [...p.matchAll(/<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)<\/word>/g)].map((m) => ({ xMin: Number(m[1]), xMax: Number(m[2]), text: m[3] })),
  }));
}
