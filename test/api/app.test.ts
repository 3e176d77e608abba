// Every route and every error branch of the app, with supertest, on a real warehouse.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp, queriesEngine, type FormsEngine } from "../../api/app.js";
import { problem, ProblemError } from "../../core/problem.js";
import { staticKeyCheck } from "../../api/keys.js";
import { WarehouseReader } from "../../api/readers.js";
import { SandboxPool } from "../../api/sandbox/runner.js";
import { pruneGenerations } from "../../warehouse/generations.js";
import { FIXED_TIME, makeWarehouse, type TestWarehouse } from "./fixtures.js";

const KEY = "test-key-0123456789abcdef";
const auth = { Authorization: `Bearer ${KEY}` };
const PANE = "https://pane.example.test";
const clock = () => new Date("2026-07-01T00:00:00Z");

let wh: TestWarehouse;
let sandbox: SandboxPool;
let app: ReturnType<typeof createApp>;
let paneDir: string;

beforeAll(async () => {
  wh = await makeWarehouse();
  await wh.load();
  sandbox = new SandboxPool({ source: { kind: "db", dbPath: wh.dbPath } }).start();
  paneDir = mkdtempSync(join(tmpdir(), "phuluc-pane-"));
  writeFileSync(join(paneDir, "taskpane.html"), "<!doctype html><title>phuluc</title>");
  app = createApp({ reader: new WarehouseReader(wh.dbPath), keyCheck: staticKeyCheck(KEY), sandbox, paneDir, paneOrigin: PANE, clock });
});

afterAll(async () => {
  await sandbox?.close();
  wh?.cleanup();
});

describe("health, key, CORS, headers, static pane", () => {
  it("answers health without a key: generation, checksum, data as of", async () => {
    const r = await request(app).get("/api/health");
    expect(r.status).toBe(200);
    expect(r.body).toEqual({
      status: "ok",
      generation: 1,
      checksum: "sum-1",
      dataAsOf: "2026-06-01T08:01:00Z",
      time: "2026-07-01T00:00:00.000Z",
    });
    expect(FIXED_TIME).toBe("2026-06-01T08:00:00Z");
  });

  it("says there is no warehouse yet, still 200 on health, 503 on data", async () => {
    const empty = join(mkdtempSync(join(tmpdir(), "phuluc-empty-")), "phuluc.duckdb");
    const a = createApp({ reader: new WarehouseReader(empty), keyCheck: staticKeyCheck(KEY), sandbox, clock });
    const h = await request(a).get("/api/health");
    expect(h.status).toBe(200);
    expect(h.body.status).toBe("no-warehouse");
    const f = await request(a).get("/api/runs").set(auth);
    expect(f.status).toBe(503);
    expect(f.body.error.code).toBe("NO_WAREHOUSE");
  });

  const protectedRoutes: Array<[string, string]> = [
    ["get", "/api/forms"],
    ["get", "/api/forms/pl03?year=2025"],
    ["get", "/api/lineage/pl03:2025:1:total:c1"],
    ["get", "/api/runs"],
    ["post", "/api/query"],
    ["get", "/api/does-not-exist"],
  ];
  for (const [method, path] of protectedRoutes) {
    it(`401 on ${method.toUpperCase()} ${path} without a key, with a wrong key, with a malformed header`, async () => {
      for (const header of [undefined, `Bearer wrong-key-0123456789`, `Basic ${KEY}`, `Bearer`, KEY]) {
        let req = method === "get" ? request(app).get(path) : request(app).post(path).send({ sql: "select 1" });
        if (header !== undefined) req = req.set("Authorization", header);
        const r = await req;
        expect(r.status).toBe(401);
        expect(r.body.error.code).toBe("UNAUTHORIZED");
        expect(r.body.error.message).toMatch(/khóa API.*API key/);
        expect(r.headers["www-authenticate"]).toMatch(/^Bearer/);
      }
    });
  }

  it("allows CORS for the pane's origin only", async () => {
    const pre = await request(app)
      .options("/api/forms")
      .set("Origin", PANE)
      .set("Access-Control-Request-Method", "GET")
      .set("Access-Control-Request-Headers", "authorization");
    expect(pre.status).toBe(204);
    expect(pre.headers["access-control-allow-origin"]).toBe(PANE);
    expect(pre.headers["access-control-allow-headers"]).toMatch(/Authorization/i);
    const ok = await request(app).get("/api/forms").set(auth).set("Origin", PANE);
    expect(ok.headers["access-control-allow-origin"]).toBe(PANE);
    for (const origin of ["https://evil.example", "null", "https://pane.example.test.evil.example", "http://pane.example.test"]) {
      const r = await request(app).options("/api/forms").set("Origin", origin).set("Access-Control-Request-Method", "GET");
      expect(r.headers["access-control-allow-origin"]).toBeUndefined();
      const g = await request(app).get("/api/forms").set(auth).set("Origin", origin);
      expect(g.headers["access-control-allow-origin"]).toBeUndefined();
    }
  });

  it("sends a CSP that lets the pane load office.js from Office's CDN and be framed by Excel on the web", async () => {
    const r = await request(app).get("/taskpane.html");
    const csp = r.headers["content-security-policy"];
    expect(csp).toMatch(/script-src 'self' https:\/\/appsforoffice\.microsoft\.com/);
    expect(csp).toMatch(/frame-ancestors [^;]*https:\/\/\*\.officeapps\.live\.com/);
    expect(csp).not.toMatch(/upgrade-insecure-requests/);
    expect(r.headers["x-frame-options"]).toBeUndefined();
    expect(r.headers["x-content-type-options"]).toBe("nosniff");
    expect(r.headers["x-powered-by"]).toBeUndefined();
  });

  it("serves the pane's static files without a key", async () => {
    const r = await request(app).get("/taskpane.html");
    expect(r.status).toBe(200);
    expect(r.text).toContain("<title>phuluc</title>");
    const root = await request(app).get("/");
    expect(root.status).toBe(200);
  });

  it("answers unknown paths with a JSON 404", async () => {
    for (const [path, withKey] of [["/nope.js", false], ["/api/nope", true]] as const) {
      const r = withKey ? await request(app).get(path).set(auth) : await request(app).get(path);
      expect(r.status).toBe(404);
      expect(r.headers["content-type"]).toMatch(/json/);
      expect(r.body.error.code).toBe("NOT_FOUND");
    }
  });
});

describe("forms", () => {
  it("lists the form definitions", async () => {
    const r = await request(app).get("/api/forms").set(auth);
    expect(r.status).toBe(200);
    expect(r.body.forms.map((f: { code: string }) => f.code)).toEqual(queriesEngine.listForms());
  });

  it("gives a form's figures with lineage ids, its rows and rules, generation and checksum", async () => {
    const r = await request(app).get("/api/forms/PL03?year=2025").set(auth);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ form: "pl03", year: 2025, generation: 1, checksum: "sum-1", dataAsOf: "2026-06-01T08:01:00Z" });
    expect(Array.isArray(r.body.rows)).toBe(true);
    expect(Array.isArray(r.body.rules)).toBe(true);
    const fig = r.body.items.find((i: { value: unknown; lineageId: string | null }) => i.value === 1500.5);
    expect(fig.lineageId).toBe(`pl03:2025:1:${fig.rowKey}:${fig.columnId}`);
    const label = r.body.items.find((i: { columnId: string }) => i.columnId === "title");
    expect(label.lineageId).toBeNull();
    // items are the rows' values, flattened
    const n = r.body.rows.reduce((s: number, row: { values: object }) => s + Object.keys(row.values).length, 0);
    expect(r.body.items).toHaveLength(n);
  });

  it("refuses an unknown form, a missing or bad year, a bad asOf", async () => {
    const cases: Array<[string, number, string]> = [
      ["/api/forms/pl99?year=2025", 404, "FORM_NOT_FOUND"],
      ["/api/forms/pl03", 400, "BAD_REQUEST"],
      ["/api/forms/pl03?year=abc", 400, "BAD_REQUEST"],
      ["/api/forms/pl03?year=20255", 400, "BAD_REQUEST"],
      ["/api/forms/pl03?year=2025&asOf=x", 400, "BAD_REQUEST"],
      ["/api/forms/pl03?year=2025&asOf=0", 400, "BAD_REQUEST"],
      ["/api/forms/pl03?year=2025&asOf=99", 404, "GENERATION_NOT_FOUND"],
    ];
    for (const [path, status, code] of cases) {
      const r = await request(app).get(path).set(auth);
      expect([path, r.status, r.body.error?.code]).toEqual([path, status, code]);
      expect(r.body.error.message).toContain(" / ");
    }
  });

  it("turns an unexpected failure into a 500 that leaks nothing", async () => {
    const broken: FormsEngine = {
      ...queriesEngine,
      computeForm: async () => {
        throw new Error("secret path /srv/x");
      },
    };
    const seen: unknown[] = [];
    const a = createApp({ reader: new WarehouseReader(wh.dbPath), keyCheck: staticKeyCheck(KEY), sandbox, engine: broken, logError: (e) => seen.push(e) });
    const r = await request(a).get("/api/forms/pl03?year=2025").set(auth);
    expect(r.status).toBe(500);
    expect(r.body).toEqual({ error: { code: "INTERNAL", message: "lỗi máy chủ / internal server error" } });
    expect(seen).toHaveLength(1);
  });

  it("says which form definition is broken (500, the server's own file)", async () => {
    const broken: FormsEngine = {
      ...queriesEngine,
      loadForms: () => {
        throw new ProblemError([problem("E_FORM_DEF", "error", { form: "pl01" }, "Định nghĩa biểu mẫu không hợp lệ", "Invalid form definition")]);
      },
    };
    const a = createApp({ reader: new WarehouseReader(wh.dbPath), keyCheck: staticKeyCheck(KEY), sandbox, engine: broken, logError: () => undefined });
    const r = await request(a).get("/api/forms").set(auth);
    expect(r.status).toBe(500);
    expect(r.body.error).toEqual({ code: "INTERNAL", message: "Định nghĩa biểu mẫu không hợp lệ / Invalid form definition: E_FORM_DEF" });
  });
});

describe("lineage and runs", () => {
  it("gives the facts behind a figure, paged, with office, file, sheet, cell, run and time", async () => {
    const form = await request(app).get("/api/forms/pl03?year=2025").set(auth);
    const fig = form.body.items.find((i: { value: unknown }) => i.value === 1500.5);
    const r = await request(app).get(`/api/lineage/${encodeURIComponent(fig.lineageId)}`).set(auth);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ form: "pl03", year: 2025, generation: 1, checksum: "sum-1", page: 0, total: 2 });
    expect(r.body.facts[0]).toMatchObject({
      office: "khtc",
      fileId: "khtc/ke-hoach.xlsx",
      sheet: "PL03",
      cell: "F8",
      runId: 1,
      loadedAt: "2026-06-01T08:01:00Z",
      amount: "1200.5",
    });
    const page1 = await request(app).get(`/api/lineage/${encodeURIComponent(fig.lineageId)}?page=1`).set(auth);
    expect(page1.status).toBe(200);
    expect(page1.body).toMatchObject({ page: 1, total: 2, facts: [] });
  });

  it("refuses malformed lineage ids and pages", async () => {
    const cases: Array<[string, number, string]> = [
      ["/api/lineage/pl03:2025:1:c1", 400, "BAD_REQUEST"],
      ["/api/lineage/pl03:year:1:total:c1", 400, "BAD_REQUEST"],
      ["/api/lineage/pl03:2025:gen:total:c1", 400, "BAD_REQUEST"],
      ["/api/lineage/pl99:2025:1:total:c1", 404, "FORM_NOT_FOUND"],
      ["/api/lineage/pl03:2025:1:total:c1?page=-1", 400, "BAD_REQUEST"],
      ["/api/lineage/pl03:2025:1:total:c1?page=x", 400, "BAD_REQUEST"],
      ["/api/lineage/pl03:2025:77:total:c1", 404, "GENERATION_NOT_FOUND"],
      ["/api/lineage/pl03:2025:1:total:%E0%A4%A", 400, "BAD_REQUEST"],
    ];
    for (const [path, status, code] of cases) {
      const r = await request(app).get(path).set(auth);
      expect([path, r.status, r.body.error?.code]).toEqual([path, status, code]);
    }
  });

  it("lists the load runs with their reports", async () => {
    const r = await request(app).get("/api/runs").set(auth);
    expect(r.status).toBe(200);
    expect(r.body.generation).toBe(1);
    expect(r.body.checksum).toBe("sum-1");
    expect(r.body.runs).toEqual([
      {
        runId: 1,
        startedAt: "2026-06-01T08:00:00Z",
        finishedAt: "2026-06-01T08:01:00Z",
        command: "etl load",
        outcome: "loaded",
        filesRead: 1,
        filesLoaded: 1,
        rowsLoaded: 2,
        checksum: "sum-1",
        report: { problems: [], changes: [] },
      },
    ]);
  });
});

describe("query", () => {
  it("answers JSON rows: DECIMAL as strings, BIGINT as numbers when safe, with generation and checksum", async () => {
    const r = await request(app)
      .post("/api/query")
      .set(auth)
      .send({
        sql: "select task_code, amount, 9007199254740993::bigint as big, 42::bigint as small from fact_task_funding where year = $year order by task_code",
        params: { year: 2025 },
      });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ generation: 1, checksum: "sum-1", rowCount: 2, truncated: false, maxRows: 100000 });
    expect(r.body.columns).toEqual([
      { name: "task_code", type: "VARCHAR" },
      { name: "amount", type: "DECIMAL(38,6)" },
      { name: "big", type: "BIGINT" },
      { name: "small", type: "BIGINT" },
    ]);
    expect(r.body.rows[0]).toEqual({ task_code: "T01", amount: "1200.500000", big: "9007199254740993", small: 42 });
    expect(r.headers["x-phuluc-generation"]).toBe("1");
    expect(r.headers["x-phuluc-checksum"]).toBe("sum-1");
  });

  it("types parameters by the SQL's use, or by a :type suffix", async () => {
    const r = await request(app)
      .post("/api/query")
      .set(auth)
      .send({ sql: "select $d + 1 as d, $n * 2 as n, $t as t, $y::int + 1 as y", params: { "d:date": "2024-12-31", "n:decimal": "0.125", "t:text": "- Nhiệm vụ", y: "2024" } });
    expect(r.status).toBe(200);
    expect(r.body.rows).toEqual([{ d: "2025-01-01", n: "0.250", t: "- Nhiệm vụ", y: 2025 }]);
  });

  it("caps rows and says so", async () => {
    const r = await request(app).post("/api/query").set(auth).send({ sql: "select * from range(1000000000000)", maxRows: 10 });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ rowCount: 10, truncated: true, maxRows: 10 });
    expect(r.body.rows).toHaveLength(10);
  });

  it("refuses bad bodies and parameters", async () => {
    const cases: Array<[unknown, number, string]> = [
      [{}, 400, "BAD_REQUEST"],
      [{ sql: 1 }, 400, "BAD_REQUEST"],
      [{ sql: "select 1", format: "pdf" }, 400, "BAD_REQUEST"],
      [{ sql: "select 1", maxRows: -1 }, 400, "BAD_REQUEST"],
      [{ sql: "select $a as a", params: { "a:weird": "1" } }, 400, "QUERY_PARAMS"],
      [{ sql: "select $a as a", params: { "a:int": "x" } }, 400, "QUERY_PARAMS"],
      [{ sql: "select $a as a", params: { a: { nested: 1 } } }, 400, "QUERY_PARAMS"],
      [{ sql: "select $a as a", params: {} }, 400, "QUERY_PARAMS"],
      [{ sql: "select 1 as a", params: { extra: 1 } }, 400, "QUERY_PARAMS"],
      [{ sql: "select $y::int as y", params: { y: "abc" } }, 422, "QUERY_FAILED"],
      [{ sql: "select 1/0::int as x, error('boom')" }, 422, "QUERY_FAILED"],
      [{ sql: "selec 1" }, 400, "QUERY_NOT_SELECT"],
      [{ sql: "select from where" }, 400, "QUERY_SYNTAX"],
      [{ sql: "select * from no_such_table" }, 400, "QUERY_INVALID"],
      [{ sql: "   " }, 400, "QUERY_SYNTAX"],
    ];
    for (const [body, status, code] of cases) {
      const r = await request(app).post("/api/query").set(auth).send(body as object);
      expect([JSON.stringify(body), r.status, r.body.error?.code]).toEqual([JSON.stringify(body), status, code]);
    }
    const notJson = await request(app).post("/api/query").set(auth).set("Content-Type", "application/json").send("{not json");
    expect(notJson.status).toBe(400);
    expect(notJson.body.error.code).toBe("BAD_REQUEST");
  });

  it("limits the body size", async () => {
    const r = await request(app).post("/api/query").set(auth).send({ sql: `select '${"x".repeat(300_000)}'` });
    expect(r.status).toBe(413);
    expect(r.body.error.code).toBe("BODY_TOO_LARGE");
  });

  it("rate-limits /api/query", async () => {
    const a = createApp({ reader: new WarehouseReader(wh.dbPath), keyCheck: staticKeyCheck(KEY), sandbox, queryPerMinute: 2 });
    const codes: number[] = [];
    for (let i = 0; i < 3; i++) codes.push((await request(a).post("/api/query").set(auth).send({ sql: "select 1 as one" })).status);
    expect(codes).toEqual([200, 200, 429]);
    const r = await request(a).post("/api/query").set(auth).send({ sql: "select 1 as one" });
    expect(r.body.error.code).toBe("RATE_LIMITED");
    expect((await request(a).get("/api/runs").set(auth)).status).toBe(200);
  });
});

describe("older generations", () => {
  it("serves asOf and lineage ids of an older generation, and 404 once it is pruned", async () => {
    const g2 = await wh.load({ tasks: [{ code: "T09", title: "Nhiệm vụ mới", amount: "10.000000" }] });
    expect(g2).toBe(2);
    const now = await request(app).get("/api/forms/pl03?year=2025").set(auth);
    expect(now.body).toMatchObject({ generation: 2, checksum: "sum-2" });
    const old = await request(app).get("/api/forms/pl03?year=2025&asOf=1").set(auth);
    expect(old.body).toMatchObject({ generation: 1, checksum: "sum-1" });
    const fig = old.body.items.find((i: { value: unknown }) => i.value === 1500.5);
    const lin = await request(app).get(`/api/lineage/${encodeURIComponent(fig.lineageId)}`).set(auth);
    expect(lin.status).toBe(200);
    expect(lin.body).toMatchObject({ generation: 1, checksum: "sum-1", total: 2 });
    // prune everything but the newest: generation 1 is gone
    expect(pruneGenerations(wh.dbPath, 0, 1, Date.now() + 86_400_000)).toEqual([1]);
    const gone = await request(app).get(`/api/lineage/${encodeURIComponent(fig.lineageId)}`).set(auth);
    expect(gone.status).toBe(404);
    expect(gone.body.error.code).toBe("GENERATION_NOT_FOUND");
  });
});
