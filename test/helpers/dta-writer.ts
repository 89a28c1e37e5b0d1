// A minimal Stata format-118 writer for tests that need data too large to commit (numeric columns only:
// byte, int, long, float, double). Layout as in Stata's documentation (help dta); the fixtures checked by
// R haven are written by test/data/fixtures/make-dta.R, this is only for volume.
export type DtaNumericType = "byte" | "int" | "long" | "float" | "double";

export interface DtaColumn {
  readonly name: string;
  readonly type: DtaNumericType;
  /** NaN is written as Stata's system missing ".". */
  readonly values: ArrayLike<number>;
}

const CODE: Record<DtaNumericType, number> = { byte: 65530, int: 65529, long: 65528, float: 65527, double: 65526 };
const WIDTH: Record<DtaNumericType, number> = { byte: 1, int: 2, long: 4, float: 4, double: 8 };

export function writeDta118(columns: readonly DtaColumn[], little = true): Uint8Array {
  const K = columns.length;
  const N = columns[0].values.length;
  const enc = new TextEncoder();
  const parts: Uint8Array[] = [];
  const tag = (s: string) => parts.push(enc.encode(s));
  const bytes = (n: number, fill: (v: DataView) => void) => {
    const b = new Uint8Array(n);
    fill(new DataView(b.buffer));
    parts.push(b);
  };
  const fixed = (s: string, n: number) => bytes(n, (v) => enc.encode(s).forEach((x, i) => v.setUint8(i, x)));
  tag("<stata_dta><header><release>118</release><byteorder>" + (little ? "LSF" : "MSF") + "</byteorder><K>");
  bytes(2, (v) => v.setUint16(0, K, little));
  tag("</K><N>");
  bytes(8, (v) => v.setBigUint64(0, BigInt(N), little));
  tag("</N><label>");
  bytes(2, () => {});
  tag("</label><timestamp>");
  bytes(1, () => {});
  tag("</timestamp></header><map>");
  bytes(14 * 8, () => {}); // readers that follow the map need real offsets; didwasm reads sequentially
  tag("</map><variable_types>");
  for (const c of columns) bytes(2, (v) => v.setUint16(0, CODE[c.type], little));
  tag("</variable_types><varnames>");
  for (const c of columns) fixed(c.name, 129);
  tag("</varnames><sortlist>");
  bytes(2 * (K + 1), () => {});
  tag("</sortlist><formats>");
  for (const c of columns) fixed(c.type === "double" || c.type === "float" ? "%10.0g" : "%8.0g", 57);
  tag("</formats><value_label_names>");
  for (let j = 0; j < K; j++) fixed("", 129);
  tag("</value_label_names><variable_labels>");
  for (let j = 0; j < K; j++) fixed("", 321);
  tag("</variable_labels><characteristics></characteristics><data>");
  const width = columns.reduce((s, c) => s + WIDTH[c.type], 0);
  bytes(N * width, (v) => {
    let p = 0;
    for (let r = 0; r < N; r++) {
      for (const c of columns) {
        const x = c.values[r];
        const missing = Number.isNaN(x);
        switch (c.type) {
          case "byte": v.setInt8(p, missing ? 101 : x); break;
          case "int": v.setInt16(p, missing ? 32741 : x, little); break;
          case "long": v.setInt32(p, missing ? 2147483621 : x, little); break;
          case "float": if (missing) v.setUint32(p, 0x7f000000, little); else v.setFloat32(p, x, little); break;
          case "double": if (missing) v.setFloat64(p, 2 ** 1023, little); else v.setFloat64(p, x, little); break;
        }
        p += WIDTH[c.type];
      }
    }
  });
  tag("</data><strls></strls><value_labels></value_labels></stata_dta>");
  const out = new Uint8Array(parts.reduce((s, b) => s + b.length, 0));
  let at = 0;
  for (const b of parts) {
    out.set(b, at);
    at += b.length;
  }
  return out;
}
