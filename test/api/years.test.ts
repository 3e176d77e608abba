// GET /api/years: the years the warehouse has figures for (the pane's plan-year default), on a
// real warehouse; the key is needed like on every data route; before the first load, 503.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../api/app.js";
import { staticKeyCheck } from "../../api/keys.js";
import { WarehouseReader } from "../../api/readers.js";
import type { QueryRunner } from "../../api/sandbox/runner.js";
import { makeWarehouse, type TestWarehouse } from "./fixtures.js";

const KEY = "test-key-years-0123456789abcdef";
const auth = { Authorization: `Bearer ${KEY}` };
const sandbox: QueryRunner = { run: () => Promise.reject(new Error("no sandbox here")), close: async () => {} } as unknown as QueryRunner;

let wh: TestWarehouse;
beforeAll(async () => {
  wh = await makeWarehouse();
  await wh.load();
});
afterAll(() => wh?.cleanup());

describe("GET /api/years", () => {
  it("lists the years with figures, with the generation", async () => {
    const app = createApp({ reader: new WarehouseReader(wh.dbPath), keyCheck: staticKeyCheck(KEY), sandbox });
    const r = await request(app).get("/api/years").set(auth);
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ generation: 1, years: [2025] });
    expect((await request(app).get("/api/years")).status).toBe(401);
  });

  it("answers NO_WAREHOUSE before the first load", async () => {
    const empty = join(mkdtempSync(join(tmpdir(), "phuluc-years-")), "phuluc.duckdb");
    const app = createApp({ reader: new WarehouseReader(empty), keyCheck: staticKeyCheck(KEY), sandbox });
    const r = await request(app).get("/api/years").set(auth);
    expect([r.status, r.body.error?.code]).toEqual([503, "NO_WAREHOUSE"]);
  });
});
