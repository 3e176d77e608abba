// Reads one inbox file the way a load does, in this process, and prints what it cost: the
// reliability suite runs it as a child process per hostile file, so that each file's peak memory
// (maxRSS) and time are its own. Usage: node --import tsx read-one.ts <file> <fileId> [limits JSON]
import { performance } from "node:perf_hooks";
import { ConfigSchema } from "../../core/config.js";
import { readInboxFile } from "../../etl/read.js";

const [path, fileId, limitsJson] = process.argv.slice(2);
const config = ConfigSchema.parse({ province: { code: "80", name: "Long An" }, limits: limitsJson ? JSON.parse(limitsJson) : undefined });
const t0 = performance.now();
let out: object;
try {
  const f = await readInboxFile(path!, fileId!, "hostile", { limits: config.limits, province: "80" });
  out = { problems: f.problems.map((p) => ({ code: p.code, severity: p.severity, place: p.place, vi: p.vi, en: p.en, data: p.data })), rows: f.sheets.reduce((s, x) => s + x.rows, 0) };
} catch (e) {
  out = { threw: String((e as Error)?.stack ?? e) };
}
const ms = performance.now() - t0;
process.stdout.write(JSON.stringify({ ...out, ms, maxRssMb: process.resourceUsage().maxRSS / 1024 }) + "\n");
