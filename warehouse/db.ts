// The one module that opens DuckDB. Everything else asks it for a Db (a connection with
// parameter binding) and never opens a file nor builds SQL from values.
//
// Why an own instance map instead of DuckDBInstance.fromCache: generations are opened and
// closed as the pointer moves (see generations.ts), and a cached instance cannot be dropped
// from the library's cache once closed. The map keeps the rule "one instance per file per
// process" and lets us close an instance when its last reader is done.
import {
  DuckDBConnection,
  DuckDBDateValue,
  DuckDBDecimalValue,
  DuckDBInstance,
  DuckDBTimestampValue,
  JSDuckDBValueConverter,
  JsonDuckDBValueConverter,
  StatementType,
  version,
  type DuckDBDataChunk,
  type DuckDBPreparedStatement,
  type DuckDBResult,
  type DuckDBType,
  type DuckDBValue,
  type DuckDBValueConverter,
  type Json,
} from "@duckdb/node-api";
import { realpathSync } from "node:fs";

export type Params = Record<string, DuckDBValue>;
export type Row = Record<string, unknown>;
/** A value as DuckDB holds it (what a chunk's values() gives and appendRows takes back). */
export type Value = DuckDBValue;
/** A column's type as DuckDB holds it. */
export type ColumnType = DuckDBType;

/** An instance's resources, set when it is created (never by SET, never from a query). */
export interface Limits {
  /** DuckDB's own memory cap (it spills to disk past it); the ETL keeps its process small */
  memoryLimit?: string;
  threads?: number;
  /** where a query that outgrows memoryLimit may spill (default: beside the database file) */
  tempDirectory?: string;
  /** how much it may spill there (DuckDB's default is 90% of the free disk) */
  maxTempSize?: string;
}

export interface OpenOptions extends Limits {
  readOnly: boolean;
  /**
   * A writer whose every commit is followed by a checkpoint anyway (a load's one transaction):
   * the commit checkpoints at once instead of first writing the whole transaction to the WAL
   * (DuckDB skips the WAL when a commit's changes exceed `checkpoint_threshold`). The data then
   * goes to disk once, not twice; a load of 100 000 rows wrote a 14 MB WAL only to replay it.
   */
  checkpointOnCommit?: boolean;
  /**
   * A writer that writes a whole warehouse in one go (a load): its strings are stored without
   * FSST compression. Measured on the bench subset's facts (528 703 rows into 7 warehouses): the
   * commit, which compresses every row group on one thread, took 1.83 s with DuckDB's defaults
   * and 1.21 s without FSST; the files grew from 24.5 to 30.8 MB and the same queries read them
   * no slower (FSST strings are decompressed on every scan). Dictionary compression stays: without
   * it the files were five times larger. Readers need no setting: each row group says how it is stored.
   */
  bulkWriter?: boolean;
  /**
   * The analysts' sandbox: SANDBOX_POLICY (external access off but for these folders, e.g. a
   * Parquet lake; configuration locked), with its own limits.
   */
  sandbox?: Limits & { allowedDirectories?: string[] };
}

/**
 * DuckDB refuses a named parameter the statement does not use; callers share one params object
 * across related statements, so pass only the names the SQL mentions.
 */
function pick(sql: string, params?: Params): Params | undefined {
  if (!params) return undefined;
  const used: Params = {};
  let any = false;
  for (const [k, v] of Object.entries(params)) {
    if (new RegExp(`\\$${k}\\b`).test(sql)) {
      used[k] = v;
      any = true;
    }
  }
  return any ? used : undefined;
}

// PHULUC_SQL_TRACE=1: the time of every statement run, summed by its first words at exit (profiling)
const traced = new Map<string, { n: number; ms: number }>();
const trace = process.env.PHULUC_SQL_TRACE
  ? (sql: string, ms: number) => {
      const k = sql.replace(/\s+/g, " ").trim().slice(0, 90);
      const t = traced.get(k) ?? { n: 0, ms: 0 };
      t.n++;
      t.ms += ms;
      traced.set(k, t);
    }
  : undefined;
/** Run one statement, timing it when tracing (and costing nothing when not). */
async function timed<T>(sql: string, fn: () => Promise<T>): Promise<T> {
  if (!trace) return fn();
  const t0 = performance.now();
  const r = await fn();
  trace(sql, performance.now() - t0);
  return r;
}
if (trace)
  process.on("exit", () => {
    for (const [k, t] of [...traced].sort((a, b) => b[1].ms - a[1].ms).slice(0, 60)) process.stderr.write(`${t.ms.toFixed(0).padStart(7)} ms ${String(t.n).padStart(5)}× ${k}\n`);
  });

const MAX_EXACT = 2n ** 53n;
/**
 * A DECIMAL as the double nearest to it. An unscaled value and a power of ten that doubles hold
 * exactly give, by one IEEE division, the correctly rounded quotient: the same double as parsing
 * the decimal text, without making the text. Past 2^53 (never money in triệu đồng) the text is parsed.
 */
export function decimalToNumber(value: bigint, scale: number): number {
  if (scale <= 22 && value < MAX_EXACT && value > -MAX_EXACT) return Number(value) / 10 ** scale;
  return Number(new DuckDBDecimalValue(value, 38, scale).toString());
}

const toNumber: DuckDBValueConverter<Json> = (v, type, self) => {
  if (typeof v === "number") return v;
  if (typeof v === "bigint") return Number(v); // rounds to nearest, as Number("…") does
  if (v instanceof DuckDBDecimalValue) return decimalToNumber(v.value, v.scale);
  return JsonDuckDBValueConverter(v, type, self);
};

export class Db {
  constructor(
    readonly path: string,
    private readonly conn: DuckDBConnection,
    private readonly release: () => void,
    private readonly connect?: () => Promise<Db>,
  ) {}

  /**
   * Another connection to the same open database (its instance, settings and views): statements
   * on it run at the same time as this connection's, where one connection runs one at a time.
   * Closed on its own; the database stays open until its last connection is. Null for a Db not
   * made by openDb.
   */
  async sibling(): Promise<Db | null> {
    return this.connect ? this.connect() : null;
  }

  /** Rows as JSON-safe values: DECIMAL and BIGINT as strings, dates as ISO strings. */
  async all<T extends Row = Row>(sql: string, params?: Params): Promise<T[]> {
    const r = await this.read(sql, params);
    return r.getRowObjectsJson() as unknown as T[];
  }

  /** Rows as JS values (BIGINT as bigint, DECIMAL as DuckDBDecimalValue) for typed consumers. */
  async allJS<T extends Row = Row>(sql: string, params?: Params): Promise<T[]> {
    const r = await this.read(sql, params);
    return r.getRowObjectsJS() as unknown as T[];
  }

  /** Columns by name, as JS values: what Arrow tables are built from. */
  async columns(sql: string, params?: Params): Promise<{ names: string[]; types: string[]; columns: Record<string, unknown[]> }> {
    const r = await this.read(sql, params);
    return {
      names: r.columnNames(),
      types: r.columnTypes().map((t) => t.toString()),
      columns: r.getColumnsObjectJS() as unknown as Record<string, unknown[]>,
    };
  }

  /**
   * Columns in the result's order. Those `asNumber` picks hold JS numbers (DECIMAL and big
   * integers correctly rounded: the double `Number` gives for their text); the others hold what
   * `all` would give. For answers of thousands of rows, where row objects of JSON values cost
   * twice the query itself.
   */
  async numberColumns(sql: string, params: Params | undefined, asNumber: (column: string) => boolean): Promise<{ names: string[]; columns: unknown[][] }> {
    const r = await this.read(sql, params);
    const names = r.columnNames();
    const types = r.columnTypes();
    const columns = r.getColumns().map((values, i) => {
      const convert = asNumber(names[i]) ? toNumber : JsonDuckDBValueConverter;
      return values.map((v) => (v === null ? null : convert(v, types[i], JsonDuckDBValueConverter)));
    });
    return { names, columns };
  }

  private read(sql: string, params?: Params) {
    return timed(sql, () => this.conn.runAndReadAll(sql, pick(sql, params)));
  }

  async run(sql: string, params?: Params): Promise<void> {
    await timed(sql, () => this.conn.run(sql, pick(sql, params)));
  }

  /** Statements prepared once (runKept, allKept), by their text, with the names of their parameters. */
  private readonly kept = new Map<string, { prepared: DuckDBPreparedStatement; names: string[] }>();

  /**
   * `run` for a statement run again and again with other values (a load's, for each file it
   * stages): parsed and planned once on this connection, where `run` parses and plans it each
   * time (2–5 ms of a staging insert), and destroyed with the connection. DuckDB plans it again
   * by itself when what it reads has changed.
   */
  async runKept(sql: string, params: Params = {}): Promise<void> {
    await timed(sql, async () => (await this.keep(sql, params)).run());
  }

  /** `all` for a statement run again and again with other values (runKept). */
  async allKept<T extends Row = Row>(sql: string, params: Params = {}): Promise<T[]> {
    const r = await timed(sql, async () => (await this.keep(sql, params)).runAndReadAll());
    return r.getRowObjectsJson() as unknown as T[];
  }

  private async keep(sql: string, params: Params): Promise<DuckDBPreparedStatement> {
    let k = this.kept.get(sql);
    if (!k) {
      // (the connection's, destroyed when it closes)
      const prepared = await this.conn.prepare(sql);
      k = { prepared, names: new Prepared(prepared).parameterNames() };
      this.kept.set(sql, k);
    }
    const values: Params = {};
    for (const name of k.names) {
      if (!(name in params)) throw new Error(`no value for $${name}`);
      values[name] = params[name]!;
    }
    k.prepared.bind(values);
    return k.prepared;
  }

  /** The underlying connection, for the appender and prepared statements inside warehouse/. */
  get connection(): DuckDBConnection {
    return this.conn;
  }

  /**
   * The statements DuckDB's own parser finds in `sql` (its parser error is thrown as it is):
   * how many, and the first one prepared. For the analysts' sandbox, which runs one SELECT only.
   */
  async statements(sql: string): Promise<{ count: number; prepareFirst: () => Promise<Prepared> }> {
    const extracted = await this.conn.extractStatements(sql);
    return { count: extracted.count, prepareFirst: async () => new Prepared(await extracted.prepare(0)) };
  }

  /**
   * Rows of DuckDB's own values (a chunk's values()) into `table`, through the appender: nothing
   * converted on the way, and no SQL built from the values.
   */
  async appendRows(table: string, types: ColumnType[], rows: Value[][]): Promise<void> {
    const app = await this.conn.createAppender(table);
    try {
      for (const row of rows) {
        for (let i = 0; i < row.length; i++) app.appendValue(row[i], types[i]);
        app.endRow();
      }
      app.flushSync();
    } finally {
      app.closeSync();
    }
  }

  async transaction<T>(fn: () => Promise<T>): Promise<T> {
    await this.run("begin transaction");
    try {
      const out = await fn();
      await this.run("commit");
      return out;
    } catch (e) {
      await this.run("rollback").catch(() => undefined);
      throw e;
    }
  }

  close(): void {
    this.conn.closeSync();
    this.release();
  }
}

/** How a parameter's text is bound: as the type named, or ("auto"/"text") as text DuckDB casts. */
export type BindType = "auto" | "text" | "int" | "double" | "decimal" | "date" | "timestamp" | "bool";

/** One prepared statement (Db.statements): its kind, its parameters, and its result read in chunks. */
export class Prepared {
  constructor(private readonly p: DuckDBPreparedStatement) {}

  get isSelect(): boolean {
    return this.p.statementType === StatementType.SELECT;
  }

  /** DuckDB's name of the statement's type ("COPY", "ATTACH" …) */
  get statementType(): string {
    return StatementType[this.p.statementType] ?? String(this.p.statementType);
  }

  /** The names of the `$name` parameters the statement uses. */
  parameterNames(): string[] {
    const names: string[] = [];
    for (let i = 1; i <= this.p.parameterCount; i++) names.push(this.p.parameterName(i));
    return names;
  }

  /** Bind one parameter from its text (null binds NULL); a text that is not of its type throws. */
  bind(name: string, type: BindType, value: string | null): void {
    const p = this.p;
    const i = p.parameterIndex(name);
    if (value === null) {
      p.bindNull(i);
      return;
    }
    switch (type) {
      case "int":
        p.bindBigInt(i, BigInt(value));
        break;
      case "double":
        p.bindDouble(i, Number(value));
        break;
      case "bool":
        p.bindBoolean(i, value.toLowerCase() === "true");
        break;
      case "decimal": {
        const negative = value.startsWith("-");
        const [ip, fr = ""] = value.replace(/^[+-]/, "").split(".");
        const unscaled = BigInt((ip || "0") + fr) * (negative ? -1n : 1n);
        const width = Math.min(38, Math.max(18, (ip || "0").length + fr.length));
        p.bindDecimal(i, new DuckDBDecimalValue(unscaled, width, fr.length));
        break;
      }
      case "date": {
        const [y, m, d] = value.split("-").map(Number);
        p.bindDate(i, DuckDBDateValue.fromParts({ year: y, month: m, day: d }));
        break;
      }
      case "timestamp": {
        const iso = value.replace(" ", "T");
        const ms = Date.parse(/[Zz]|[+-]\d{2}(:?\d{2})?$/.test(iso) ? iso : `${iso}Z`);
        if (!Number.isFinite(ms)) throw new Error(`${name}: "${value}" is not a timestamp`);
        p.bindTimestamp(i, new DuckDBTimestampValue(BigInt(ms) * 1000n));
        break;
      }
      default:
        // auto / text: DuckDB casts the text to the type the SQL gives $name (year = $year → INTEGER).
        p.bindVarchar(i, value);
    }
  }

  /** Run it, its result read chunk by chunk (never held whole by DuckDB's client). */
  async stream(): Promise<ChunkReader> {
    return new ChunkReader(await this.p.stream());
  }

  destroy(): void {
    this.p.destroySync();
  }
}

/** A streaming result: its columns, then its rows a chunk at a time. */
export class ChunkReader {
  readonly names: string[];
  readonly types: ColumnType[];
  constructor(private readonly r: DuckDBResult) {
    this.names = r.columnNames();
    this.types = r.columnTypes();
  }

  /** The next chunk, or null when the rows are done. */
  async next(): Promise<ResultChunk | null> {
    const c = await this.r.fetchChunk();
    return c && c.rowCount > 0 ? new ResultChunk(c) : null;
  }
}

/** One chunk of rows, in the three forms its readers need. */
export class ResultChunk {
  constructor(private readonly c: DuckDBDataChunk) {}
  get rowCount(): number {
    return this.c.rowCount;
  }
  /** JSON-safe values, as Db.all gives them (DECIMAL and BIGINT as text, dates as ISO text) */
  json(): unknown[][] {
    return this.c.convertRows(JsonDuckDBValueConverter) as unknown[][];
  }
  /** JS values (BIGINT as bigint, dates as Date) */
  js(): unknown[][] {
    return this.c.convertRows(JSDuckDBValueConverter) as unknown[][];
  }
  /** DuckDB's own values, for appendRows */
  values(): Value[][] {
    return this.c.getRows();
  }
}

interface Held {
  instance: DuckDBInstance;
  readOnly: boolean;
  users: number;
}
const held = new Map<string, Held>();

function key(path: string): string {
  if (path === ":memory:") return path;
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

/** The DuckDB library's version: what a file it wrote may need to be read again as it was. */
export function duckdbVersion(): string {
  return version();
}

/**
 * Open a database file (or ":memory:"). Read-only opens of the same file share one instance.
 * A sandboxed open always gets its own instance: its settings are per instance.
 */
export async function openDb(path: string, opts: OpenOptions): Promise<Db> {
  const k = key(path);
  const shareable = opts.readOnly && !opts.sandbox && k !== ":memory:";
  let h = shareable ? held.get(k) : undefined;
  if (!h) {
    const options: Record<string, string> = {};
    if (opts.readOnly && k !== ":memory:") options.access_mode = "READ_ONLY";
    // the sandbox's own limits first, the open's where it gives none
    const sb = opts.sandbox ?? {};
    const limits: Limits = {
      memoryLimit: sb.memoryLimit ?? opts.memoryLimit,
      threads: sb.threads ?? opts.threads,
      tempDirectory: sb.tempDirectory ?? opts.tempDirectory,
      maxTempSize: sb.maxTempSize ?? opts.maxTempSize,
    };
    if (limits.threads) options.threads = String(Math.max(1, Math.floor(limits.threads)));
    if (limits.memoryLimit) options.memory_limit = limits.memoryLimit;
    if (limits.tempDirectory) options.temp_directory = limits.tempDirectory;
    if (limits.maxTempSize) options.max_temp_directory_size = limits.maxTempSize;
    if (opts.sandbox) Object.assign(options, SANDBOX_POLICY.pathSettings);
    if (opts.checkpointOnCommit && !opts.readOnly) options.checkpoint_threshold = "1KB";
    const instance = await DuckDBInstance.create(k, options);
    h = { instance, readOnly: opts.readOnly, users: 0 };
    if (shareable) held.set(k, h);
  }
  const holder = h;
  const release = () => {
    holder.users--;
    if (holder.users === 0) {
      if (held.get(k) === holder) held.delete(k);
      holder.instance.closeSync();
    }
  };
  const connect = async (): Promise<Db> => {
    const conn = await DuckDBConnection.create(holder.instance);
    holder.users++;
    // a sandbox's connection makes none: its lock-down is the one thing it may not leave
    return new Db(path, conn, release, opts.sandbox ? undefined : connect);
  };
  const db = await connect();
  // given at creation, this one setting is silently ignored (DuckDB 1.5): set once, instance-wide
  if (opts.bulkWriter && !opts.readOnly) await db.run("set global disabled_compression_methods = 'fsst'");
  if (opts.sandbox) {
    try {
      await lockDown(db, opts.sandbox.allowedDirectories ?? []);
    } catch (e) {
      db.close();
      throw e;
    }
  }
  return db;
}

/**
 * The security policy of an analysts' connection (the sandbox worker's; a lake's too), in one
 * place. External access off (no file reads or writes, COPY, ATTACH, INSTALL) but for the
 * allowed folders, extension auto-loading off, configuration locked. And the server's folders
 * hidden at the source:
 *   - `pathSettings`: what DuckDB would otherwise derive from HOME (or the database's folder)
 *     gets a neutral relative name that exists nowhere. The sandbox worker runs in its own folder
 *     and gives a relative spill folder, so current_setting() of these names nothing.
 *   - `hiddenCatalogue`: what DuckDB makes absolute whatever it is given — the database's path
 *     (duckdb_databases(), pragma_database_list: it resolves links, even /proc/self/fd/N) and
 *     allowed_directories / allowed_paths (in duckdb_settings(), current_setting(), pg_settings)
 *     — cannot be made neutral, so a query that names one of these catalogue functions or views
 *     anywhere in its parse tree (DuckDB's own: hiddenReference) is refused before it runs; the
 *     obfuscations that beat an answer filter (reverse, hex, to_base64, casts) never see a path.
 *     query() and query_table() run SQL from a string, past the parse tree: refused too. A
 *     lake's views read its folder by absolute path: duckdb_views() and information_schema.views
 *     are hidden for that.
 */
export const SANDBOX_POLICY = {
  pathSettings: { home_directory: "", extension_directory: "extensions", secret_directory: "secrets" } as Record<string, string>,
  hiddenCatalogue: new Set([
    "duckdb_databases",
    "pragma_database_list",
    "database_list",
    "duckdb_settings",
    "pg_settings",
    "current_setting",
    "duckdb_temporary_files",
    "duckdb_extensions",
    "duckdb_secrets",
    "which_secret",
    "duckdb_logs",
    "duckdb_log_contexts",
    "duckdb_views",
    "views",
    "query",
    "query_table",
    "getenv",
  ]),
};

/**
 * The first hidden catalogue name (SANDBOX_POLICY.hiddenCatalogue) the query refers to, as a
 * function or a table anywhere in DuckDB's parse tree of it, or null. What DuckDB cannot
 * serialise (PIVOT, anything not a SELECT) is judged by its words instead: a hidden name
 * anywhere in the text, outside or inside quotes, refuses it.
 */
export async function hiddenReference(db: Db, sql: string): Promise<string | null> {
  const r = await db.all<{ j: string }>("select json_serialize_sql($sql::varchar) as j", { sql });
  let tree: unknown;
  try {
    tree = JSON.parse(r[0]?.j ?? "{}");
  } catch {
    tree = { error: true };
  }
  if ((tree as { error?: unknown }).error) {
    for (const word of sql.toLowerCase().match(/[a-z_][a-z0-9_]*/g) ?? []) if (SANDBOX_POLICY.hiddenCatalogue.has(word)) return word;
    return null;
  }
  const stack: unknown[] = [tree];
  while (stack.length > 0) {
    const o = stack.pop();
    if (Array.isArray(o)) stack.push(...o);
    else if (o && typeof o === "object") {
      for (const [k, v] of Object.entries(o)) {
        if ((k === "function_name" || k === "table_name") && typeof v === "string" && SANDBOX_POLICY.hiddenCatalogue.has(v.toLowerCase())) return v;
        if (v && typeof v === "object") stack.push(v);
      }
    }
  }
  return null;
}

/**
 * Lock an analysts' connection down (see SANDBOX_POLICY). Order matters: allowed_directories
 * must be set before external access is switched off, and lock_configuration last (it blocks SET).
 */
export async function lockDown(db: Db, allowedDirectories: string[]): Promise<void> {
  for (const [name, value] of Object.entries(SANDBOX_POLICY.pathSettings)) {
    // SET takes no parameters; names and values are our own constants.
    await db.run(`set ${name} = ${sqlString(value)}`);
  }
  if (allowedDirectories.length > 0) {
    // SET takes no parameters; these are folders from our own configuration, quoted as literals.
    await db.run(`set allowed_directories = [${allowedDirectories.map(sqlString).join(", ")}]`);
  }
  await db.run("set enable_external_access = false");
  await db.run("set autoinstall_known_extensions = false");
  await db.run("set autoload_known_extensions = false");
  await db.run("set lock_configuration = true");
}

/** A fresh in-memory database with the schema, for tests. */
export async function openMemory(): Promise<Db> {
  return openDb(":memory:", { readOnly: false });
}

/** A SQL string literal, for the few places where DuckDB takes no parameter (SET, COPY … TO). */
export function sqlString(s: string): string {
  if (s.includes("\0")) throw new Error("NUL in SQL literal");
  return "'" + s.replace(/'/g, "''") + "'";
}

/**
 * The comment on a view or table of the database's main schema (null: none, or no such object).
 * A writer that must not redo its work leaves there the key of what it wrote (the analysts' views,
 * the administrative units) and reads it back here before writing again.
 */
export async function commentOn(db: Db, kind: "view" | "table", name: string): Promise<string | null> {
  // the catalogue function is one of two literals, never input; the name is a parameter
  const r = await db.all<{ comment: string | null }>(
    kind === "view"
      ? "select comment from duckdb_views() where view_name = $name and schema_name = 'main' and database_name = current_database()"
      : "select comment from duckdb_tables() where table_name = $name and schema_name = 'main' and database_name = current_database()",
    { name },
  );
  return r[0]?.comment ?? null;
}
