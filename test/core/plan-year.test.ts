// The plan years are one range (core/plan-year.ts), checked the same way by the fill command, the
// API, the task pane and the template maker: a year one takes is never refused by another (the
// fill command took 1900–2999, the API 1900–2200, the pane and the template maker 2000–2100).
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import request from "supertest";
import { describe, expect, it } from "vitest";
import { createApp } from "../../api/app.js";
import { staticKeyCheck } from "../../api/keys.js";
import { WarehouseReader } from "../../api/readers.js";
import { UsageError } from "../../core/exit.js";
import { isPlanYear, PLAN_YEAR_MAX, PLAN_YEAR_MIN } from "../../core/plan-year.js";
import { fillCommand } from "../../fill/command.js";

const KEY = "test-key-0123456789abcdef";

describe("one plan-year range", () => {
  it("is 2000–2100, integers only", () => {
    expect([PLAN_YEAR_MIN, PLAN_YEAR_MAX]).toEqual([2000, 2100]);
    expect([1999, 2000, 2026, 2100, 2101, 2026.5, Number.NaN].map(isPlanYear)).toEqual([false, true, true, true, false, false, false]);
  });

  it("the fill command refuses a year outside it as a usage error (exit 2), before reading anything", async () => {
    for (const year of [1999, 2101, 2500]) {
      await expect(fillCommand({ year, check: true, db: "no-such.duckdb", template: "no-such.xlsx", form: [] })).rejects.toThrow(UsageError);
    }
  });

  it("the API refuses a year outside it (400), naming the range", async () => {
    const empty = join(mkdtempSync(join(tmpdir(), "phuluc-years-")), "phuluc.duckdb");
    const app = createApp({ reader: new WarehouseReader(empty), keyCheck: staticKeyCheck(KEY), sandbox: {} as never }); // no query route is asked
    for (const year of [1999, 2101]) {
      const r = await request(app).get(`/api/forms/pl01?year=${year}`).set({ Authorization: `Bearer ${KEY}` });
      expect(r.status, String(year)).toBe(400);
      expect(JSON.stringify(r.body)).toContain("2000–2100");
    }
  });
});
