// One tick of the scheduled ETL. Unlike `etl load` it works file by file (good files load, bad
// ones are set aside), moves what it read out of the inbox (nothing is ever deleted), and leaves
// a quality report per run.
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import type { Config } from "../../core/config.js";
import { FileLoadError, loadFiles, WarehouseBusyError, type FileParser, type LoadReport } from "../../warehouse/load.js";
import { pruneGenerations } from "../../warehouse/generations.js";
import { afterLoad, appendRunLog, parserFor, preparation, rejectedByFile } from "../commands.js";
import { scanInbox } from "../inbox.js";
import { splitReady, type Seen } from "./stability.js";
import { problemsText, writeQualityReport } from "./quality.js";

export interface Logger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface TickOptions {
  inbox: string;
  db: string;
  config: Config;
  settleMs: number;
  seen: Seen;
  once: boolean;
  now: () => Date;
  log: Logger;
  /** retention of processed/, rejected/ and reports, in days */
  keepDays?: number;
  /** how files are read (default: parserFor(config), in workers) */
  parser?: FileParser;
}

export interface TickResult {
  status: "busy" | "idle" | "waiting" | "ran";
  runId: number | null;
  folder: string | null;
  report: LoadReport | null;
  waiting: { fileId: string; why: string }[];
}

const stamp = (d: Date) => d.toISOString().replace(/[-:]/g, "").replace(/\..*$/, "");

export async function runTick(o: TickOptions): Promise<TickResult> {
  const scan = scanInbox(o.inbox);
  const { ready, waiting } = splitReady(scan.files, o.seen, o.now().getTime(), o.settleMs, o.once);
  for (const w of waiting) o.log.info({ file: w.fileId, why: w.why }, "waiting");
  if (ready.length === 0) {
    return { status: waiting.length ? "waiting" : "idle", runId: null, folder: null, report: null, waiting };
  }
  let report: LoadReport;
  // Files read in workers never throw (a dead worker is a rejected file); a file that still makes
  // the loader throw is set aside with FILE_LOAD_FAILED and the tick loads the others, in the same
  // tick — one office's file must never block the rest.
  const failed: LoadReport[] = [];
  const parse = o.parser ?? parserFor(o.config);
  for (;;) {
    const left = ready.filter((f) => !failed.some((r) => r.files[0]!.fileId === f.fileId));
    try {
      report = await loadFiles(
        { files: left, skipped: [], problems: [] },
        parse,
        { dbPath: o.db, province: o.config.province, acceptPartial: true, command: "etl watch", now: o.now, afterLoad, ...preparation() },
      );
      break;
    } catch (e) {
      if (e instanceof WarehouseBusyError) {
        o.log.warn({ db: o.db }, "another run holds the warehouse: skipping this tick");
        return { status: "busy", runId: null, folder: null, report: null, waiting };
      }
      if (!(e instanceof FileLoadError) || !left.some((f) => f.fileId === e.fileId)) throw e;
      o.log.error({ file: e.fileId, err: (e.cause as Error)?.message ?? String(e.cause) }, "the file failed the load: set aside, loading the others");
      failed.push(rejectedByFile(e, "etl watch", o.now));
    }
  }
  for (const r of failed) {
    report.files.push(...r.files);
    for (const p of r.problems) report.problems.push(p);
    if (report.outcome === "loaded") report.outcome = "partial";
    else if (report.outcome === "unchanged") report.outcome = "rejected";
  }
  appendRunLog(o.db, report);
  const folder = report.runId ? `run-${String(report.runId).padStart(6, "0")}` : `tick-${stamp(o.now())}`;
  const inbox = resolve(o.inbox);
  for (const f of report.files) {
    const changing = report.problems.some((p) => p.code === "FILE_CHANGED_WHILE_READING" && p.place.file === f.fileId);
    if (changing) continue; // still being written: try again next tick
    const src = join(inbox, f.fileId);
    if (!existsSync(src)) continue;
    const area = f.status === "rejected" ? "rejected" : "processed";
    const dst = join(inbox, area, folder, f.fileId);
    mkdirSync(dirname(dst), { recursive: true });
    renameSync(src, dst);
    if (area === "rejected") writeFileSync(`${dst}.problems.txt`, problemsText(report, f.fileId));
    o.log.info({ file: f.fileId, status: f.status, rows: f.rows, moved: join(area, folder, f.fileId) }, "file");
  }
  const reports = `${resolve(o.db)}.reports`;
  mkdirSync(reports, { recursive: true });
  await writeQualityReport(report, join(reports, `${folder}.xlsx`), join(reports, `${folder}.json`));
  o.log.info(
    {
      run: report.runId,
      outcome: report.outcome,
      files: report.files.length,
      loaded: report.files.filter((f) => f.status === "loaded").length,
      rejected: report.files.filter((f) => f.status === "rejected").length,
      rows: report.rowsLoaded,
      changes: report.changeCounts,
      quality: join(reports, `${folder}.xlsx`),
    },
    "run",
  );
  prune(o, inbox, reports);
  return { status: "ran", runId: report.runId, folder, report, waiting };
}

function prune(o: TickOptions, inbox: string, reports: string): void {
  const days = o.keepDays ?? o.config.keepGenerationsDays;
  const removed = pruneGenerations(o.db, o.config.keepGenerationsDays, o.config.keepGenerationsMin, o.now().getTime());
  if (removed.length) o.log.info({ generations: removed }, "pruned old warehouse generations");
  const cutoff = o.now().getTime() - days * 86_400_000;
  for (const dir of [join(inbox, "processed"), join(inbox, "rejected"), reports]) {
    if (!existsSync(dir)) continue;
    for (const e of readdirSync(dir)) {
      const p = join(dir, e);
      // Only what phuluc itself made there (run-/tick- folders and reports) and only past retention.
      if (/^(run|tick)-/.test(e) && statSync(p).mtimeMs < cutoff) {
        rmSync(p, { recursive: true, force: true });
        o.log.info({ path: p }, "pruned past retention");
      }
    }
  }
}
