// `warehouse runs`: the load history of the current generation (and the run log of rejected runs).
import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { openCurrent } from "./generations.js";
import type { ExitCode } from "../core/exit.js";

export interface RunRow {
  run_id: number;
  started_at: string;
  finished_at: string;
  command: string;
  outcome: string;
  files_read: number;
  files_loaded: number;
  rows_loaded: string;
  checksum: string;
}

export function readRunLog(dbPath: string): Record<string, unknown>[] {
  const p = `${resolve(dbPath)}.runs.jsonl`;
  if (!existsSync(p)) return [];
  return readFileSync(p, "utf8")
    .split("\n")
    .filter(Boolean)
    .flatMap((l) => {
      try {
        return [JSON.parse(l) as Record<string, unknown>];
      } catch {
        return []; // a line cut by a crash: skip it
      }
    });
}

export async function runsCommand(o: { db: string; json?: boolean }): Promise<ExitCode> {
  const db = await openCurrent(o.db);
  try {
    const rows = await db.all<RunRow & Record<string, unknown>>(
      `select run_id, started_at::varchar started_at, finished_at::varchar finished_at, command, outcome,
              files_read, files_loaded, rows_loaded, checksum from load_run order by run_id`,
    );
    if (o.json) console.log(JSON.stringify({ runs: rows, log: readRunLog(o.db) }, null, 2));
    else {
      console.log(`run  finished                        outcome    files  rows     command`);
      for (const r of rows) {
        console.log(`${String(r.run_id).padEnd(4)} ${r.finished_at.padEnd(31)} ${r.outcome.padEnd(10)} ${`${r.files_loaded}/${r.files_read}`.padEnd(6)} ${String(r.rows_loaded).padEnd(8)} ${r.command}`);
      }
      const rejected = readRunLog(o.db).filter((l) => l.outcome === "rejected").length;
      if (rejected) console.log(`(${rejected} rejected runs in ${o.db}.runs.jsonl)`);
    }
    return 0;
  } finally {
    db.close();
  }
}
