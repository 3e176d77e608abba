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
 * `select * from (<sql>) as query`, so that the caller can add its own `order by`.
 */
export function withModels(sql: string): string {
  const needed = new Set<string>();
  const all = models();
  const need = (text: string): void => {
    for (const m of all) {
      if (!needed.has(m.name) && mentions(text, m.name)) {
        needed.add(m.name);
        need(m.sql);
      }
    }
  };
  need(sql);
  const ctes = all.filter((m) => needed.has(m.name)).map((m) => `${m.name} as (\n${m.sql}\n)`);
  const body = `select * from (\n${sql}\n) as query`;
  return ctes.length === 0 ? body : `with ${ctes.join(",\n")}\n${body}`;
}
