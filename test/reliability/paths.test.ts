// Issue 13, finding 6: the server's folders must not leak through the SQL sandbox, however the
// answer is dressed. Every source of a path the sandboxed DuckDB has (settings, the database's
// path, the catalogue, SQL run from a string) is read through reverse(), replace(),
// string_split(), to_base64(), hex() and failing casts; each answer is decoded back and must name
// neither the warehouse's folder, nor the temp folder, nor the home folder. The sandbox hides them
// at the source (neutral settings, refused catalogue), so no answer filter is what holds here.
import { realpathSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { exportParquet } from "../../warehouse/export.js";
import { openCurrent } from "../../warehouse/generations.js";
import { recordFigures, removeDir, type WarehouseDir } from "./helpers.js";
import { serveWarehouse, smallWarehouse, type Running } from "./server.js";

const KEY = "reliability-paths-key-0123456789abcdefghij";

/** Text-valued expressions over every place the sandboxed connection could read a path from. */
const SOURCES: Record<string, string> = {
  "temp_directory": "current_setting('temp_directory')",
  "home_directory": "current_setting('home_directory')",
  "extension_directory": "current_setting('extension_directory')",
  "secret_directory": "current_setting('secret_directory')",
  "allowed_directories": "current_setting('allowed_directories')::varchar",
  "allowed_paths": "current_setting('allowed_paths')::varchar",
  "duckdb_databases().path": "(select string_agg(path, ';') from duckdb_databases())",
  "pragma_database_list": "(select string_agg(file, ';') from pragma_database_list)",
  "duckdb_settings()": "(select string_agg(value, ';') from duckdb_settings())",
  "pg_settings": "(select string_agg(setting, ';') from pg_catalog.pg_settings)",
  "duckdb_extensions()": "(select string_agg(install_path, ';') from duckdb_extensions())",
  "duckdb_temporary_files()": "(select string_agg(path, ';') from duckdb_temporary_files())",
  "duckdb_views()": "(select string_agg(sql, ';') from duckdb_views())",
  "information_schema.views": "(select string_agg(view_definition, ';') from information_schema.views)",
  "query()": "(select string_agg(value, ';') from query('select value from duckdb_settings()'))",
  "query_table()": "(select string_agg(value, ';') from query_table('duckdb_settings'))",
  // PIVOT is a statement DuckDB's serialiser does not take: no parse tree to read the names from
  "pivot of duckdb_settings()": `(select concat_ws(';', "temp_directory", "allowed_directories"::varchar, "allowed_paths"::varchar, "secret_directory")
      from (pivot (select name, value from duckdb_settings())
            on name in ('temp_directory', 'allowed_directories', 'allowed_paths', 'secret_directory') using first(value)))`,
};

/** Ways to dress a text past a literal filter, and how to read the answer back. */
const DRESSES: Record<string, { sql: (x: string) => string; decode: (v: unknown) => string }> = {
  plain: { sql: (x) => x, decode: (v) => String(v) },
  reverse: { sql: (x) => `reverse(${x})`, decode: (v) => [...String(v)].reverse().join("") },
  replace: { sql: (x) => `replace(${x}, '/', '|')`, decode: (v) => String(v).replace(/\|/g, "/") },
  string_split: { sql: (x) => `string_split(${x}, '/')`, decode: (v) => (Array.isArray(v) ? v.join("/") : String(v)) },
  to_base64: { sql: (x) => `to_base64(${x}::blob)`, decode: (v) => Buffer.from(String(v), "base64").toString("utf8") },
  hex: { sql: (x) => `hex(${x})`, decode: (v) => Buffer.from(String(v), "hex").toString("utf8") },
  "cast to int": { sql: (x) => `(${x})::int`, decode: (v) => String(v) },
  "cast to date": { sql: (x) => `(${x})::date`, decode: (v) => String(v) },
};

const figures = { attempts: 0, refused: 0, answeredWithoutPath: 0, leaks: [] as string[] };

for (const kind of ["warehouse", "lake"] as const)
describe(`no path leaks through the sandbox on a ${kind}, however dressed (issue 13, finding 6)`, () => {
  let w: WarehouseDir;
  let running: Running | undefined;
  let base = "";
  let secrets: string[] = [];
  let lake = "";

  beforeAll(async () => {
    w = await smallWarehouse("paths");
    if (kind === "lake") {
      // the lake's views read its folder by absolute path: one more place a path could come from
      lake = join(w.dir, "lake");
      const db = await openCurrent(w.db);
      try {
        await exportParquet(db, lake);
      } finally {
        db.close();
      }
    }
    running = await serveWarehouse({
      db: w.db,
      key: KEY,
      pool: { source: kind === "lake" ? { kind: "lake", lake } : { kind: "db", dbPath: w.db }, timeLimitMs: 20_000 },
      app: { queryPerMinute: 100_000 },
    });
    base = running.base;
    const forms = (p: string) => [p, realpathSync(p)];
    // the warehouse's folder, the temp folder (the workers' folders are in it), the home folder
    secrets = [...new Set([...forms(w.dir), ...forms(tmpdir()), ...forms(homedir())])].filter((p) => p.length > 1);
  }, 60_000);

  afterAll(async () => {
    await running?.close();
    if (w) removeDir(w.dir);
    if (kind === "lake") recordFigures("paths", figures);
  });

  const post = async (sql: string) => {
    const res = await fetch(`${base}/api/query`, {
      method: "POST",
      headers: { authorization: `Bearer ${KEY}`, "content-type": "application/json" },
      body: JSON.stringify({ sql }),
    });
    return { status: res.status, text: await res.text() };
  };

  for (const [source, expr] of Object.entries(SOURCES)) {
    it(`${source}: no folder of the server in any dressing`, async () => {
      const found: string[] = [];
      for (const [dress, d] of Object.entries(DRESSES)) {
        const sql = `select ${d.sql(expr)} as v`;
        const r = await post(sql);
        figures.attempts++;
        const body = JSON.parse(r.text) as { rows?: { v: unknown }[]; error?: { code: string; message: string } };
        const texts = [r.text];
        if (r.status === 200) {
          for (const row of body.rows ?? []) texts.push(d.decode(row.v));
          figures.answeredWithoutPath++;
        } else {
          expect(body.error?.code, r.text.slice(0, 200)).toMatch(/^QUERY_/);
          texts.push(body.error?.message ?? "");
          figures.refused++;
        }
        for (const t of texts) for (const s of secrets) if (t.includes(s)) found.push(`${dress}: ${s}`);
      }
      if (found.length > 0) figures.leaks.push(`${kind} ${source} (${found.join(", ")})`);
      expect(found, `${source} names the server's folders`).toEqual([]);
    }, 60_000);
  }

  it("an ordinary query still runs, parameters and catalogue of the tables included", async () => {
    const r = await post("select name, (select count(*) from information_schema.tables) > 0 as has_tables from province");
    expect(r.status, r.text).toBe(200);
    expect(JSON.parse(r.text).rows).toEqual([{ name: "Long An", has_tables: true }]);
    // the analysts' own catalogue questions are not the hidden ones
    for (const sql of ["show tables", "describe province", "summarize province", "select table_name from information_schema.columns limit 1"]) {
      const a = await post(sql);
      expect(a.status, `${sql}: ${a.text.slice(0, 200)}`).toBe(200);
    }
  });
});
