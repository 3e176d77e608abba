// The dated administrative units (core/admin/units.json) and levels (levels.json) as tables, so
// that SQL can map a fact's (province code, year) to its unit and a former unit to its successor.
// Written from the data files on every load and into every lake, never typed twice; a handful of
// set-based statements (lists unnested side by side), so a load pays one round trip, not a hundred.
import { createHash } from "node:crypto";
import { listValue } from "@duckdb/node-api";
import { allUnits, levelDefs, successions } from "../core/units.js";
import { commentOn, sqlString, type Db } from "./db.js";
import { SCHEMA_VERSION } from "./migrate.js";

const list = (xs: (string | null)[]) => listValue(xs);

let written: string | undefined;
/**
 * What writeUnits writes, in a word: a hash of the units, their successions and the levels' dates,
 * and of the schema they are written into (a migration that touches these tables makes a new one).
 */
export function unitsKey(): string {
  written ??= `units ${createHash("sha256")
    .update(JSON.stringify([SCHEMA_VERSION, allUnits(), successions(), levelDefs()]))
    .digest("hex")
    .slice(0, 32)}`;
  return written;
}

/**
 * The tables as the data files say, unless they already are: admin_unit's comment is the key of
 * what was last written (only this function writes these tables, and every load calls it). A
 * warehouse's later loads, and its first one from a template that has them, write nothing: the
 * two inserts and their deletes were about 30 ms of every load, and the commit wrote the tables again.
 */
export async function writeUnits(db: Db): Promise<void> {
  const key = unitsKey();
  if ((await commentOn(db, "table", "admin_unit")) === key) return;
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
  // our own hex, not input (a COMMENT takes no parameter)
  await db.run(`comment on table admin_unit is ${sqlString(key)}`);
}
