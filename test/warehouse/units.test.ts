// The administrative units every load writes (warehouse/units.ts): written once, and found written
// by the loads after (admin_unit's comment is the key of what was written), but written again
// whenever what a warehouse holds was not written from these data files.
import { describe, expect, it } from "vitest";
import { allUnits, successions } from "../../core/units.js";
import { openDb } from "../../warehouse/db.js";
import { currentGeneration, openCurrent } from "../../warehouse/generations.js";
import { loadFiles } from "../../warehouse/load.js";
import { unitsKey } from "../../warehouse/units.js";
import { file, inbox, task, tempDb } from "./helpers.js";

const province = { code: "80", name: "Long An" };
const clock = () => new Date("2024-06-30T08:00:00Z");

async function units(dbPath: string) {
  const db = await openCurrent(dbPath);
  try {
    return {
      key: (await db.all<{ comment: string | null }>("select comment from duckdb_tables() where table_name = 'admin_unit' and database_name = current_database()"))[0]!.comment,
      units: await db.all<{ unit_id: string }>("select unit_id from admin_unit order by all"),
      succession: (await db.all<{ n: number }>("select count(*)::integer n from admin_unit_succession"))[0]!.n,
      levels: await db.all("select level_code, valid_from::varchar f, valid_to::varchar t from task_level order by all"),
    };
  } finally {
    db.close();
  }
}

const expected = () => allUnits().map((u) => ({ unit_id: u.id })).sort((a, b) => (a.unit_id < b.unit_id ? -1 : 1));

describe("the administrative units of a warehouse", () => {
  it("are written by the first load with their key, and stand through the loads after", async () => {
    const db = tempDb();
    const first = inbox([file("P.QLKH/dm.xlsx", { tasks: [task("NV-01", "B7")] })]);
    expect((await loadFiles(first.scan, first.parse, { dbPath: db, province, now: clock })).outcome).toBe("loaded");
    const a = await units(db);
    expect(a.key).toBe(unitsKey());
    expect(a.units).toEqual(expected());
    expect(a.succession).toBe(successions().length);
    const second = inbox([file("P.QLKH/dm.xlsx", { tasks: [task("NV-01", "B7"), task("NV-02", "B8")] }, "h2")]);
    expect((await loadFiles(second.scan, second.parse, { dbPath: db, province, now: clock })).outcome).toBe("loaded");
    expect(await units(db)).toEqual(a);
  });

  it("are written again over tables not written from these data files (another key, or none)", async () => {
    const db = tempDb();
    const first = inbox([file("P.QLKH/dm.xlsx", { tasks: [task("NV-01", "B7")] })]);
    await loadFiles(first.scan, first.parse, { dbPath: db, province, now: clock });
    const right = await units(db);
    for (const comment of ["comment on table admin_unit is 'units older'", "comment on table admin_unit is null"]) {
      // a warehouse written by another version: other units, other levels' dates
      const w = await openDb(currentGeneration(db)!.path, { readOnly: false });
      try {
        await w.run("delete from admin_unit where unit_id in (select unit_id from admin_unit limit 3)");
        await w.run("delete from admin_unit_succession");
        await w.run("update task_level set valid_from = null, valid_to = null");
        await w.run(comment);
      } finally {
        w.close();
      }
      expect((await units(db)).units.length).toBe(expected().length - 3);
      const next = inbox([file("P.QLKH/dm.xlsx", { tasks: [task("NV-01", "B7")] }, `h-${comment.length}`)]);
      expect((await loadFiles(next.scan, next.parse, { dbPath: db, province, now: clock })).outcome).toBe("loaded");
      expect(await units(db)).toEqual(right);
    }
  });
});
