// The SQL models (staging, marts) as text, in dependency order, and the composition of a query
// with them. A model depends on another when it names it; the order is derived from the SQL
// itself, so that a new model is a new .sql file and no TypeScript.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const QUERIES_DIR = dirname(fileURLToPath(import.meta.url));

export interface Model {
  name: string;
  layer: "staging" | "marts";
  sql: string;
}

/** A SQL file's text without trailing semicolons and blank lines (it goes inside parentheses). */
export function readSql(path: string): string {
  return readFileSync(path, "utf8").replace(/[\s;]+$/, "");
}

function readLayer(layer: Model["layer"]): Model[] {
  const dir = join(QUERIES_DIR, layer);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith(".sql"))
    .sort()
    .map((f) => {
      const name = f.slice(0, -4);
      // the name becomes a view and a CTE name: an SQL identifier, never input
      if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`queries/${layer}/${f}: a model's file name must be an SQL name`);
      return { name, layer, sql: readSql(join(dir, f)) };
    });
}

/** Comments out of the way so that a name in a comment is not a dependency. */
const stripComments = (sql: string): string => sql.replace(/--[^\n]*/g, "");

const mentions = (sql: string, name: string): boolean => new RegExp(`\\b${name}\\b`, "i").test(stripComments(sql));

let cached: Model[] | undefined;

/** Every staging and mart model, each after the models it names. */
export function models(): Model[] {
  if (cached) return cached;
  const all = [...readLayer("staging"), ...readLayer("marts")];
  const out: Model[] = [];
  const state = new Map<string, "visiting" | "done">();
  const visit = (m: Model): void => {
    const s = state.get(m.name);
    if (s === "done") return;
    if (s === "visiting") throw new Error(`queries: models depend on each other in a cycle at ${m.name}`);
    state.set(m.name, "visiting");
    for (const d of all) if (d !== m && mentions(m.sql, d.name)) visit(d);
    state.set(m.name, "done");
    out.push(m);
  };
  all.forEach(visit);
  cached = out;
  return out;
}

/**
 * A query that can run on any generation, whether or not its views were installed (or installed
 * by an older version): the models it names, and theirs, become CTEs in front of it. The result is
 * `select * from (<sql>) as query`, so that the caller can add its own `order by`. `stored` names
 * models already computed into tables (model → table, our own names): such a CTE reads its table.
 */
export function withModels(sql: string, stored: ReadonlyMap<string, string> = new Map()): string {
  const needed = new Set(modelsNamedBy(sql, stored));
  const body = (m: Model): string => (stored.has(m.name) ? `select * from ${stored.get(m.name)}` : m.sql);
  const ctes = models().filter((m) => needed.has(m.name)).map((m) => `${m.name} as (\n${body(m)}\n)`);
  const query = `select * from (\n${sql}\n) as query`;
  return ctes.length === 0 ? query : `with ${ctes.join(",\n")}\n${query}`;
}

/** The models a query names, and theirs (but those of a model in `stored`), in dependency order. */
export function modelsNamedBy(sql: string, stored: ReadonlyMap<string, string> = new Map()): string[] {
  const needed = new Set<string>();
  const all = models();
  const need = (text: string): void => {
    for (const m of all) {
      if (!needed.has(m.name) && mentions(text, m.name)) {
        needed.add(m.name);
        // a model already computed into a table needs none of the models it is made of
        if (!stored.has(m.name)) need(m.sql);
      }
    }
  };
  need(sql);
  return all.filter((m) => needed.has(m.name)).map((m) => m.name);
}
