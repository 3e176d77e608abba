// The dated administrative units (core/admin/units.json) and levels (levels.json) as tables, so that SQL can map a fact's
// (province code, year) to its unit and a former unit to its successor. Written from the data file
// on every load and into every lake, never typed twice.
import { allUnits, levelDefs, successions } from "../core/units.js";
import type { Db } from "./db.js";

export async function writeUnits(db: Db): Promise<void> {
  await db.run("delete from admin_unit");
  await db.run("delete from admin_unit_succession");
  for (const u of allUnits()) {
    await db.run("insert into admin_unit values ($id, $code, $name, $kind, $from::date, $to::date)", {
      id: u.id, code: u.code, name: u.name, kind: u.kind, from: u.valid_from, to: u.valid_to,
    });
  }
  for (const s of successions()) {
    await db.run("insert into admin_unit_succession values ($from, $to, $date::date)", { from: s.from, to: s.to, date: s.date });
  }
  // the levels' dates too (core/admin/levels.json), over what the migration first wrote
  for (const l of levelDefs()) {
    await db.run("update task_level set valid_from = $from::date, valid_to = $to::date where level_code = $code", {
      code: l.code, from: l.valid_from, to: l.valid_to,
    });
  }
}
