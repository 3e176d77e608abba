// Appendix answers are kept per generation (a published generation never changes): the second
// identical request does not run the SQL again; a new load (a new generation) does.
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp, queriesEngine, type FormsEngine } from "../../api/app.js";
import { staticKeyCheck } from "../../api/keys.js";
import { WarehouseReader } from "../../api/readers.js";
import type { QueryRunner } from "../../api/sandbox/runner.js";
import { makeWarehouse, type TestWarehouse } from "./fixtures.js";

const KEY = "test-key-0123456789abcdef";
let wh: TestWarehouse;
let computed = 0;
const engine: FormsEngine = { ...queriesEngine, computeForm: async (...a) => (computed++, queriesEngine.computeForm(...a)) };

beforeAll(async () => {
  wh = await makeWarehouse();
  await wh.load();
});
afterAll(() => wh?.cleanup());

describe("appendix answers per generation", () => {
  it("are computed once per generation, form and year", async () => {
    const app = createApp({ reader: new WarehouseReader(wh.dbPath), keyCheck: staticKeyCheck(KEY), sandbox: {} as QueryRunner, engine });
    const get = () => request(app).get("/api/forms/pl02?year=2024").set("Authorization", `Bearer ${KEY}`);
    const a = await get();
    const b = await get();
    expect(a.status).toBe(200);
    expect(b.body).toEqual(a.body);
    expect(computed).toBe(1);
    await request(app).get("/api/forms/pl02?year=2023").set("Authorization", `Bearer ${KEY}`);
    expect(computed).toBe(2);
    await wh.load();
    const c = await get();
    expect(c.body.generation).toBe(a.body.generation + 1);
    expect(computed).toBe(3);
  });
});
