// Makes the fonts that PDF and PNG figures embed (fonts/NotoSansCJKsc-{Regular,Bold}.subset.ttf): Noto Sans
// CJK SC (SIL Open Font License 1.1) cut down to the characters a figure label plausibly holds, so that the
// package carries 3 MB of fonts rather than 40 MB. The whole of GB2312 (6,763 hanzi and its symbols), Latin
// with Latin-1 and Extended-A, Greek, general punctuation, super- and subscripts, arrows, mathematical
// operators, CJK punctuation and full-width forms. Characters outside it render as a missing-glyph box.
// The subset is then given TrueType outlines (scripts/cff-to-truetype.py), which pdfkit subsets 100x faster.
//
// Run by hand when the character set changes (the outputs are committed), on Debian with
//   apt-get install -y fonttools fonts-noto-cjk
//   node scripts/subset-fonts.mjs
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const out = join(root, "fonts");
const source = (weight) => `/usr/share/fonts/opentype/noto/NotoSansCJK-${weight}.ttc`;
/** Index of the Simplified Chinese face in Debian's NotoSansCJK-*.ttc (JP, KR, SC, TC, HK, then Mono). */
const SC_FACE = 2;

/** GB2312's characters: rows 0xA1-0xA9 (symbols, kana, Greek, Cyrillic, box drawing) and 0xB0-0xF7 (hanzi),
 *  decoded with the GBK decoder, which maps GB2312's area identically. User-defined (private-use) cells
 *  and unassigned ones are left out. */
function gb2312CodePoints() {
  const gbk = new TextDecoder("gbk");
  const rows = [];
  for (let r = 0xa1; r <= 0xa9; r++) rows.push(r);
  for (let r = 0xb0; r <= 0xf7; r++) rows.push(r);
  const cps = new Set();
  for (const r of rows) {
    for (let c = 0xa1; c <= 0xfe; c++) {
      const s = gbk.decode(new Uint8Array([r, c]));
      const cp = s.codePointAt(0);
      if (s.length === 1 && cp !== 0xfffd && !(cp >= 0xe000 && cp <= 0xf8ff)) cps.add(cp);
    }
  }
  return [...cps].sort((a, b) => a - b);
}

const RANGES = [
  "U+20-7E", "U+A0-17F", "U+370-3FF", "U+2000-206F", "U+2070-209F", "U+2100-214F", "U+2190-21FF", "U+2200-22FF", "U+25A0-25FF", "U+3000-303F", "U+FF00-FFEF",
].join(",");

mkdirSync(out, { recursive: true });
const list = join(out, ".gb2312-unicodes.txt");
writeFileSync(list, gb2312CodePoints().map((c) => `U+${c.toString(16)}`).join(","));
try {
  for (const weight of ["Regular", "Bold"]) {
    const cff = join(out, `.NotoSansCJKsc-${weight}.subset.otf`);
    const file = join(out, `NotoSansCJKsc-${weight}.subset.ttf`);
    // No hinting (figures are rendered at 300 dpi or as vectors); kerning and ligatures kept.
    execFileSync("pyftsubset", [
      source(weight), `--font-number=${SC_FACE}`, `--unicodes-file=${list}`, `--unicodes=${RANGES}`, "--no-hinting", "--layout-features=kern,liga", `--output-file=${cff}`,
    ], { stdio: "inherit" });
    // Debian's python3, which has fonttools (a pyenv python on PATH may not).
    execFileSync(existsSync("/usr/bin/python3") ? "/usr/bin/python3" : "python3", [join(root, "scripts", "cff-to-truetype.py"), cff, file], { stdio: "inherit" });
    rmSync(cff);
    console.log(`${file}: ${readFileSync(file).length.toLocaleString("en-US")} bytes`);
  }
} finally {
  rmSync(list, { force: true });
}
