// `npm start`: the demo on the bundled sample. Builds the warehouse from sample/inbox, fills the
// bundled template for plan year 2024 (and the merged Tây Ninh's for 2026, sample/tay-ninh),
// starts the API and the task pane, and says where all is.
import { mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { loadConfig } from "../core/config.js";
import { runLoad, printReport, appendRunLog } from "../etl/commands.js";
import { fillCommand } from "../addin/xlsx/fill-command.js";
import { serveCommand } from "../api/serve-command.js";
import { buildPane } from "../scripts/build-pane.js";

const root = resolve(import.meta.dirname, "..");
const out = join(root, "out", "demo");
mkdirSync(out, { recursive: true });
const db = join(out, "phuluc.duckdb");
const inbox = join(root, "sample", "inbox");
const template = join(root, "sample", "template.xlsx");
const filled = join(out, "phu-luc-2024.xlsx");
const config = loadConfig(process.env.PHULUC_CONFIG ?? join(root, "sample", "phuluc.config.json"));

console.log(`phuluc demo — ${config.province.name} (${config.province.code}), plan year 2024\n`);
console.log(`1. ETL: ${inbox} → ${db}`);
const report = await runLoad({ inbox, db, config, quiet: true });
printReport(report, (s) => console.log("   " + s), 15);
appendRunLog(db, report);
if (report.outcome === "rejected") {
  console.error("The sample inbox was rejected: see the problems above.");
  process.exit(1);
}

console.log(`\n2. Fill: ${template} → ${filled}`);
const fillCode = await fillCommand({ db, year: 2024, template, out: filled, form: [] });
console.log(`   (fill exit code ${fillCode})`);

console.log(`   Filled workbook: ${filled}`);

// Since 1 July 2025 Long An and Tây Ninh are one province (Tây Ninh, code 80): the merged
// department's inbox holds a folder per former province; its 2026 plan sums their figures.
const tn = join(root, "sample", "tay-ninh");
const tnDb = join(out, "tay-ninh.duckdb");
const tnFilled = join(out, "phu-luc-2026-tay-ninh.xlsx");
const tnConfig = loadConfig(join(tn, "phuluc.config.json"));
console.log(`\n   ${tnConfig.province.name} (${tnConfig.province.code}, merged), plan year 2026: ${join(tn, "inbox")} → ${tnDb}`);
const tnReport = await runLoad({ inbox: join(tn, "inbox"), db: tnDb, config: tnConfig, quiet: true });
appendRunLog(tnDb, tnReport);
if (tnReport.outcome === "rejected") {
  printReport(tnReport, (s) => console.log("   " + s), 15);
  process.exit(1);
}
const tnCode = await fillCommand({ db: tnDb, year: 2026, template: join(tn, "template.xlsx"), out: tnFilled, form: [] });
console.log(`   (fill exit code ${tnCode}) Filled workbook: ${tnFilled}`);
console.log(`\nAnalysts: npm run phuluc -- query --db ${db} -e "select * from pl02(2024)"`);
// The demo runs without network: the pane is built with the office.js copy from the npm package
// (a deployment for Excel uses `npm run build:pane`, which loads office.js from Office's CDN).
const pane = await buildPane({ officeJs: "local" });
console.log(`\n3. Server (API + task pane from ${pane.outDir}; Ctrl+C to stop):`);
process.exitCode = await serveCommand({ db, host: process.env.HOST ?? "127.0.0.1", port: process.env.PORT ? Number(process.env.PORT) : undefined });
