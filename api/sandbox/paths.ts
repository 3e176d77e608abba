// The second line against the server's folders leaving the sandbox. The first is at the source
// (SANDBOX_POLICY in warehouse/db.ts: neutral settings, the catalogue that names folders refused
// from the parse tree), which a dressed answer (reverse, hex, base64) cannot get past; this one
// catches what is left in plain text: an answer naming a folder — one the analyst did not write
// into the SQL — is refused, and error messages have them blanked out.
import { realpathSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, resolve, sep } from "node:path";
import type { WorkerConfig } from "./protocol.js";

function forms(p: string): string[] {
  const out = [resolve(p)];
  try {
    out.push(realpathSync(p));
  } catch {
    /* not there (yet) */
  }
  return out;
}

/** Absolute folders of this machine that answers must not name, longest first. */
export function serverPaths(config: WorkerConfig): string[] {
  const list = [
    ...forms(homedir()),
    ...forms(process.cwd()),
    ...forms(config.spillDir),
    ...(config.source.kind === "db" ? forms(dirname(resolve(config.source.dbPath))) : forms(config.source.lake)),
    `${sep}.duckdb${sep}`,
  ];
  return [...new Set(list)].filter((p) => p.length > 1 && p !== sep).sort((a, b) => b.length - a.length);
}

/** The first server path the value names that the SQL does not, or null. */
export function namedPath(value: unknown, paths: string[], sql: string): string | null {
  if (value === null || value === undefined) return null;
  const text = typeof value === "string" ? value : typeof value === "object" ? JSON.stringify(value) : "";
  if (text === "") return null;
  for (const p of paths) if (text.includes(p) && !sql.includes(p)) return p;
  return null;
}

/** The text with every server path the SQL does not name replaced by "…". */
export function blankPaths(text: string, paths: string[], sql: string): string {
  let out = text;
  for (const p of paths) if (!sql.includes(p)) out = out.split(p).join("…");
  return out;
}
