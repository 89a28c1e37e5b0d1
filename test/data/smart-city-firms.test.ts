// The bundled demo panels: the listed-firm panel of the smart-city study (bindings/data/demo/smart-city-firms.ts)
// is deterministic, sits in the city panel's cities with their pilot status, and a firm and year fixed-effects
// regression recovers its known effect; the city panel's foreign-trade dependence `tra` is a share of GDP;
// and the CSVs the build writes into examples/ are the generators' output, byte for byte.
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { runCommandByName } from "../../bindings/commands/run.js";
import { csvRows } from "../../bindings/data/csv-write.js";
import { SMART_CITY_FIRMS, SMART_CITY_FIRM_EFFECT, generateSmartCityFirms } from "../../bindings/data/demo/smart-city-firms.js";
import { SMART_CITY_CITIES, generateSmartCity } from "../../bindings/data/demo/smart-city.js";
import type { ColumnData } from "../../bindings/data/columns.js";

const root = resolve(__dirname, "../..");
const firms = generateSmartCityFirms();
const city = generateSmartCity();
const csv = (d: ColumnData) => csvRows(d, 0, d[Object.keys(d)[0]].length);

describe("the listed-firm panel", () => {
  it("is deterministic: the same seed gives the same panel, another seed another", () => {
    expect(csv(generateSmartCityFirms())).toBe(csv(firms));
    expect(csv(generateSmartCityFirms(7))).not.toBe(csv(firms));
  });

  it("has 2,000 firms in the 284 cities, each city with at least one, and each firm-year the pilot status of its city", () => {
    const ids = new Set(Array.from(firms.firm as ArrayLike<number>));
    expect(ids.size).toBe(SMART_CITY_FIRMS);
    const cities = new Set(Array.from(firms.city as ArrayLike<number>));
    expect(cities.size).toBe(SMART_CITY_CITIES);
    const cityDid = new Map<string, number>();
    for (let r = 0; r < city.city.length; r++) cityDid.set(`${city.city[r]}:${city.year[r]}`, city.did[r] as number);
    for (let r = 0; r < firms.firm.length; r++) expect(firms.did[r]).toBe(cityDid.get(`${firms.city[r]}:${firms.year[r]}`));
    // Unbalanced as listed-firm panels are: some firms list during the panel.
    const rows = firms.firm.length;
    expect(rows).toBeGreaterThan(0.8 * SMART_CITY_FIRMS * 14);
    expect(rows).toBeLessThan(SMART_CITY_FIRMS * 14);
  });

  it("recovers its known effect with firm and year fixed effects (within three standard errors, clustered by city)", async () => {
    const fit = await runCommandByName("fit", firms, { formula: "subsidy ~ did + firm_size | firm + year", vcov: "cluster:city" });
    const did = (fit.coefficients as Array<{ term: string; estimate: number; std_error: number }>).find((c) => c.term === "did")!;
    expect(Math.abs(did.estimate - SMART_CITY_FIRM_EFFECT)).toBeLessThan(3 * did.std_error);
    expect(did.std_error).toBeLessThan(SMART_CITY_FIRM_EFFECT / 5); // precise enough to tell the effect from 0
  });
});

describe("the city panel's foreign-trade dependence", () => {
  it("is a plausible share of GDP: positive, mean between 0.2 and 0.4", () => {
    const tra = Array.from(city.tra as ArrayLike<number | null>).filter((v): v is number => v !== null);
    expect(tra.length).toBeGreaterThan(0.99 * city.tra.length);
    expect(Math.min(...tra)).toBeGreaterThan(0);
    const mean = tra.reduce((s, v) => s + v, 0) / tra.length;
    expect(mean).toBeGreaterThan(0.2);
    expect(mean).toBeLessThan(0.4);
  });
});

describe("the CSVs the build writes into examples/", () => {
  for (const [file, data] of [["smart-city.csv", city], ["smart-city-firms.csv", firms]] as const) {
    it(`examples/${file} is the generator's output (npm run build writes it)`, () => {
      const path = join(root, "examples", file);
      expect(existsSync(path), `${path} is made by npm run build`).toBe(true);
      expect(readFileSync(path, "utf8")).toBe(csv(data));
    });
  }
});
