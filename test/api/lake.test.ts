// Every route on a Parquet lake (the warehouse export) instead of a warehouse file.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../api/app.js";
import { staticKeyCheck } from "../../api/keys.js";
import { LakeReader } from "../../warehouse/lake.js";
import { SandboxPool } from "../../api/sandbox/runner.js";
import { exportParquet } from "../../warehouse/export.js";
import { openCurrent } from "../../warehouse/generations.js";
import { makeWarehouse, type TestWarehouse } from "./fixtures.js";

const KEY = "lake-test-key-0123456789";
const auth = { Authorization: `Bearer ${KEY}` };
let wh: TestWarehouse;
let lake: string;
let sandbox: SandboxPool;
let reader: LakeReader;
let app: ReturnType<typeof createApp>;

beforeAll(async () => {
  wh = await makeWarehouse();
  await wh.load();
  lake = mkdtempSync(join(tmpdir(), "phuluc-lake-"));
  const db = await openCurrent(wh.dbPath);
  try {
    await exportParquet(db, lake);
  } finally {
    db.close();
  }
  reader = new LakeReader(lake);
  sandbox = new SandboxPool({ source: { kind: "lake", lake } }).start();
  app = createApp({ reader, keyCheck: staticKeyCheck(KEY), sandbox });
});

afterAll(async () => {
  await sandbox?.close();
  reader?.close();
  wh?.cleanup();
  if (lake) rmSync(lake, { recursive: true, force: true });
});

describe("--lake", () => {
  it("answers health, forms, lineage and runs from the lake", async () => {
    const h = await request(app).get("/api/health");
    expect(h.body).toMatchObject({ status: "ok", generation: 1, checksum: "sum-1" });
    const f = await request(app).get("/api/forms/pl03?year=2025").set(auth);
    expect(f.status).toBe(200);
    expect(f.body).toMatchObject({ generation: 1, checksum: "sum-1" });
    const fig = f.body.items.find((i: { value: unknown }) => i.value === 1500.5);
    expect(fig).toBeDefined();
    const l = await request(app).get(`/api/lineage/${encodeURIComponent(fig.lineageId)}`).set(auth);
    expect(l.status).toBe(200);
    expect(l.body.facts[0]).toMatchObject({ fileId: "khtc/ke-hoach.xlsx", sheet: "PL03", cell: "F8", runId: 1 });
    const r = await request(app).get("/api/runs").set(auth);
    expect(r.body.runs.map((x: { runId: number }) => x.runId)).toEqual([1]);
    const old = await request(app).get("/api/forms/pl03?year=2025&asOf=7").set(auth);
    expect(old.status).toBe(404);
    expect(old.body.error.code).toBe("GENERATION_NOT_FOUND");
  });

  it("runs analysts' SQL in the sandbox: the lake is readable, nothing else", async () => {
    const ok = await request(app).post("/api/query").set(auth).send({ sql: "select count(*) as n from task where province_code = $p", params: { p: "80" } });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ generation: 1, checksum: "sum-1", rows: [{ n: 2 }] });
    const inLake = await request(app)
      .post("/api/query")
      .set(auth)
      .send({ sql: `select count(*) as n from read_parquet('${join(lake, "task", "*", "*.parquet")}')` });
    expect(inLake.body.rows).toEqual([{ n: 2 }]);
    for (const sql of ["select * from read_csv('/etc/passwd')", `select * from read_parquet('${join(wh.dir, "*.parquet")}')`, "set enable_external_access = true"]) {
      const r = await request(app).post("/api/query").set(auth).send({ sql });
      expect(r.status).toBeGreaterThanOrEqual(400);
      expect(r.status).toBeLessThan(500);
      expect(["QUERY_REFUSED_BY_SANDBOX", "QUERY_NOT_SELECT"]).toContain(r.body.error.code);
    }
  });

  it("limits a lake to one province", async () => {
    const other = new LakeReader(lake, { province: "81" });
    const pool = new SandboxPool({ source: { kind: "lake", lake, province: "81" } });
    try {
      const a = createApp({ reader: other, keyCheck: staticKeyCheck(KEY), sandbox: pool });
      const r = await request(a).post("/api/query").set(auth).send({ sql: "select count(*) as n from task" });
      expect(r.body.rows).toEqual([{ n: 0 }]);
    } finally {
      await pool.close();
      other.close();
    }
    await expect(new LakeReader(lake, { province: "80' or 1=1 --" }).use(async () => 0)).rejects.toThrow(/province/);
  });
});
