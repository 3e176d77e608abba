// `etl load` and `etl forget`: the glue between the inbox, the parser, the loader and the
// terminal. Exit codes: 0 loaded or unchanged · 1 rejected (the warehouse is as before) ·
// 3 loaded with files set aside (--accept-partial).
import { appendFileSync, existsSync, statSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { configPath, loadConfig, type Config } from "../core/config.js";
import { formatProblem, type Problem } from "../core/problem.js";
import { say, sayError, terminalSafe } from "../core/terminal.js";
import type { Db } from "../warehouse/db.js";
import { FileLoadError, forgetFile, loadFiles, WarehouseBusyError, type FileParser, type LoadReport } from "../warehouse/load.js";
import { prob } from "../core/codes.js";
import { pooledParser } from "./read-pool.js";
import { EXIT, type ExitCode } from "../core/exit.js";
import { scanInbox } from "./inbox.js";
import { readInboxFile } from "./read.js";
import { installAnalystViews, viewsFingerprint } from "../queries/install.js";
import { runDataTests } from "../queries/data-tests.js";

/**
 * How every load reads an inbox file: the configured limits and province, in a worker with a heap
 * limit and a deadline (read-pool.ts) — `inProcess` reads on this thread instead.
 */
export function parserFor(config: Config, o: { inProcess?: boolean } = {}): FileParser {
  if (o.inProcess) return (f) => readInboxFile(f.path, f.fileId, f.office, { limits: config.limits, province: config.province.code });
  return pooledParser(config);
}

/**
 * A run that failed on one file (FileLoadError) as a rejected run's report: the file and a
 * located problem, the warehouse as it was. Logged like every other run (appendRunLog).
 */
export function rejectedByFile(e: FileLoadError, command: string, now: () => Date = () => new Date()): LoadReport {
  const at = now().toISOString();
  const detail = ((e.cause as Error)?.message ?? String(e.cause)).split("\n")[0]!.slice(0, 300);
  return {
    command,
    runId: null,
    outcome: "rejected",
    startedAt: at,
    finishedAt: at,
    files: [{ fileId: e.fileId, office: e.office, sha256: "", status: "rejected", rows: 0, errors: 1, warnings: 0 }],
    skipped: [],
    rowsLoaded: 0,
    changes: [],
    changeCounts: { added: 0, updated: 0, removed: 0 },
    problems: [prob("FILE_LOAD_FAILED", { file: e.fileId }, { detail })],
  };
}

/**
 * What a load does inside its first transaction before its facts are in, while its first file is read:
 * the analysts' views need none of them (afterLoad then finds them current).
 */
export async function prepareLoad(db: Db): Promise<void> {
  await installAnalystViews(db);
  prepared.add(db);
}

/** A load's `prepare`, and its key: a new warehouse starts from a template made by it (warehouse/generations.ts). */
export function preparation(): { prepare: (db: Db) => Promise<void>; prepareKey: string } {
  return { prepare: prepareLoad, prepareKey: viewsFingerprint() };
}

/**
 * The connections prepareLoad has installed the views on: nothing between it and afterLoad
 * touches a view, so afterLoad need not ask the catalogue again (a Db is one load's connection).
 */
const prepared = new WeakSet<Db>();

/**
 * What every load does once its facts are committed to the new generation, before its run record:
 * the data tests, over two connections (the facts are committed: every connection reads them).
 */
export async function afterLoad(db: Db): Promise<Problem[]> {
  if (!prepared.has(db)) await installAnalystViews(db);
  return runDataTests(db, { connections: DATA_TEST_CONNECTIONS });
}

/**
 * How many connections a load's data tests run over. Their statements are each smaller than a row
 * group, so more DuckDB threads do not help, but two connections run two of them at once: on the
 * bench's seven warehouses 0.42 s became 0.28 s with the second core free (the reading worker is
 * idle by then), and about as long as one connection when another process holds it.
 */
const DATA_TEST_CONNECTIONS = 2;

export interface EtlLoadOptions {
  inbox: string;
  db: string;
  report?: string;
  acceptPartial?: boolean;
  quiet?: boolean;
  config?: Config;
  /** how files are read (default: parserFor(config), in workers) */
  parser?: FileParser;
}

export async function runLoad(o: EtlLoadOptions & { command?: string; now?: () => Date; checkpoint?: (point: string) => void }): Promise<LoadReport> {
  const config = o.config ?? loadConfig();
  const scan = scanInbox(o.inbox);
  const tty = !o.quiet && process.stderr.isTTY;
  return loadFiles(
    scan,
    o.parser ?? parserFor(config),
    {
      dbPath: o.db,
      province: config.province,
      acceptPartial: o.acceptPartial,
      command: o.command ?? "etl load",
      now: o.now,
      afterLoad,
      ...preparation(),
      checkpoint: o.checkpoint,
      onProgress: tty
        ? (p) => process.stderr.write(`\r\x1b[K[${p.index}/${p.total}] ${terminalSafe(p.file)} — ${p.rows} dòng/rows`)
        : undefined,
    },
  )
    .catch((e) => {
      // one file failed the run: all or nothing, so the run is rejected — with a report, naming it
      if (e instanceof FileLoadError) return rejectedByFile(e, o.command ?? "etl load", o.now);
      throw e;
    })
    .finally(() => {
      if (tty) process.stderr.write("\r\x1b[K");
    });
}

/** The line every run's summary starts with: which province, from which configuration file. */
export function provinceLine(config: Config, path: string): string {
  return `province ${config.province.name} (${config.province.code}) — configuration ${path} / tỉnh ${config.province.name}, cấu hình ${path}`;
}

export async function etlLoad(o: EtlLoadOptions): Promise<ExitCode> {
  if (!existsSync(o.inbox) || !statSync(o.inbox).isDirectory()) {
    sayError(`phuluc: inbox folder not found / không thấy thư mục hộp thư: ${resolve(o.inbox)}`);
    return EXIT.failed;
  }
  const path = configPath();
  const config = o.config ?? loadConfig(path);
  let report: LoadReport;
  try {
    if (!o.config) say(provinceLine(config, path));
    report = await runLoad({ ...o, config });
  } catch (e) {
    if (e instanceof WarehouseBusyError) {
      console.error(`phuluc: ${e.message}`);
      return EXIT.failed;
    }
    throw e;
  }
  return finish(report, o.db, o.report);
}

export async function etlForget(o: { fileId: string; db: string; report?: string }): Promise<ExitCode> {
  const path = configPath();
  const config = loadConfig(path);
  say(provinceLine(config, path));
  const report = await forgetFile(o.fileId, { dbPath: o.db, province: config.province, afterLoad });
  return finish(report, o.db, o.report);
}

function finish(report: LoadReport, db: string, reportPath?: string): ExitCode {
  printReport(report);
  if (reportPath) writeFileSync(reportPath, JSON.stringify(report, null, 2));
  appendRunLog(db, report);
  switch (report.outcome) {
    case "loaded":
    case "unchanged":
      return EXIT.ok;
    case "partial":
      return EXIT.problems;
    default:
      return EXIT.failed;
  }
}

/** Every run, rejected ones included, goes to a JSON-lines log beside the warehouse. */
export function appendRunLog(db: string, report: LoadReport): void {
  const line = {
    runId: report.runId,
    command: report.command,
    outcome: report.outcome,
    startedAt: report.startedAt,
    finishedAt: report.finishedAt,
    files: report.files.map((f) => ({ fileId: f.fileId, status: f.status, rows: f.rows, errors: f.errors })),
    errors: report.problems.filter((p) => p.severity === "error").length,
    warnings: report.problems.filter((p) => p.severity === "warning").length,
    changes: report.changeCounts,
  };
  appendFileSync(`${resolve(db)}.runs.jsonl`, JSON.stringify(line) + "\n");
}

const OUTCOME: Record<LoadReport["outcome"], string> = {
  loaded: "ĐÃ NẠP / loaded",
  partial: "NẠP MỘT PHẦN / loaded in part (files set aside)",
  unchanged: "KHÔNG ĐỔI / unchanged (nothing new)",
  rejected: "TỪ CHỐI / rejected — the warehouse is exactly as before",
};

export function printReport(r: LoadReport, out: (s: string) => void = say, maxProblems = 40): void {
  out(`${r.command}: ${OUTCOME[r.outcome]}${r.runId ? ` — run ${r.runId}` : ""}`);
  for (const f of r.files) {
    out(`  ${f.status.padEnd(9)} ${f.fileId}  (${f.rows} rows, ${f.errors} errors, ${f.warnings} warnings)`);
  }
  for (const s of r.skipped) out(`  skipped   ${s.fileId}  (${s.reason})`);
  const shown = r.problems.filter((p) => p.severity !== "info" || p.code !== "FILE_SKIPPED");
  for (const p of shown.slice(0, maxProblems)) out(`  ${formatProblem(p)}`);
  if (shown.length > maxProblems) out(`  … and ${shown.length - maxProblems} more problems (--report FILE for all)`);
  const c = r.changeCounts;
  if (c.added + c.updated + c.removed > 0) {
    out(`  changes: ${c.added} added, ${c.updated} updated, ${c.removed} removed`);
    for (const ch of r.changes.filter((x) => x.kind !== "added").slice(0, 20)) {
      out(`    ${ch.kind} ${ch.table} ${ch.key}: ${ch.old ?? "—"} → ${ch.new ?? "—"}  (${ch.fileId}${ch.cell ? ` ${ch.sheet}!${ch.cell}` : ""})`);
    }
  }
  out(`  rows loaded: ${r.rowsLoaded}`);
}
