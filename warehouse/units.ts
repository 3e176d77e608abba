// The dated administrative units (core/admin/units.json) and levels (levels.json) as tables, so
// that SQL can map a fact's (province code, year) to its unit and a former unit to its successor.
// Written from the data files on every load and into every lake, never typed twice; a handful of
// set-based statements (lists unnested side by side), so a load pays one round trip, not a hundred.
import { listValue } from "@duckdb/node-api";
import { allUnits, levelDefs, successions } from "../core/units.js";
import type { Db } from "./db.js";

const list = (xs: (string | null)[]) => listValue(xs);

export async function writeUnits(db: Db): Promise<void> {
  const u = allUnits();
  await db.run("delete from admin_unit");
  await db.run(
    `insert into admin_unit
     select unnest($id), unnest($code), unnest($name), unnest($kind), unnest($from)::date, unnest($to)::date`,
    {
      id: list(u.map((x) => x.id)), code: list(u.map((x) => x.code)), name: list(u.map((x) => x.name)), kind: list(u.map((x) => x.kind)),
      from: list(u.map((x) => x.valid_from)), to: list(u.map((x) => x.valid_to)),
    },
  );
  const s = successions();
  await db.run("delete from admin_unit_succession");
  await db.run("insert into admin_unit_succession select unnest($from), unnest($to), unnest($date)::date", {
    from: list(s.map((x) => x.from)), to: list(s.map((x) => x.to)), date: list(s.map((x) => x.date)),
  });
  // the levels' dates too, over what the migration first wrote (only dated levels need a statement)
  await db.run("update task_level set valid_from = null, valid_to = null");
  for (const l of levelDefs().filter((x) => x.valid_from !== null || x.valid_to !== null)) {
    await db.run("update task_level set valid_from = $from::date, valid_to = $to::date where level_code = $code", {
      code: l.code, from: l.valid_from, to: l.valid_to,
    });
  }
}
