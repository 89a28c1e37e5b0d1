// didwasm table FIT1.json FIT2.json ... : a regression table from saved --json outputs, one column per model.
// Its options are declared once, in bindings/commands/table.ts.
import type { Command } from "commander";
import { tableFromJson, tableOptions } from "../../bindings/commands/table.js";
import { opt } from "../../bindings/commands/schema/define.js";
import { flagName, parseOptions } from "../../bindings/commands/schema/parse.js";
import { tablesToDocx } from "../../bindings/present/docx.js";
import type { Io } from "../io.js";
import { addOptions, splitRaw } from "../register.js";
import { readJsonFile, readLabelsOption, tableOutputFormat } from "../table-io.js";
import { checkWritable, writeFile } from "../write-file.js";

const fileOptions = {
  diffP: opt.texts({ label: "Group-difference file", help: "a group-difference p-value row from bdiff's --json (repeatable)", valueName: "bdiff.json" }),
  out: opt.path({ label: "Output file", help: "write the table to this file instead of printing it (.txt, .md, .tex, .html, .csv, .rtf, .docx)" }),
};

export function registerTable(program: Command, io: Io): void {
  const cmd = program
    .command("table")
    .description("regression table from saved --json outputs of fit, eventstudy, did2s, sunab (one column per model)")
    .argument("<files...>", "JSON files written by `didwasm <command> ... --json`")
    .addHelpText("after", '\nExample:\n  didwasm table m1.json m2.json --keep did --fe-labels "Yes,No" --format latex --out table.tex\n');
  addOptions(cmd, tableOptions);
  addOptions(cmd, fileOptions);
  cmd.action(async (files: string[], raw: Record<string, unknown>) => {
    const { mine, rest } = splitRaw(raw, fileOptions);
    const f = parseOptions(fileOptions, mine, flagName).values;
    if (f.out !== undefined) checkWritable(f.out, "--out");
    const options = readLabelsOption(tableOutputFormat({ ...rest, out: f.out }));
    delete options.out;
    const models = files.map((p) => readJsonFile(p, "model file"));
    const diffs = (f.diffP ?? []).map((p) => readJsonFile(p, "--diff-p file"));
    const { text, format, table } = tableFromJson(models, options, diffs, flagName);
    if (format === "docx") writeFile(f.out!, await tablesToDocx([{ table }]), "Word table");
    else if (f.out !== undefined) writeFile(f.out, text, "table");
    else io.out(text);
  });
}
