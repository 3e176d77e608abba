// `npm start`: the demo on the bundled sample. Builds the warehouse from sample/inbox, fills the
// bundled template for plan year 2024, starts the API and the task pane, and says where all is —
// in words for a person: the sample's deliberate cases said as such, rows by their labels.
import { mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { configPath, loadConfig } from "../core/config.js";
import { HIERARCHY } from "../core/hierarchy.js";
import { say, sayError } from "../core/terminal.js";
import { runLoad, printReport, appendRunLog, provinceLine } from "../etl/commands.js";
import { fillCommand } from "../fill/command.js";
import type { FillReport } from "../fill/fill.js";
import { busyPort, portFree, serveCommand } from "../api/serve-command.js";
import { buildPane } from "../addin/build.js";
import { Refusal } from "../core/exit.js";
import { stopWhenOrphaned } from "./orphan.js";

stopWhenOrphaned();
// A failure of the demo is one line (the stack with PHULUC_DEBUG=1), like every command's.
const fail = (e: unknown) => {
  if (process.env.PHULUC_DEBUG) console.error(e);
  else sayError(`phuluc: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
};
process.on("uncaughtException", fail);
process.on("unhandledRejection", fail);
const root = resolve(import.meta.dirname, "..");
const out = join(root, "out", "demo");
const db = join(out, "phuluc.duckdb");
const inbox = join(root, "sample", "inbox");
const template = join(root, "sample", "template.xlsx");
const filled = join(out, "phu-luc-2024.xlsx");
// The demo keeps its own configuration: the sample's province (PHULUC_CONFIG still wins).
const configFile = process.env.PHULUC_CONFIG ? configPath() : join(root, "sample", "phuluc.config.json");
const config = loadConfig(configFile);
const host = process.env.HOST ?? "127.0.0.1";
const port = process.env.PORT ? Number(process.env.PORT) : 3000;

/**
 * The sample's deliberate reconciliation difference (sample/README.md, "Reconciliation"): row 12
 * of PL02 holds 300 reserved for district tasks not yet chosen.
 */
const DELIBERATE = [{ form: "pl02", row: "12", difference: "300", why: "300 triệu đồng kept for district tasks not yet chosen (the budget sheet's Ghi chú says so)" }];
const lineLabel = (code: string) => HIERARCHY.find((l) => l.code === code)?.label;

function printFill(r: FillReport): void {
  for (const f of r.forms) {
    const name = f.form.toUpperCase();
    if (f.status !== "found") say(`   ${name}: ${f.status === "ambiguous" ? "more than one sheet could be it" : "not found in the template"}`);
    else {
      const added = f.rowsAdded.length ? `, ${f.rowsAdded.length} rows added for tasks or indicators the template did not list` : "";
      say(`   ${name} (sheet "${f.sheet}"): ${f.cellsWritten} cells written${added}`);
    }
  }
  const arithmetic = r.rulesBroken.arithmetic.length;
  say(arithmetic ? `   Arithmetic rules: ${arithmetic} broken — see \`npx phuluc fill --db ${db} --year 2024 --template ${template} --check\`` : "   Arithmetic rules: all hold");
  for (const x of r.rulesBroken.reconciliation) {
    const d = (x.problem?.data?.difference as string | undefined) ?? "";
    const known = DELIBERATE.find((k) => k.form === x.form && k.row === x.rowKey && k.difference === d);
    const label = lineLabel(x.rowKey);
    const row = label ? `row ${x.rowKey} "${label}"` : `row ${x.rowKey}`;
    say(`   Reconciliation: ${x.form.toUpperCase()} ${row}: the budget lines say ${x.actual}, the tasks add up to ${x.expected} (difference ${d}).`);
    say(known ? `     A deliberate case of the sample: ${known.why}. A fill reports it and never hides it.` : "     Not one of the sample's deliberate cases: look at the offices' files.");
  }
}

say(`phuluc demo — the bundled sample, plan year 2024`);
say(provinceLine(config, configFile));
if (!(await portFree(port, host))) {
  // Said before the load, not after it: the next step needs the port.
  sayError(`phuluc: ${busyPort(port, host, "PORT=<n> npm start").message}`);
  process.exit(1);
}

say("");
say(`1. ETL: ${inbox} → ${db}`);
mkdirSync(out, { recursive: true });
const report = await runLoad({ inbox, db, config, quiet: true });
printReport(report, (s) => say("   " + s), 15);
appendRunLog(db, report);
if (report.outcome === "rejected") {
  sayError("The sample inbox was rejected: see the problems above.");
  process.exit(1);
}
if (report.problems.some((p) => p.severity === "warning")) {
  say("   The warnings are deliberate cases of the sample (a hidden row, a task without sources, fields to map): sample/README.md lists them.");
}

say("");
say(`2. Fill: ${template} → ${filled}`);
let fillReport: FillReport | null = null;
const fillCode = await fillCommand(
  { db, year: 2024, template, out: filled, form: [], json: true },
  { log: (s) => (fillReport = JSON.parse(s) as FillReport), err: (s) => sayError("   " + s) },
);
if (fillReport) printFill(fillReport);
say(fillCode === 0 ? `   Filled workbook: ${filled}` : `   The fill ended with exit code ${fillCode}: see above.`);

// Since 1 July 2025 Long An and Tây Ninh are one province (Tây Ninh, code 80): the merged
// department's inbox holds a folder per former province, and its 2026 plan sums their figures.
const tn = join(root, "sample", "tay-ninh");
const tnDb = join(out, "tay-ninh.duckdb");
const tnFilled = join(out, "phu-luc-2026-tay-ninh.xlsx");
const tnConfigFile = join(tn, "phuluc.config.json");
const tnConfig = loadConfig(tnConfigFile);
say("");
say(`2b. The merged ${tnConfig.province.name} (${tnConfig.province.code}), plan year 2026: ${join(tn, "inbox")} → ${tnDb}`);
say("   " + provinceLine(tnConfig, tnConfigFile));
const tnReport = await runLoad({ inbox: join(tn, "inbox"), db: tnDb, config: tnConfig, quiet: true });
appendRunLog(tnDb, tnReport);
if (tnReport.outcome === "rejected") {
  printReport(tnReport, (s) => say("   " + s), 15);
  process.exit(1);
}
const tnCode = await fillCommand(
  { db: tnDb, year: 2026, template: join(tn, "template.xlsx"), out: tnFilled, form: [], json: true },
  { log: () => {}, err: (s) => sayError("   " + s) },
);
say(tnCode === 0
  ? `   Filled workbook: ${tnFilled} (its N-2 and N-1 columns are the two former provinces' sums: sample/tay-ninh/README.md)`
  : `   The fill ended with exit code ${tnCode}: see above.`);
say("");
say(`Analysts: npx phuluc query --db ${db} -e "select * from pl02(2024)"  (--format xlsx --out pl02.xlsx for Excel)`);

// The demo runs without network: the pane is built with the office.js copy from the npm package
// (a deployment for Excel loads office.js from Office's CDN: `npm run build`, `npm run addin`).
const pane = await buildPane({ officeJs: "local" });
const url = `http://${host.includes(":") ? `[${host}]` : host}:${port}/`;
say("");
say(`3. Server: open ${url} in a browser for the preview of the task pane; for Excel run \`npm run addin\`. Ctrl+C stops it.`);
try {
  process.exitCode = await serveCommand({ db, host, port, paneDir: pane.outDir });
} catch (e) {
  if (!(e instanceof Refusal)) throw e;
  sayError(`phuluc: ${e.message}`);
  process.exitCode = 1;
}
