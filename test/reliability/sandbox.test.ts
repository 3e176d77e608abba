// The analysts' SQL sandbox against escape attempts, through both doors: POST /api/query on the
// real server (127.0.0.1, port 0) and the `query` command (queryCommand, in-process). Every
// attempt must be refused with its reason code (or cut: the row cap, the time limit), must not
// tell the caller where the warehouse, the home folder or the sandbox's temp folder are, and the
// server must still answer /api/health afterwards. The warehouse must be exactly as before and no
// file named by an attempt may exist.
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { queryCommand } from "../../api/query-command.js";
import { dumpWarehouse, recordFigures, removeDir, type Dump, type WarehouseDir } from "./helpers.js";
import { serveWarehouse, smallWarehouse, type Running } from "./server.js";

const KEY = "reliability-sandbox-key-0123456789";
const TIME_LIMIT_MS = 2500;
const MAX_ROWS = 500;

interface Attempt {
  name: string;
  sql: (dir: string) => string;
  /**
   * reason codes accepted (any of) through the API; "CUT" = answered 200 but truncated;
   * "ANSWERED" = answered 200 (metadata whose paths the sandbox hides at the source: the answer
   * is checked for leaks like every other)
   */
  api: string[];
  /** same through the command (default: api, with BODY_TOO_LARGE → QUERY_TOO_LONG) */
  cmd?: string[];
  /** known to leak a path today (reported to the lead); the case is kept, marked it.fails */
  knownLeak?: string;
}

const deep = "select " + "(".repeat(10_000) + "1" + ")".repeat(10_000);
const megabyte = "select 1 as a " + "/* padding */ ".repeat(Math.ceil((1024 * 1024) / 14));
const NOT_SELECT = ["QUERY_NOT_SELECT"];
const REFUSED = ["QUERY_REFUSED_BY_SANDBOX"];

const ATTEMPTS: Attempt[] = [
  { name: "read_csv of a system file", sql: () => "select * from read_csv('/etc/passwd')", api: REFUSED },
  { name: "read_csv_auto beside the warehouse", sql: (d) => `select * from read_csv_auto('${d}/phuluc.duckdb.runs.jsonl')`, api: REFUSED },
  { name: "read_parquet with a glob", sql: (d) => `select * from read_parquet('${d}/*.parquet')`, api: REFUSED },
  { name: "read_text", sql: () => "select * from read_text('/etc/hostname')", api: REFUSED },
  { name: "read_blob of the warehouse file", sql: (d) => `select * from read_blob('${d}/phuluc.duckdb')`, api: REFUSED },
  { name: "read_json_auto", sql: () => "select * from read_json_auto('/etc/os-release')", api: REFUSED },
  { name: "glob of the root", sql: () => "select * from glob('/*')", api: REFUSED },
  { name: "a file path as a table", sql: () => "select * from '/etc/passwd'", api: ["QUERY_INVALID", "QUERY_REFUSED_BY_SANDBOX"] },
  { name: "COPY TO a csv", sql: (d) => `copy province to '${d}/escape.csv'`, api: NOT_SELECT },
  { name: "COPY (select) TO parquet", sql: (d) => `copy (select * from province) to '${d}/escape.parquet' (format parquet)`, api: NOT_SELECT },
  { name: "ATTACH a new database", sql: (d) => `attach '${d}/escape.duckdb' as x`, api: NOT_SELECT },
  { name: "INSTALL an extension", sql: () => "install httpfs", api: NOT_SELECT },
  { name: "LOAD an extension", sql: () => "load httpfs", api: NOT_SELECT },
  { name: "SET external access back on", sql: () => "set enable_external_access = true", api: NOT_SELECT },
  { name: "RESET the configuration lock", sql: () => "reset lock_configuration", api: NOT_SELECT },
  { name: "PRAGMA", sql: () => "pragma database_list", api: NOT_SELECT },
  { name: "EXPORT DATABASE", sql: (d) => `export database '${d}/escape-export'`, api: NOT_SELECT },
  { name: "CREATE TABLE", sql: () => "create table z as select 1 as a", api: NOT_SELECT },
  { name: "INSERT", sql: () => "insert into province values ('99', 'x')", api: NOT_SELECT },
  { name: "UPDATE", sql: () => "update province set name = 'x'", api: NOT_SELECT },
  { name: "DELETE", sql: () => "delete from province", api: NOT_SELECT },
  { name: "DROP", sql: () => "drop table province", api: NOT_SELECT },
  { name: "two statements", sql: () => "select 1 as a; drop table province", api: ["QUERY_MULTIPLE_STATEMENTS"] },
  { name: "a block comment hiding a second statement", sql: (d) => `select 1 as a /* harmless */; attach '${d}/escape.duckdb' as x`, api: ["QUERY_MULTIPLE_STATEMENTS"] },
  { name: "a line comment before a second statement", sql: (d) => `select 1 as a -- ;\n; copy province to '${d}/escape.csv'`, api: ["QUERY_MULTIPLE_STATEMENTS"] },
  { name: "a CTE that inserts", sql: () => "with x as (select 1 as a) insert into province select '98', 'y' from x", api: NOT_SELECT },
  { name: "a CTE that deletes", sql: () => "with d as (delete from province returning *) select * from d", api: ["QUERY_SYNTAX", "QUERY_NOT_SELECT"] },
  { name: "query() running DDL", sql: () => "select * from query('drop table province')", api: ["QUERY_SYNTAX", "QUERY_INVALID", "QUERY_NOT_SELECT", "QUERY_REFUSED_BY_SANDBOX"] },
  { name: "10 000 nested parentheses", sql: () => deep, api: ["QUERY_TOO_DEEP", "QUERY_TOO_LONG"] },
  { name: "1 MB of SQL", sql: () => megabyte, api: ["BODY_TOO_LARGE", "QUERY_TOO_LONG"], cmd: ["QUERY_TOO_LONG"] },
  { name: "an unbounded range(1e12) result", sql: () => "select * from range(1000000000000) t(i)", api: ["CUT", "QUERY_TIMEOUT"] },
  { name: "a slow cross join", sql: () => "select count(*) as n from range(200000) a, range(200000) b where a.range + b.range = -1", api: ["QUERY_TIMEOUT"] },
  { name: "getenv", sql: () => "select getenv('HOME') as h", api: ["QUERY_INVALID", "QUERY_REFUSED_BY_SANDBOX"] },
  {
    name: "current_setting('temp_directory')",
    sql: () => "select current_setting('temp_directory') as p",
    api: ["QUERY_INVALID", "QUERY_REFUSED_BY_SANDBOX"],
  },
  {
    name: "current_setting('secret_directory')",
    sql: () => "select current_setting('secret_directory') as p",
    api: ["QUERY_INVALID", "QUERY_REFUSED_BY_SANDBOX", "ANSWERED"],
  },
  {
    name: "duckdb_databases() paths",
    sql: () => "select path from duckdb_databases()",
    api: ["QUERY_INVALID", "QUERY_REFUSED_BY_SANDBOX"],
  },
  {
    name: "pragma_database_list as a table",
    sql: () => "select file from pragma_database_list",
    api: ["QUERY_INVALID", "QUERY_REFUSED_BY_SANDBOX"],
  },
  {
    name: "duckdb_settings() paths",
    sql: () => "select name, value from duckdb_settings() where value like '%/%'",
    api: ["QUERY_INVALID", "QUERY_REFUSED_BY_SANDBOX"],
  },
  {
    name: "duckdb_extensions()",
    sql: () => "select * from duckdb_extensions()",
    api: ["QUERY_INVALID", "QUERY_REFUSED_BY_SANDBOX"],
  },
];

const figures = {
  attempts: ATTEMPTS.length,
  viaApi: 0,
  viaCommand: 0,
  refusedWithCode: 0,
  cutByRowCap: 0,
  stoppedByTimeLimit: 0,
  answeredWithoutPath: 0,
  healthAfterEach: 0,
  pathLeaks: [] as string[],
  codes: {} as Record<string, number>,
};

describe("SQL sandbox: escape attempts through the API and the query command", () => {
  let w: WarehouseDir;
  let running: Running | undefined;
  let base = "";
  let before: Dump;
  let scratch: string;
  let secrets: string[];

  beforeAll(async () => {
    w = await smallWarehouse("sandbox");
    scratch = join(w.dir, "attempts");
    mkdirSync(scratch);
    before = (await dumpWarehouse(w.db))!;
    running = await serveWarehouse({ db: w.db, key: KEY, pool: { timeLimitMs: TIME_LIMIT_MS, maxRows: MAX_ROWS }, app: { queryPerMinute: 10_000 } });
    base = running.base;
    // What a caller must not learn: where the warehouse lives, the home folder, the sandbox's
    // temp folders. (Paths the caller wrote into its own SQL may be echoed back: not a leak.)
    secrets = [w.dir, homedir(), join(tmpdir(), "phuluc-sandbox-"), "/.duckdb/"].filter((s) => s.length > 1);
  }, 60_000);

  afterAll(async () => {
    await running?.close();
    if (w) removeDir(w.dir);
    recordFigures("sandbox", figures);
  });

  const post = async (sql: string) => {
    const res = await fetch(`${base}/api/query`, {
      method: "POST",
      headers: { authorization: `Bearer ${KEY}`, "content-type": "application/json" },
      body: JSON.stringify({ sql }),
    });
    return { status: res.status, text: await res.text() };
  };

  const health = async () => {
    const res = await fetch(`${base}/api/health`);
    return { status: res.status, body: (await res.json()) as { status: string } };
  };

  /** The query command, in-process: exit code, what it printed on stderr, what it wrote. */
  async function command(sql: string): Promise<{ code: number; err: string; out: string }> {
    const out = join(scratch, `out-${Math.random().toString(36).slice(2)}.json`);
    const lines: string[] = [];
    const spy = vi.spyOn(console, "error").mockImplementation((...a: unknown[]) => {
      lines.push(a.map(String).join(" "));
    });
    try {
      const code = await queryCommand({ db: w.db, execute: sql, format: "json", out, timeout: TIME_LIMIT_MS, maxRows: MAX_ROWS });
      return { code, err: lines.join("\n"), out: existsSync(out) ? readFileSync(out, "utf8") : "" };
    } finally {
      spy.mockRestore();
    }
  }

  /** Paths the answer names that the caller did not write into its own SQL. */
  const leaks = (text: string, sql: string): string[] => secrets.filter((s) => text.includes(s) && !sql.includes(s));

  it(`tries at least 25 escapes (${ATTEMPTS.length})`, () => {
    expect(ATTEMPTS.length).toBeGreaterThanOrEqual(25);
  });

  for (const a of ATTEMPTS) {
    (a.knownLeak ? it.fails : it)(a.knownLeak ? `${a.name} (known leak: ${a.knownLeak})` : a.name, async () => {
      const sql = a.sql(scratch);
      // 1. the API
      const r = await post(sql);
      figures.viaApi++;
      const body = JSON.parse(r.text) as { error?: { code: string; message: string }; truncated?: boolean; rowCount?: number };
      if (a.api.includes("CUT")) {
        expect(r.status, r.text.slice(0, 300)).toBe(200);
        expect(body.truncated).toBe(true);
        expect(body.rowCount).toBe(MAX_ROWS);
        figures.cutByRowCap++;
      } else if (a.api.includes("ANSWERED") && r.status === 200) {
        figures.answeredWithoutPath++;
      } else {
        expect(r.status, r.text.slice(0, 300)).toBeGreaterThanOrEqual(400);
        expect(a.api, r.text.slice(0, 300)).toContain(body.error?.code);
        expect(body.error!.message).toMatch(/\S \/ \S/); // Vietnamese / English
        figures.refusedWithCode++;
        figures.codes[body.error!.code] = (figures.codes[body.error!.code] ?? 0) + 1;
        if (body.error!.code === "QUERY_TIMEOUT") figures.stoppedByTimeLimit++;
      }
      const apiLeaks = leaks(r.text, sql);
      if (apiLeaks.length) figures.pathLeaks.push(`${a.name} (API)`);
      expect(apiLeaks, `the API answer names ${apiLeaks.join(", ")}: ${r.text.slice(0, 300)}`).toEqual([]);
      const h = await health();
      expect(h.status).toBe(200);
      expect(h.body.status).toBe("ok");
      figures.healthAfterEach++;

      // 2. the query command
      const c = await command(sql);
      figures.viaCommand++;
      const cmdCodes = a.cmd ?? a.api;
      if (cmdCodes.includes("CUT")) {
        expect(c.code, c.err).toBe(0);
        const j = JSON.parse(c.out) as { truncated: boolean; rowCount: number };
        expect(j).toMatchObject({ truncated: true, rowCount: MAX_ROWS });
        expect(c.err).toMatch(/row cap|dòng đầu/);
      } else if (cmdCodes.includes("ANSWERED") && c.code === 0) {
        expect(c.out).not.toBe("");
      } else {
        expect(c.code, c.err).toBe(1);
        expect(cmdCodes.some((code) => c.err.includes(`${code}:`)), c.err.slice(0, 300)).toBe(true);
        expect(c.out).toBe("");
      }
      // the summary line names the --out file the analyst chose: their own path, not a leak
      const said = c.err.replace(/^phuluc: \d+ rows → .*$/gm, "");
      const cmdLeaks = leaks(said + c.out, sql);
      if (cmdLeaks.length) figures.pathLeaks.push(`${a.name} (command)`);
      expect(cmdLeaks, `the command names ${cmdLeaks.join(", ")}: ${(c.err + c.out).slice(0, 300)}`).toEqual([]);
    }, 60_000);
  }

  it("afterwards: the server answers, a plain query runs, the warehouse is as before, no file was written", async () => {
    const h = await health();
    expect(h.status).toBe(200);
    const ok = await post("select count(*) as n from province");
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.text).rows).toEqual([{ n: 1 }]);
    expect(await dumpWarehouse(w.db)).toEqual(before);
    for (const f of ["escape.csv", "escape.parquet", "escape.duckdb", "escape-export"]) expect(existsSync(join(scratch, f)), f).toBe(false);
  });
});
