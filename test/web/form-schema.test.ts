// The web tool's form is derived from the commands' option schemas: each analysis offers exactly the options
// its command takes (minus the CLI-only switches and the options it refuses), with the schema's labels,
// required marks and choices; a field appears only when its option applies; the options the form sends are
// accepted by run(), and its command line is the CLI's.
import { describe, expect, it } from "vitest";
import { COMMAND_SPECS } from "../../bindings/commands/registry.js";
import { runCommandByName } from "../../bindings/commands/run.js";
import { generateSmartCity } from "../../bindings/data/demo/smart-city.js";
import { ANALYSES, commandLine, composeFormula, toOptions, visible } from "../../web/src/analyses.js";

describe("the web form follows the option schema", () => {
  it("each analysis offers its command's options, labelled and required as declared", () => {
    for (const a of ANALYSES) {
      const options = COMMAND_SPECS[a.command as keyof typeof COMMAND_SPECS].options as Record<string, any>;
      const offered = Object.keys(options).filter((k) => !options[k].cliAndRunOnly && !options[k].refused && !options[k].web?.hidden);
      expect(a.fields.filter((f) => !f.key.startsWith("_")).map((f) => f.key).sort(), a.command).toEqual(offered.sort());
      for (const f of a.fields.filter((x) => !x.key.startsWith("_"))) {
        expect(f.label).toBe(options[f.key].label);
        expect(f.required).toBe(options[f.key].required);
      }
    }
  });
  it("csdid offers controls, and the estimation method only once controls are chosen", () => {
    const csdid = ANALYSES.find((a) => a.command === "csdid")!;
    expect(csdid.fields.some((f) => f.key === "controls")).toBe(true);
    const method = csdid.fields.find((f) => f.key === "estMethod")!;
    expect(visible(method, {})).toBe(false);
    expect(visible(method, { controls: ["x1"] })).toBe(true);
  });
  it("fields appear when their option applies", () => {
    const placebo = ANALYSES.find((a) => a.command === "placebo")!;
    const field = (k: string) => placebo.fields.find((f) => f.key === k)!;
    expect(visible(field("variant"), { kind: "space" })).toBe(false);
    expect(visible(field("variant"), { kind: "mixed" })).toBe(true);
    expect(visible(field("shift"), { kind: "time" })).toBe(true);
    expect(visible(field("reps"), { kind: "time" })).toBe(false);
  });
  it("the options a filled form sends run, and its command line quotes names", async () => {
    const fit = ANALYSES.find((a) => a.command === "fit")!;
    const values = { _outcome: "ire", _regressors: ["did", "lngdp"], _fe: ["city", "year"], vcov: "cluster:city", maxIter: "50" };
    const formula = composeFormula(values);
    const options = toOptions(fit, { ...values, formula });
    expect(options).toEqual({ formula: "ire ~ did + lngdp | city + year", vcov: "cluster:city", maxIter: 50 });
    const j = await runCommandByName("fit", generateSmartCity(), options);
    expect(j.nobs).toBe(3976);
    expect(commandLine("fit", "smart city.csv", options)).toBe("npx didwasm fit 'smart city.csv' --formula 'ire ~ did + lngdp | city + year' --vcov cluster:city --max-iter 50");
    expect(composeFormula({ _outcome: "ln gdp", _regressors: ["ire-index"], _fe: [] })).toBe("`ln gdp` ~ `ire-index`");
  });
});
