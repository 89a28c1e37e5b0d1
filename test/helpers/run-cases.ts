// One call of every command through run(options) and through the CLI (the same choices as flags); the
// Node tests and the browser tests both check that the two give the same --json object.
import { join } from "node:path";
import { conformanceDir } from "./conformance.js";

const mpdta = join(conformanceDir, "data", "mpdta.csv");
const castle = join(conformanceDir, "data", "castle.csv");
const city = join(__dirname, "..", "..", "examples", "smart-city.csv");

export const RUN_CASES: ReadonlyArray<[command: string, file: string, options: Record<string, unknown>, flags: string[]]> = [
  ["fit", castle, { formula: "l_homicide ~ post + l_pop | sid + year", vcov: "cluster:sid" }, ["--formula", "l_homicide ~ post + l_pop | sid + year", "--vcov", "cluster:sid"]],
  ["eventstudy", mpdta, { y: "lemp", unit: "countyreal", time: "year", cohort: "first_treat", bin: 3, ref: -1 }, ["--y", "lemp", "--unit", "countyreal", "--time", "year", "--cohort", "first_treat", "--bin", "3", "--ref", "-1"]],
  ["bacon", castle, { y: "l_homicide", unit: "state", time: "year", treat: "post", controls: ["l_pop"] }, ["--y", "l_homicide", "--unit", "state", "--time", "year", "--treat", "post", "--controls", "l_pop"]],
  ["did2s", mpdta, { y: "lemp", unit: "countyreal", time: "year", treat: "treat_post", event: true, cohort: "first_treat" }, ["--y", "lemp", "--unit", "countyreal", "--time", "year", "--treat", "treat_post", "--event", "--cohort", "first_treat"]],
  ["sunab", mpdta, { y: "lemp", unit: "countyreal", time: "year", cohort: "first_treat" }, ["--y", "lemp", "--unit", "countyreal", "--time", "year", "--cohort", "first_treat"]],
  ["csdid", mpdta, { y: "lemp", unit: "countyreal", time: "year", cohort: "first_treat", controlGroup: "notyet", bootstrap: 99, seed: 4 }, ["--y", "lemp", "--unit", "countyreal", "--time", "year", "--cohort", "first_treat", "--control-group", "notyet", "--bootstrap", "99", "--seed", "4"]],
  ["placebo", city, { formula: "ire ~ did + lngdp | city + year", treat: "did", unit: "city", time: "year", kind: "mixed", variant: 2, reps: 50, seed: 9 }, ["--formula", "ire ~ did + lngdp | city + year", "--treat", "did", "--unit", "city", "--time", "year", "--kind", "mixed", "--variant", "2", "--reps", "50", "--seed", "9"]],
  ["bdiff", city, { formula: "ire ~ did + lngdp | city + year", group: "east", coef: "did", reps: 20, seed: 9, clusterLevel: "city" }, ["--formula", "ire ~ did + lngdp | city + year", "--group", "east", "--coef", "did", "--reps", "20", "--seed", "9", "--cluster-level", "city"]],
];
