// Reads RTF back as a word processor would, enough for the tests of the RTF writer: its plain text, its
// table rows and whether its groups balance.

/** The plain text of an RTF fragment: \uN? escapes decoded, control words and group braces dropped. */
export function rtfPlain(rtf: string): string {
  return rtf
    .replace(/\\u(-?\d+)\?/g, (_, n) => String.fromCharCode(Number(n) < 0 ? Number(n) + 0x10000 : Number(n)))
    .replace(/\\([\\{}])/g, (_, c) => `\u0000${c.charCodeAt(0)}\u0000`)
    .replace(/\\[a-z]+-?\d* ?/g, "")
    .replace(/[{}\n]/g, "")
    .replace(/\u0000(\d+)\u0000/g, (_, c) => String.fromCharCode(Number(c)));
}

/** Each table row (\trowd ... \row): its \cellx boundaries, its cell definitions and its cells' text
 *  (superscripts as ^<...>). */
export function rtfRows(rtf: string): Array<{ edges: number[]; defs: string[]; cells: string[] }> {
  return rtf.split("\\trowd").slice(1).map((r) => {
    const [defs] = r.split("\\pard");
    const body = r.slice(defs.length).split("\\row")[0];
    return {
      edges: [...defs.matchAll(/\\cellx(\d+)/g)].map((m) => Number(m[1])),
      defs: defs.split(/\\cellx\d+/).slice(0, -1),
      cells: body.split("\\cell").slice(0, -1).map((c) => rtfPlain(c.replace(/\{\\super ([^}]*)\}/g, "^<$1>"))),
    };
  });
}

/** Whether every { has its } (escaped braces aside). */
export function rtfBalanced(rtf: string): boolean {
  let depth = 0;
  for (const ch of rtf.replace(/\\[\\{}]/g, "")) {
    if (ch === "{") depth++;
    if (ch === "}" && --depth < 0) return false;
  }
  return depth === 0;
}
