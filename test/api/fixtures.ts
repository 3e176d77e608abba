// A real warehouse in a temp folder, built through the generations writer like a load would.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { tryLock, writeGeneration } from "../../warehouse/generations.js";

export interface TestWarehouse {
  dir: string;
  dbPath: string;
  /** publish one more generation (a load run) with these tasks; returns its number */
  load(opts?: { tasks?: Array<{ code: string; title: string; amount: string }>; checksum?: string }): Promise<number>;
  cleanup(): void;
}

export const FIXED_TIME = "2026-06-01T08:00:00Z";

export async function makeWarehouse(): Promise<TestWarehouse> {
  const dir = mkdtempSync(join(tmpdir(), "phuluc-api-"));
  const dbPath = join(dir, "phuluc.duckdb");
  const load: TestWarehouse["load"] = async (opts = {}) => {
    const lock = tryLock(dbPath);
    if (!lock) throw new Error("writer lock held");
    try {
      const r = await writeGeneration(dbPath, async ({ db, number }) => {
        const tasks = opts.tasks ?? [
          { code: "T01", title: "Nghiên cứu giống lúa", amount: "1200.500000" },
          { code: "T02", title: "=HYPERLINK(\"http://x\")", amount: "300.000000" },
        ];
        await db.run("delete from fact_task_funding");
        await db.run("delete from task");
        await db.run("insert or ignore into province values ('80', 'Long An')");
        await db.run("insert or ignore into office values ('khtc', 'Phòng Kế hoạch - Tài chính')");
        await db.run(
          `insert or replace into source_file values ('khtc/ke-hoach.xlsx', 'khtc', 'h1', 1000, null, $run, '[]'::json)`,
          { run: number },
        );
        let sort = 0;
        for (const t of tasks) {
          sort++;
          await db.run(
            `insert into task values ('80', $code, $title, 'TINH', 'NONG_NGHIEP', 'Viện Lúa', null, null, null,
               date '2024-01-01', date '2025-12-01', 'DANG_THUC_HIEN', null, false, $sort, $run, 'khtc/ke-hoach.xlsx', 'h1', 'PL03', $cell)`,
            { code: t.code, title: t.title, sort, run: number, cell: `B${sort + 7}` },
          );
          await db.run(
            `insert into fact_task_funding (province_code, task_code, year, measure_code, source_code, amount, run_id, file_id, file_hash, sheet, cell)
             values ('80', $code, 2025, 'du_toan', 'NSDP', $amount::decimal(18,6), $run, 'khtc/ke-hoach.xlsx', 'h1', 'PL03', $cell)`,
            { code: t.code, amount: t.amount, run: number, cell: `F${sort + 7}` },
          );
        }
        await db.run(
          `insert into load_run values ($run, $t::timestamptz, $t::timestamptz + interval 1 minute, 'etl load', 'loaded', 1, 1, $rows, $checksum, $report::json)`,
          {
            run: number,
            t: FIXED_TIME,
            rows: BigInt(tasks.length),
            checksum: opts.checksum ?? `sum-${number}`,
            report: JSON.stringify({ problems: [], changes: [] }),
          },
        );
        return { publish: true, value: number };
      });
      return r.published!;
    } finally {
      lock.release();
    }
  };
  return { dir, dbPath, load, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
