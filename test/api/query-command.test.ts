// `phuluc query`: the same sandbox rules, typed params, table output, files written whole.
import ExcelJS from "exceljs";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { formatTable, queryCommand as realQueryCommand, type QueryCommandOptions } from "../../api/query-command.js";
import { SandboxPool } from "../../api/sandbox/runner.js";
import { UsageError } from "../../core/exit.js";
import { makeWarehouse, type TestWarehouse } from "./fixtures.js";

let wh: TestWarehouse;
let out: string;
let shared: SandboxPool;
/** Most cases share one running sandbox (a worker start costs seconds on a busy machine). */
const queryCommand = (o: QueryCommandOptions) => realQueryCommand({ runner: o.db === wh.dbPath && !o.timeout ? shared : undefined, ...o });

beforeAll(async () => {
  wh = await makeWarehouse();
  await wh.load();
  out = mkdtempSync(join(tmpdir(), "phuluc-query-"));
  shared = new SandboxPool({ source: { kind: "db", dbPath: wh.dbPath } }).start();
});
afterAll(async () => {
  await shared?.close();
  wh?.cleanup();
  if (out) rmSync(out, { recursive: true, force: true });
});

async function capture(fn: () => Promise<number>): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const w = vi.spyOn(process.stdout, "write").mockImplementation((c: string | Uint8Array) => {
    stdout += typeof c === "string" ? c : Buffer.from(c).toString("utf8");
    return true;
  });
  const e = vi.spyOn(console, "error").mockImplementation((...a: unknown[]) => {
    stderr += a.join(" ") + "\n";
  });
  try {
    const code = await fn();
    return { code, stdout, stderr };
  } finally {
    w.mockRestore();
    e.mockRestore();
  }
}

describe("phuluc query", () => {
  it("prints an aligned table, params typed by the SQL (its own worker)", async () => {
    const r = await capture(() =>
      realQueryCommand({ db: wh.dbPath, execute: "select task_code, amount from fact_task_funding where year = $y order by 1", param: ["y=2025"] }),
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      ["task_code  amount", "---------  ------", "T01        1200.5", "T02           300", "(2 rows, generation 1)", ""].join("\n"),
    );
  });

  it("takes typed params and reads SQL from a file; json output", async () => {
    const file = join(out, "q.sql");
    writeFileSync(file, "select $d + 1 as d, $n * 2 as n, $i + 1 as i, $t as t");
    const r = await capture(() =>
      queryCommand({ db: wh.dbPath, file, format: "json", param: ["d:date=2024-02-28", "n:decimal=1.5", "i:int=41", "t:text=- Nhiệm vụ"] }),
    );
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ generation: 1, checksum: "sum-1", rows: [{ d: "2024-02-29", n: "3.0", i: 42, t: "- Nhiệm vụ" }] });
  });

  it("writes binary formats and csv to --out (csv with a BOM there)", async () => {
    const x = join(out, "r.xlsx");
    expect((await capture(() => queryCommand({ db: wh.dbPath, execute: "select title from task order by sort", format: "xlsx", out: x }))).code).toBe(0);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(x);
    expect(wb.worksheets[0].getRow(3).getCell(1).value).toBe('=HYPERLINK("http://x")');
    const c = join(out, "r.csv");
    expect((await capture(() => queryCommand({ db: wh.dbPath, execute: "select title from task order by sort", format: "csv", out: c }))).code).toBe(0);
    expect(readFileSync(c, "utf8")).toBe('\uFEFFtitle\r\nNghiên cứu giống lúa\r\n"\'=HYPERLINK(""http://x"")"\r\n');
    const p = join(out, "r.parquet");
    expect((await capture(() => queryCommand({ db: wh.dbPath, execute: "select 1 as a", format: "parquet", out: p }))).code).toBe(0);
    expect(readFileSync(p).subarray(0, 4).toString()).toBe("PAR1");
  });

  it("refuses what the API refuses (exit 1), writes nothing", async () => {
    const f = join(out, "never.csv");
    for (const sql of ["copy task to '/tmp/x.csv'", "select 1; select 2", "select * from read_csv('/etc/passwd')"]) {
      const r = await capture(() => queryCommand({ db: wh.dbPath, execute: sql, format: "csv", out: f }));
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/QUERY_/);
    }
    expect(existsSync(f)).toBe(false);
    const t = await capture(() => queryCommand({ db: wh.dbPath, execute: "select sum(i) from range(1000000000000) t(i)", timeout: 300 }));
    expect(t.code).toBe(1);
    expect(t.stderr).toMatch(/QUERY_TIMEOUT/);
  });

  it("says when the row cap cut the result", async () => {
    const r = await capture(() => queryCommand({ db: wh.dbPath, execute: "select * from range(100)", maxRows: 3, format: "csv" }));
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("range\r\n0\r\n1\r\n2\r\n");
    expect(r.stderr).toMatch(/first 3 rows/);
  });

  it("is a usage error (exit 2) for wrong flags and bad params", async () => {
    const bad = [
      { db: wh.dbPath },
      { db: wh.dbPath, execute: "select 1", file: "q.sql" },
      { execute: "select 1" },
      { db: wh.dbPath, lake: out, execute: "select 1" },
      { db: wh.dbPath, execute: "select 1", format: "xlsx" as const },
      { db: wh.dbPath, execute: "select 1", format: "arrow" as const },
      { db: wh.dbPath, execute: "select 1", format: "table" as const, out: join(out, "t.txt") },
      { db: wh.dbPath, execute: "select $a", param: ["a:weird=1"] },
      { db: wh.dbPath, execute: "select $a", param: ["novalue"] },
      { db: wh.dbPath, province: "80", execute: "select 1" },
    ];
    for (const o of bad) await expect(queryCommand(o)).rejects.toBeInstanceOf(UsageError);
    const r = await capture(() => queryCommand({ db: wh.dbPath, execute: "select $a as a" }));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/QUERY_PARAMS/);
  });

  it("aligns numbers right and text left", () => {
    expect(formatTable([{ name: "n", type: "INTEGER" }, { name: "label", type: "VARCHAR" }], [[5, "ab"], [123, null]])).toBe("  n  label\n---  -----\n  5  ab\n123\n");
  });
});
