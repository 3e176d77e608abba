// Shared by the reliability suite: a warehouse holding the sample inbox (loaded once per suite,
// copied per case), a canonical dump of a warehouse, inboxes derived from the sample by editing
// workbook parts in place, and the figures each test file records for docs/reliability.md.
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { strFromU8, strToU8, unzipSync, zipSync } from "fflate";
import { ConfigSchema, type Config } from "../../core/config.js";
import type { Problem } from "../../core/problem.js";
import { runLoad } from "../../etl/commands.js";
import type { LoadReport } from "../../warehouse/load.js";
import { openCurrent } from "../../warehouse/generations.js";

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const SAMPLE_INBOX = join(ROOT, "sample", "inbox");
export const BAD_CORPUS = join(ROOT, "test", "fixtures", "bad");

/** The sample's configuration (province 80, Long An), default limits. */
export const CONFIG: Config = ConfigSchema.parse({ province: { code: "80", name: "Long An" } });

/** A fixed clock for every load of the suite (load_run times end up in the dumps). */
export const FIXED_NOW = (): Date => new Date("2026-06-01T08:00:00Z");

export function tempDir(tag: string): string {
  return mkdtempSync(join(tmpdir(), `phuluc-rel-${tag}-`));
}

/** Load an inbox in-process, the way `etl load` does (runLoad), with the suite's config and clock. */
export function load(inbox: string, db: string, config: Config = CONFIG): Promise<LoadReport> {
  return runLoad({ inbox, db, quiet: true, config, now: FIXED_NOW });
}

export const exitOf = (r: LoadReport): number => (r.outcome === "loaded" || r.outcome === "unchanged" ? 0 : r.outcome === "partial" ? 3 : 1);

/** A folder with `phuluc.duckdb` (the link) and its generations. */
export interface WarehouseDir {
  dir: string;
  db: string;
}

export async function freshWarehouse(tag: string, inbox?: string): Promise<WarehouseDir & { report: LoadReport | null }> {
  const dir = tempDir(tag);
  const db = join(dir, "phuluc.duckdb");
  const report = inbox ? await load(inbox, db) : null;
  return { dir, db, report };
}

/** A copy of a warehouse folder (the link is relative, so it points into the copy). */
export function copyWarehouse(from: WarehouseDir, tag: string): WarehouseDir {
  const dir = tempDir(tag);
  cpSync(from.dir, dir, { recursive: true, verbatimSymlinks: true });
  return { dir, db: join(dir, "phuluc.duckdb") };
}

export const removeDir = (dir: string): void => rmSync(dir, { recursive: true, force: true });

/** Columns that differ between two loads of the same data (run numbers, surrogate keys). */
const RUN_SPECIFIC = new Set(["fact_id", "run_id"]);

export type Dump = Record<string, Record<string, unknown>[]>;

/**
 * Every base table of the current generation, every row, ordered, lineage included, fact_id and
 * run_id excluded. `null` when there is no warehouse yet.
 */
export async function dumpWarehouse(db: string): Promise<Dump | null> {
  if (!existsSync(db)) return null;
  const w = await openCurrent(db);
  try {
    const tables = await w.all<{ table_name: string }>(
      `select table_name from information_schema.tables
        where table_schema = 'main' and table_type = 'BASE TABLE' order by table_name`,
    );
    const out: Dump = {};
    for (const { table_name: t } of tables) {
      if (!/^\w+$/.test(t)) throw new Error(`odd table name ${t}`);
      const cols = (await w.all<{ column_name: string }>(
        `select column_name from information_schema.columns where table_schema = 'main' and table_name = $t order by ordinal_position`,
        { t },
      )).map((c) => c.column_name);
      const keep = cols.filter((c) => !RUN_SPECIFIC.has(c));
      if (keep.length === 0) continue;
      const list = keep.map((c) => `"${c.replace(/"/g, '""')}"`).join(", ");
      out[t] = await w.all(`select ${list} from ${t} order by all`);
    }
    return out;
  } finally {
    w.close();
  }
}

export const rowKey = (r: Record<string, unknown>): string => JSON.stringify(r);

/** Every problem carries a code, a severity, a place and a message in both languages. */
export function wellFormed(p: Problem): string | null {
  if (!/^[A-Z][A-Z0-9_]+$/.test(p.code)) return `bad code ${p.code}`;
  if (!["error", "warning", "info"].includes(p.severity)) return `bad severity ${p.severity}`;
  if (typeof p.vi !== "string" || p.vi.trim() === "") return `${p.code}: no Vietnamese message`;
  if (typeof p.en !== "string" || p.en.trim() === "") return `${p.code}: no English message`;
  if (!p.place || typeof p.place !== "object") return `${p.code}: no place`;
  return null;
}

/** A1 reference of one cell. */
export const A1 = /^\$?[A-Z]{1,3}\$?[1-9]\d{0,6}$/;

// ---------------------------------------------------------------- editing sample workbooks

/** Copy the sample inbox to a new folder. */
export function copySampleInbox(tag: string): string {
  const dir = join(tempDir(tag), "inbox");
  cpSync(SAMPLE_INBOX, dir, { recursive: true });
  return dir;
}

/** Rewrite some parts of an xlsx (text in, text out) and write it back in place. */
export function editXlsx(path: string, edit: (name: string, text: string) => string): void {
  const parts = unzipSync(new Uint8Array(readFileSync(path)));
  const out: Record<string, Uint8Array> = {};
  for (const [name, bytes] of Object.entries(parts)) {
    if (name.endsWith(".xml") || name.endsWith(".rels")) {
      const before = strFromU8(bytes);
      const after = edit(name, before);
      out[name] = after === before ? bytes : strToU8(after);
    } else out[name] = bytes;
  }
  writeFileSync(path, zipSync(out));
}

export const xmlText = (s: string): string => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/\r/g, "&#13;").replace(/\t/g, "&#9;");

// ---------------------------------------------------------------- figures for the report

export const FIGURES_DIR = join(ROOT, "out", "reliability");

/**
 * Record what a test file tried and what held, in out/ (ignored by git); `npm run
 * docs:reliability` turns them into docs/reliability.md. A test run never writes a tracked file.
 */
export function recordFigures(suite: string, figures: Record<string, unknown>): void {
  mkdirSync(FIGURES_DIR, { recursive: true });
  writeFileSync(join(FIGURES_DIR, `${suite}.json`), JSON.stringify({ suite, ...figures }, null, 2) + "\n");
}

export function listCases(): string[] {
  if (!existsSync(BAD_CORPUS)) return [];
  return readdirSync(BAD_CORPUS)
    .filter((d) => /^\d\d-/.test(d) && statSync(join(BAD_CORPUS, d)).isDirectory() && existsSync(join(BAD_CORPUS, d, "expected.json")))
    .sort();
}
