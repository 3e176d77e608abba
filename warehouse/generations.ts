// Readers never see a half-finished load. The file the user names (`--db phuluc.duckdb`) is a
// symbolic link to the current generation, `phuluc.duckdb.gens/000007.duckdb`. A load:
//   1. takes the writer lock (`phuluc.duckdb.lock`; a lock whose process is gone is taken over),
//   2. copies the current generation to the next number (or starts empty),
//   3. runs migrations and the load in a transaction (or two: `commit` in the middle, so that
//      what follows reads the first one's rows as stored), CHECKPOINTs, closes the file,
//   4. fsyncs it and atomically renames a fresh link over the pointer.
// A kill anywhere before step 4 leaves the pointer on the old, complete generation; the orphan
// file, committed or not, is removed by the next writer (a load that does not publish removes
// its own). Why a link and not a pointer file: the stock DuckDB CLI (and any analyst) can open
// `phuluc.duckdb` directly and gets the current complete generation, and readers of an older
// generation keep their open file while the pointer moves (DuckDB's one-writer-or-many-readers
// lock is per file, and no file is ever written after it is published).
// Generation number = load run id, so `fill --as-of 7` opens `000007.duckdb`.
import {
  closeSync,
  constants,
  copyFileSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  renameSync,
  statSync,
  symlinkSync,
  unlinkSync,
  writeSync,
} from "node:fs";
import { createHash, randomBytes } from "node:crypto";
import { homedir } from "node:os";
import { basename, dirname, join, resolve } from "node:path";
import { duckdbVersion, openDb, type Db } from "./db.js";
import { migrate, migrations, schemaVersion, SCHEMA_VERSION } from "./migrate.js";

export const gensDir = (dbPath: string): string => `${resolve(dbPath)}.gens`;
const genName = (n: number): string => `${String(n).padStart(6, "0")}.duckdb`;
const genPath = (dbPath: string, n: number): string => join(gensDir(dbPath), genName(n));

/** The generation the pointer names, or null when there is no warehouse yet. */
export function currentGeneration(dbPath: string): { number: number; path: string } | null {
  let target: string;
  try {
    target = readlinkSync(resolve(dbPath));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return null;
    if ((e as NodeJS.ErrnoException).code === "EINVAL") {
      throw new Error(
        `${dbPath} is a plain file, not a phuluc warehouse pointer / không phải con trỏ kho dữ liệu phuluc`,
      );
    }
    throw e;
  }
  const m = /(\d{6})\.duckdb$/.exec(target);
  if (!m) throw new Error(`${dbPath}: unexpected pointer target ${target}`);
  return { number: Number(m[1]), path: resolve(dirname(resolve(dbPath)), target) };
}

/**
 * The file of generation n, published once (n at most the current one). A file past the current
 * one is a load's at work, or a killed one's that the next writer removes: its facts may be
 * committed before its data tests and its run record, so nobody reads it as a generation.
 */
export function generationPath(dbPath: string, n: number): string {
  const p = genPath(dbPath, n);
  const current = currentGeneration(dbPath)?.number ?? 0;
  if (n > current || !existsSync(p)) {
    const kept = listGenerations(dbPath).filter((g) => g <= current);
    throw new Error(
      `no warehouse generation for run ${n} (kept: ${kept.join(", ") || "none"}) / ` +
        `không còn thế hệ kho dữ liệu của lần nạp ${n}`,
    );
  }
  return p;
}

export function listGenerations(dbPath: string): number[] {
  const dir = gensDir(dbPath);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .map((f) => /^(\d{6})\.duckdb$/.exec(f))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => Number(m[1]))
    .sort((a, b) => a - b);
}

// ---------------------------------------------------------------- the writer lock

export interface WriterLock {
  release(): void;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Take the writer lock, or return null when a live process holds it. */
export function tryLock(dbPath: string): WriterLock | null {
  const lockPath = `${resolve(dbPath)}.lock`;
  mkdirSync(dirname(lockPath), { recursive: true });
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(lockPath, "wx");
      writeSync(fd, JSON.stringify({ pid: process.pid, since: new Date().toISOString() }));
      closeSync(fd);
      let released = false;
      return {
        release() {
          if (released) return;
          released = true;
          try {
            unlinkSync(lockPath);
          } catch {
            /* already gone */
          }
        },
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
      let pid = 0;
      try {
        pid = Number(JSON.parse(readFileSync(lockPath, "utf8")).pid) || 0;
      } catch {
        /* half-written lock: treat as stale */
      }
      if (pid > 0 && alive(pid)) return null;
      // A crashed run's lock: take it over (unlink then retry the exclusive create).
      try {
        unlinkSync(lockPath);
      } catch {
        /* someone else took it over first */
      }
    }
  }
  return null;
}

// ---------------------------------------------------------------- writing a generation

export interface NewGeneration {
  number: number;
  db: Db;
  /**
   * Commit what the body has written so far and begin the next transaction: the generation's file
   * then holds it, as any reader of a committed file would read it, but nobody reads the file
   * until it is published, and it is removed unless the body ends by publishing.
   */
  commit: () => Promise<void>;
}

/**
 * What a warehouse's first generation does before anything of its own: the migrations, then
 * `build` (the loader's: installing the analysts' views). Made once into a template file that
 * every new warehouse then starts as a copy of, as PostgreSQL's CREATE DATABASE copies
 * template1: a new warehouse spent about 0.3 s (open, some 60 statements of schema, some 40
 * views and macros bound) before its first file, a fifth of a bench province's load.
 */
export interface FreshStart {
  /** what `build` makes, in a word (the views' fingerprint): a template is used for its key only */
  key: string;
  build: (db: Db) => Promise<void>;
}

// The warehouse writer's DuckDB, a template's as a generation's: the same file either way.
// A load's working set is one inbox's staging tables: cap DuckDB's buffer pool so that the
// whole ETL process stays within its memory goal (DuckDB spills past the cap).
// One DuckDB thread: the load's statements are many and small (a file's staging, the checks),
// and its reading workers already take the other cores. With DuckDB's default of a thread per
// core, its threads fought the reading worker and each other (17 % of the staging inserts'
// time in mutex lock/unlock); the bench subset's load took 7.8-10.9 s against 8.1-11.6 s,
// the national inbox's CPU fell by about a sixth, and the commit, one thread anyway, is as fast.
const openWriter = (path: string): Promise<Db> =>
  openDb(path, { readOnly: false, memoryLimit: process.env.PHULUC_LOAD_MEMORY ?? "256MB", checkpointOnCommit: true, bulkWriter: true, threads: 1 });

/**
 * Where templates are kept: the user's own cache folder (PHULUC_TEMPLATE_DIR, else
 * $XDG_CACHE_HOME/phuluc/templates, else ~/.cache/phuluc/templates), never a folder others
 * write to — a template is what every new warehouse starts as. "off": none (start empty).
 */
export function templateDir(): string | null {
  const set = process.env.PHULUC_TEMPLATE_DIR;
  if (set === "off") return null;
  if (set) return resolve(set);
  const cache = process.env.XDG_CACHE_HOME || join(homedir(), ".cache");
  return join(cache, "phuluc", "templates");
}

/** The template's file name: of the schema's migrations, the DuckDB that writes, and the key. */
function templateName(fresh: FreshStart): string {
  const h = createHash("sha256");
  for (const m of migrations()) h.update(m.name).update("\0").update(m.sql).update("\0");
  h.update(duckdbVersion()).update("\0").update(fresh.key);
  return `${h.digest("hex").slice(0, 32)}.duckdb`;
}

/**
 * Start `path` as a copy of the template for `fresh`, made first if there is none. Any failure
 * (no cache folder, a disk full) leaves `path` absent: the generation then starts empty and
 * migrates as before. Returns the template copied, or null.
 */
async function startFromTemplate(path: string, fresh: FreshStart): Promise<string | null> {
  const dir = templateDir();
  if (!dir) return null;
  const template = join(dir, templateName(fresh));
  // made under a name of its own, then renamed: a reader never sees half a template, and two
  // loads making one at once (processes or threads) each rename a whole one over the other
  const tmp = `${template}.${randomBytes(6).toString("hex")}.tmp`;
  try {
    if (!existsSync(template)) {
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      removeAbandoned(dir);
      const db = await openWriter(tmp);
      try {
        await db.run("begin transaction");
        await migrate(db);
        await fresh.build(db);
        await db.run("commit");
        await db.run("checkpoint");
      } finally {
        db.close();
      }
      renameSync(tmp, template);
      removeFiles(`${tmp}.wal`);
    }
    copyFileSync(template, path, constants.COPYFILE_FICLONE);
    return template;
  } catch {
    // what a failed making or copying left, so that the generation starts empty as before
    removeFiles(path, `${path}.wal`, tmp, `${tmp}.wal`);
    return null;
  }
}

/**
 * A template is made in well under a second: a `.tmp` (and its `.wal`) older than an hour is what
 * a load killed while making one left, which nothing else would ever remove from the cache folder.
 * Younger ones may be another load's at work, and stay.
 */
export const ABANDONED_AFTER_MS = 3_600_000;

function removeAbandoned(dir: string): void {
  const now = Date.now();
  for (const name of readdirSync(dir)) {
    if (!/\.tmp(\.wal)?$/.test(name)) continue;
    const f = join(dir, name);
    try {
      if (now - statSync(f).mtimeMs > ABANDONED_AFTER_MS) unlinkSync(f);
    } catch {
      // gone meanwhile (another load swept it), or not ours to remove: the template is made anyway
    }
  }
}

/** Those of the files that exist, removed. */
function removeFiles(...paths: string[]): void {
  for (const f of paths) if (existsSync(f)) unlinkSync(f);
}

/**
 * Run `fn` against a copy of the current generation, inside one transaction (or more, when it
 * calls `commit`), and publish the result as the new current generation — or, when `fn` returns
 * `{ publish: false }` or throws, remove the file and leave everything as it was. The caller must
 * hold the writer lock. A warehouse's first generation starts from `fresh`'s template when one is
 * given (and can be had), else empty.
 */
export async function writeGeneration<T>(
  dbPath: string,
  fn: (gen: NewGeneration) => Promise<{ publish: boolean; value: T }>,
  /** named points of the write ("copied", "committed": the last commit, "checkpointed"): where tests kill it, the bench times it */
  point: (name: string) => void = () => undefined,
  fresh?: FreshStart,
): Promise<{ published: number | null; value: T }> {
  const dir = gensDir(dbPath);
  mkdirSync(dir, { recursive: true });
  const cur = currentGeneration(dbPath);
  removeOrphans(dbPath, cur?.number ?? 0);
  const existing = listGenerations(dbPath);
  const next = Math.max(cur?.number ?? 0, ...existing, 0) + 1;
  const path = genPath(dbPath, next);
  // A clone where the file system can share the blocks (btrfs, XFS, APFS): the copy then costs
  // nothing however large the warehouse, and DuckDB's writes only unshare what they change.
  // Elsewhere Node falls back to a plain copy.
  let template: string | null = null;
  if (cur) copyFileSync(cur.path, path, constants.COPYFILE_FICLONE);
  else if (fresh) template = await startFromTemplate(path, fresh);
  point("copied");
  let db: Db | null = null;
  let result: { publish: boolean; value: T };
  try {
    db = await openWriter(path).catch(async (e) => {
      if (!template) throw e;
      // a template that is not a DuckDB file after all (a damaged disk, a hand that wrote it):
      // dropped, and this warehouse starts empty
      removeFiles(path, `${path}.wal`, template);
      template = null;
      return openWriter(path);
    });
    await db.run("begin transaction");
    // a template's migrations are this warehouse's: applied by this load, as without one
    if (template) await db.run("update schema_migration set applied_at = now()");
    await migrate(db);
    const open = db;
    const commit = async () => {
      await open.run("commit");
      await open.run("begin transaction");
    };
    result = await fn({ number: next, db, commit });
    if (!result.publish) {
      await db.run("rollback");
      db.close();
      db = null;
      // what a `commit` wrote is in the file: the file goes, unpublished
      removeFiles(path, `${path}.wal`);
      return { published: null, value: result.value };
    }
    await db.run("commit");
    point("committed");
    await db.run("checkpoint");
    db.close();
    db = null;
    point("checkpointed");
  } catch (e) {
    if (db) {
      await db.run("rollback").catch(() => undefined);
      db.close();
    }
    removeFiles(path, `${path}.wal`);
    throw e;
  }
  const fd = openSync(path, "r");
  fsyncSync(fd);
  closeSync(fd);
  publish(dbPath, next);
  return { published: next, value: result.value };
}

/** Point the link at generation n, atomically (a new link renamed over the old). */
export function publish(dbPath: string, n: number): void {
  const abs = resolve(dbPath);
  const tmp = `${abs}.link-${process.pid}`;
  if (existsSync(tmp)) unlinkSync(tmp);
  symlinkSync(join(basename(gensDir(dbPath)), genName(n)), tmp);
  renameSync(tmp, abs);
  const dfd = openSync(dirname(abs), "r");
  try {
    fsyncSync(dfd);
  } finally {
    closeSync(dfd);
  }
}

/** Generations newer than the current one are what a killed load left: remove them. */
function removeOrphans(dbPath: string, current: number): void {
  for (const n of listGenerations(dbPath)) {
    if (n > current) {
      const p = genPath(dbPath, n);
      removeFiles(p, `${p}.wal`);
    }
  }
}

/**
 * Remove superseded generations older than `keepDays`, keeping at least `keepMin` of the newest
 * and always the current one. Returns the numbers removed.
 */
export function pruneGenerations(dbPath: string, keepDays: number, keepMin: number, now = Date.now()): number[] {
  const cur = currentGeneration(dbPath);
  const all = listGenerations(dbPath);
  const keep = new Set(all.slice(-keepMin));
  if (cur) keep.add(cur.number);
  const removed: number[] = [];
  for (const n of all) {
    if (keep.has(n)) continue;
    const p = genPath(dbPath, n);
    if (now - statSync(p).mtimeMs > keepDays * 86_400_000) {
      unlinkSync(p);
      removed.push(n);
    }
  }
  return removed;
}

// ---------------------------------------------------------------- reading

/** Open the current generation (or the one of run `asOf`) read-only. */
export async function openCurrent(dbPath: string, asOf?: number): Promise<Db & { generation: number }> {
  let n: number;
  let path: string;
  if (asOf !== undefined) {
    n = asOf;
    path = generationPath(dbPath, asOf);
  } else {
    const cur = currentGeneration(dbPath);
    if (!cur) {
      throw new Error(
        `no warehouse at ${dbPath} yet: run \`etl load\` first / chưa có kho dữ liệu tại ${dbPath}: hãy chạy \`etl load\` trước`,
      );
    }
    ({ number: n, path } = cur);
  }
  const db = await openDb(path, { readOnly: true });
  const v = await schemaVersion(db);
  if (v > SCHEMA_VERSION) {
    db.close();
    throw new Error(`warehouse schema ${v} is newer than this phuluc (${SCHEMA_VERSION}): update phuluc`);
  }
  return Object.assign(db, { generation: n });
}

/**
 * A long-lived reader (the server): each `use` runs on the current generation; when the pointer
 * moves, new requests go to the new generation and the old one is closed when its last request
 * finishes.
 */
export class GenerationReader {
  private current: { n: number; db: Db; users: number; retired: boolean } | null = null;
  private opening: Promise<void> | null = null;

  constructor(private readonly dbPath: string) {}

  async use<T>(fn: (db: Db, generation: number) => Promise<T>): Promise<T> {
    await this.refresh();
    const h = this.current;
    if (!h) throw new Error(`no warehouse at ${this.dbPath} yet / chưa có kho dữ liệu`);
    h.users++;
    try {
      return await fn(h.db, h.n);
    } finally {
      h.users--;
      if (h.retired && h.users === 0) h.db.close();
    }
  }

  generation(): number | null {
    return this.current?.n ?? null;
  }

  private async refresh(): Promise<void> {
    if (this.opening) return this.opening;
    const cur = currentGeneration(this.dbPath);
    if (!cur || cur.number === this.current?.n) return;
    this.opening = (async () => {
      const db = await openDb(cur.path, { readOnly: true });
      const old = this.current;
      this.current = { n: cur.number, db, users: 0, retired: false };
      if (old) {
        old.retired = true;
        if (old.users === 0) old.db.close();
      }
    })().finally(() => {
      this.opening = null;
    });
    return this.opening;
  }

  close(): void {
    if (this.current) {
      this.current.retired = true;
      if (this.current.users === 0) this.current.db.close();
      this.current = null;
    }
  }
}
