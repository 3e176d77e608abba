// The SQL sandbox against escape attempts: each is answered 4xx with a reason code and the
// server keeps answering. A runaway query is stopped by a small time limit and the next query
// runs on a fresh worker.
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../api/app.js";
import { staticKeyCheck } from "../../api/keys.js";
import { WarehouseReader } from "../../api/readers.js";
import { SandboxPool } from "../../api/sandbox/runner.js";
import { makeWarehouse, type TestWarehouse } from "./fixtures.js";

const KEY = "escape-test-key-0123456789";
const auth = { Authorization: `Bearer ${KEY}` };

let wh: TestWarehouse;
let sandbox: SandboxPool;
let fast: SandboxPool;
let app: ReturnType<typeof createApp>;
let fastApp: ReturnType<typeof createApp>;

beforeAll(async () => {
  wh = await makeWarehouse();
  await wh.load();
  const reader = new WarehouseReader(wh.dbPath);
  sandbox = new SandboxPool({ source: { kind: "db", dbPath: wh.dbPath }, maxRows: 1000 }).start();
  // small enough that the runaway queries below are stopped soon, large enough that a fresh
  // worker opening the warehouse on a loaded machine answers "select 1" within it (the limit
  // counts from the request's arrival, so it includes the worker's start)
  fast = new SandboxPool({ source: { kind: "db", dbPath: wh.dbPath }, timeLimitMs: 2500 }).start();
  app = createApp({ reader, keyCheck: staticKeyCheck(KEY), sandbox, bodyLimit: "256kb", queryPerMinute: 10_000 });
  fastApp = createApp({ reader, keyCheck: staticKeyCheck(KEY), sandbox: fast });
});

afterAll(async () => {
  await sandbox?.close();
  await fast?.close();
  wh?.cleanup();
});

const deep = "select " + "(".repeat(10_000) + "1" + ")".repeat(10_000);

const ESCAPES: Array<[string, string]> = [
  ["COPY task TO '/tmp/phuluc-escape.csv'", "QUERY_NOT_SELECT"],
  ["COPY (select * from task) TO '/tmp/phuluc-escape.parquet' (FORMAT parquet)", "QUERY_NOT_SELECT"],
  ["/* harmless */ copy task to '/tmp/phuluc-escape.csv'", "QUERY_NOT_SELECT"],
  ["select * from read_csv('/etc/passwd')", "QUERY_REFUSED_BY_SANDBOX"],
  ["select * from read_csv_auto('/etc/passwd')", "QUERY_REFUSED_BY_SANDBOX"],
  ["select * from '/etc/passwd'", "QUERY_INVALID"], // no replacement scan of files: "no such table"
  ["select * from read_text('/etc/hostname')", "QUERY_REFUSED_BY_SANDBOX"],
  ["select * from read_blob('/etc/hostname')", "QUERY_REFUSED_BY_SANDBOX"],
  ["select * from read_json('/etc/passwd')", "QUERY_REFUSED_BY_SANDBOX"],
  ["select * from read_parquet('/tmp/*.parquet')", "QUERY_REFUSED_BY_SANDBOX"],
  ["select * from glob('/*')", "QUERY_REFUSED_BY_SANDBOX"],
  ["select * from sniff_csv('/etc/passwd')", "QUERY_REFUSED_BY_SANDBOX"],
  ["summarize select * from read_csv('/etc/passwd')", "QUERY_REFUSED_BY_SANDBOX"],
  ["ATTACH '/tmp/phuluc-escape.duckdb' AS other", "QUERY_NOT_SELECT"],
  ["DETACH other", "QUERY_NOT_SELECT"],
  ["INSTALL httpfs", "QUERY_NOT_SELECT"],
  ["LOAD httpfs", "QUERY_NOT_SELECT"],
  ["SET enable_external_access = true", "QUERY_NOT_SELECT"],
  ["RESET lock_configuration", "QUERY_NOT_SELECT"],
  ["PRAGMA show_tables", "QUERY_NOT_SELECT"],
  ["PRAGMA enable_profiling", "QUERY_NOT_SELECT"],
  ["EXPORT DATABASE '/tmp/phuluc-escape-export'", "QUERY_NOT_SELECT"],
  ["CREATE TABLE z (a int)", "QUERY_NOT_SELECT"],
  ["CREATE TEMP TABLE z AS SELECT 1", "QUERY_NOT_SELECT"],
  ["INSERT INTO province VALUES ('99', 'x')", "QUERY_NOT_SELECT"],
  ["UPDATE task SET title = 'x'", "QUERY_NOT_SELECT"],
  ["DELETE FROM task", "QUERY_NOT_SELECT"],
  ["DROP TABLE task", "QUERY_NOT_SELECT"],
  ["CALL pragma_version()", "QUERY_NOT_SELECT"],
  ["EXPLAIN ANALYZE select 1", "QUERY_NOT_SELECT"],
  ["CHECKPOINT", "QUERY_NOT_SELECT"],
  ["BEGIN TRANSACTION", "QUERY_NOT_SELECT"],
  ["USE memory", "QUERY_NOT_SELECT"],
  ["with x as (select 1 as a) insert into province select '98', 'y' from x", "QUERY_NOT_SELECT"],
  ["with x as (delete from task returning *) select * from x", "QUERY_SYNTAX"],
  ["with x as (select 1) delete from task", "QUERY_NOT_SELECT"],
  ["with x as (select 1) update task set title = 'x'", "QUERY_NOT_SELECT"],
  ["from task; drop table task", "QUERY_MULTIPLE_STATEMENTS"],
  ["select * from query('create table q (a int)')", "QUERY_REFUSED_BY_SANDBOX"],
  ["select 1; drop table task", "QUERY_MULTIPLE_STATEMENTS"],
  ["select 1 /* ; */; select 2", "QUERY_MULTIPLE_STATEMENTS"],
  ["select 1 -- ;\n; attach '/tmp/x.duckdb'", "QUERY_MULTIPLE_STATEMENTS"],
  ["select ';' as a; copy task to '/tmp/phuluc-escape.csv'", "QUERY_MULTIPLE_STATEMENTS"],
  [deep, "QUERY_TOO_DEEP"],
  ["select " + "[".repeat(200) + "1" + "]".repeat(200), "QUERY_TOO_DEEP"],
  [`select '${"x".repeat(30_000)}' as long_text`, "QUERY_TOO_LONG"],
  // metadata that names the server's folders
  ["select current_setting('temp_directory') as p", "QUERY_REFUSED_BY_SANDBOX"],
  ["select path from duckdb_databases()", "QUERY_REFUSED_BY_SANDBOX"],
  ["select file from pragma_database_list", "QUERY_REFUSED_BY_SANDBOX"],
  ["select name, value from duckdb_settings()", "QUERY_REFUSED_BY_SANDBOX"],
  ["select [path] as p from duckdb_databases()", "QUERY_REFUSED_BY_SANDBOX"],
];

describe("refused escapes", () => {
  it(`has at least 25 attempts (${ESCAPES.length})`, () => {
    expect(ESCAPES.length).toBeGreaterThanOrEqual(25);
  });

  for (const [sql, code] of ESCAPES) {
    it(`${code}: ${sql.slice(0, 70).replace(/\n/g, " ")}`, async () => {
      const r = await request(app).post("/api/query").set(auth).send({ sql });
      expect(r.status).toBeGreaterThanOrEqual(400);
      expect(r.status).toBeLessThan(500);
      expect(r.body.error.code).toBe(code);
      expect(r.body.error.message).toMatch(/ \/ /); // Vietnamese / English
      const h = await request(app).get("/api/health");
      expect(h.status).toBe(200);
      expect(h.body.status).toBe("ok");
    });
  }

  it("refuses a megabyte of SQL at the door (body limit)", async () => {
    const r = await request(app).post("/api/query").set(auth).send({ sql: "select 1 " + " ".repeat(1024 * 1024) });
    expect(r.status).toBe(413);
    expect(r.body.error.code).toBe("BODY_TOO_LARGE");
  });

  it("caps a huge result (generate_series to 1e12) at the row cap", async () => {
    const r = await request(app).post("/api/query").set(auth).send({ sql: "select * from generate_series(1, 1000000000000)" });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ rowCount: 1000, truncated: true });
  });

  it("leaves the warehouse as it was and keeps answering queries", async () => {
    const r = await request(app).post("/api/query").set(auth).send({ sql: "select count(*) as n from task" });
    expect(r.status).toBe(200);
    expect(r.body.rows).toEqual([{ n: 2 }]);
    const p = await request(app).post("/api/query").set(auth).send({ sql: "select count(*) as n from province where province_code in ('98', '99')" });
    expect(p.body.rows).toEqual([{ n: 0 }]);
  });
});

describe("the server's folders", () => {
  it("never appear in an answer or an error message, unless the SQL itself names them", async () => {
    const home = homedir();
    for (const sql of ["select * from duckdb_extensions()", "select * from read_csv('" + join(home, "x.csv") + "')", "select path from duckdb_databases()"]) {
      const r = await request(app).post("/api/query").set(auth).send({ sql });
      expect(r.status).toBeGreaterThanOrEqual(400);
      for (const secret of [wh.dir, "/.duckdb/"]) expect(r.text.includes(secret), r.text).toBe(false);
      if (!sql.includes(home)) expect(r.text.includes(home), r.text).toBe(false);
    }
    const own = await request(app).post("/api/query").set(auth).send({ sql: `select '${wh.dir}' as mine` });
    expect(own.status).toBe(200);
    expect(own.body.rows).toEqual([{ mine: wh.dir }]);
  });
});

describe("time limit", () => {
  it("stops an unbounded query with the configured limit, and the next query runs on a fresh worker", async () => {
    const r = await request(fastApp).post("/api/query").set(auth).send({ sql: "select sum(i) from range(1000000000000) t(i)" });
    expect(r.status).toBe(408);
    expect(r.body.error.code).toBe("QUERY_TIMEOUT");
    expect((await request(fastApp).get("/api/health")).status).toBe(200);
    const sorted = await request(fastApp).post("/api/query").set(auth).send({ sql: "select * from generate_series(1, 1000000000000) t(i) order by i desc" });
    expect(sorted.body.error.code).toBe("QUERY_TIMEOUT");
    const ok = await request(fastApp).post("/api/query").set(auth).send({ sql: "select 1 as one" });
    expect(ok.status).toBe(200);
    expect(ok.body.rows).toEqual([{ one: 1 }]);
  });
});

describe("a crashing worker", () => {
  it("answers 500 QUERY_WORKER_CRASHED for the query it was running; the server and the next query go on", async () => {
    const pending = request(app).post("/api/query").set(auth).send({ sql: "select sum(i) from range(1000000000000) t(i)" });
    const done = pending.then((r) => r);
    // the worker we started is running the query: kill it as a crash would
    let pids: number[] = [];
    while ((pids = sandbox.pids({ busy: true })).length === 0) await new Promise((r) => setTimeout(r, 10));
    process.kill(pids[0], "SIGKILL");
    const r = await done;
    expect(r.status).toBe(500);
    expect(r.body.error.code).toBe("QUERY_WORKER_CRASHED");
    expect((await request(app).get("/api/health")).status).toBe(200);
    const ok = await request(app).post("/api/query").set(auth).send({ sql: "select 2 as two" });
    expect(ok.body.rows, ok.text).toEqual([{ two: 2 }]);
  });
});

describe("memory and spill", () => {
  it("spills only into the worker's own folder, capped, removed with the worker", async () => {
    const tmp = mkdtempSync(join(tmpdir(), "phuluc-spill-"));
    const pool = new SandboxPool({ source: { kind: "db", dbPath: wh.dbPath }, memoryLimit: "64MB", threads: 1, maxTempSize: "8MB", tmpDir: tmp, timeLimitMs: 120_000 });
    try {
      await pool.run({ sql: "select 1", format: "json" });
      const spill = readdirSync(tmp).filter((f) => f.startsWith("phuluc-sandbox-"));
      expect(spill).toHaveLength(1);
      // Settings are not readable from the sandbox any more (they would name folders; see
      // test/reliability/paths.test.ts). A sort larger than the memory cap runs (or is stopped at
      // the spill cap), and leaves nothing beside the warehouse.
      const r = await pool.run({
        sql: "select md5(range::varchar) || md5((range + 1)::varchar) as s from range(1500000) order by s desc",
        format: "json",
        maxRows: 1,
      }).then(() => "answered", (e: { code: string }) => e.code);
      expect(["answered", "QUERY_FAILED"]).toContain(r);
      expect(readdirSync(`${wh.dbPath}.gens`).filter((f) => f.endsWith(".tmp"))).toEqual([]);
      expect(readdirSync(tmp).filter((f) => f.startsWith("phuluc-sandbox-"))).toHaveLength(1);
    } finally {
      await pool.close();
    }
    await new Promise((r) => setTimeout(r, 50));
    expect(readdirSync(tmp)).toEqual([]);
    rmSync(tmp, { recursive: true, force: true });
    expect(existsSync(tmp)).toBe(false);
  }, 180_000);
});

describe("a full queue", () => {
  it("answers QUERY_BUSY instead of piling requests up", async () => {
    const pool = new SandboxPool({ source: { kind: "db", dbPath: wh.dbPath }, queueLimit: 1 });
    try {
      await pool.run({ sql: "select 1 as warm", format: "json" }); // the worker is up and idle
      const long = pool.run({ sql: "select sum(i) from range(1000000000000) t(i)", format: "json" }).catch((e: { code: string }) => e.code);
      const queued = pool.run({ sql: "select 2", format: "json" }).catch((e: { code: string }) => e.code);
      const third = await pool.run({ sql: "select 3", format: "json" }).catch((e: { code: string }) => e.code);
      expect(third).toBe("QUERY_BUSY");
      await pool.close();
      expect(await long).toBe("QUERY_BUSY"); // the server is stopping
      expect(await queued).toBe("QUERY_BUSY");
    } finally {
      await pool.close();
    }
  });
});
