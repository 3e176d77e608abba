// The sandbox worker: a child process of the server (or of `phuluc query`) that runs analysts'
// SQL on a locked-down, read-only DuckDB (openDb's sandbox: external access off, configuration
// locked, memory and threads capped). A runaway or crashing query takes down only this process;
// the parent kills it on timeout and starts a fresh one. It runs one request at a time.
import {
  DuckDBDateValue,
  DuckDBDecimalValue,
  DuckDBTimestampValue,
  StatementType,
  type DuckDBPreparedStatement,
} from "@duckdb/node-api";
import { openDb, type Db } from "../../warehouse/db.js";
import { currentGeneration } from "../../warehouse/generations.js";
import { ApiError, toWire } from "../errors.js";
import { toArrow, toCsv, toParquet, toXlsx, uniqueNames, type ResultSet } from "../formats.js";
import { lakeRun, openLake } from "../lake.js";
import type { TypedParams } from "./params.js";
import { blankPaths, namedPath, serverPaths } from "./paths.js";
import type { FromWorker, QueryOutcome, ToWorker, WorkerConfig } from "./protocol.js";

const config = JSON.parse(process.argv[2] ?? "{}") as WorkerConfig;
const secretPaths = serverPaths(config);
const send = (m: FromWorker) => process.send?.(m);

let open: { key: string; db: Db } | null = null;
let trusted: Db | null = null;

/** The current generation (reopened when the pointer moved), or the lake. */
async function source(): Promise<{ db: Db; generation: number | null; checksum: string | null }> {
  const sandbox = { memoryLimit: config.memoryLimit, threads: config.threads, tempDirectory: config.spillDir, maxTempSize: config.maxTempSize };
  if (config.source.kind === "lake") {
    if (!open) open = { key: "lake", db: await openLake(config.source.lake, { ...sandbox, province: config.source.province, asCurrentUnits: config.source.asCurrentUnits }) };
    const run = await lakeRun(open.db);
    return { db: open.db, generation: run.generation, checksum: run.checksum };
  }
  const cur = currentGeneration(config.source.dbPath);
  if (!cur) {
    throw new ApiError("NO_WAREHOUSE", "chưa có kho dữ liệu: hãy chạy `etl load` trước", "no warehouse yet: run `etl load` first");
  }
  if (open?.key !== cur.path) {
    const db = await openDb(cur.path, { readOnly: true, sandbox });
    open?.db.close();
    open = { key: cur.path, db };
  }
  let checksum: string | null = null;
  try {
    const r = await open.db.all<{ checksum: string }>("select checksum from load_run order by run_id desc limit 1");
    checksum = r[0]?.checksum ?? null;
  } catch {
    /* a warehouse without load_run (not ours): no checksum */
  }
  return { db: open.db, generation: cur.number, checksum };
}

/** DuckDB's error text → our code. */
function classify(e: unknown): ApiError {
  if (e instanceof ApiError) return e;
  const msg = (e as Error)?.message ?? String(e);
  const detail = msg.slice(0, 600);
  if (/Parser Error/i.test(msg)) return new ApiError("QUERY_SYNTAX", "lỗi cú pháp SQL", "SQL syntax error", detail);
  if (/Permission Error|disabled by configuration|lock_configuration|locked/i.test(msg)) {
    return new ApiError("QUERY_REFUSED_BY_SANDBOX", "hộp cát không cho phép thao tác này", "refused by the sandbox", detail);
  }
  if (/Binder Error|Catalog Error/i.test(msg)) return new ApiError("QUERY_INVALID", "câu SQL không hợp lệ", "invalid SQL", detail);
  if (/Interrupt/i.test(msg)) return new ApiError("QUERY_TIMEOUT", "câu SQL chạy quá lâu", "query ran too long", detail);
  return new ApiError("QUERY_FAILED", "câu SQL lỗi khi chạy", "the query failed", detail);
}

const pathRefusal = () =>
  new ApiError(
    "QUERY_REFUSED_BY_SANDBOX",
    "câu trả lời nêu đường dẫn thư mục của máy chủ",
    "the answer names a folder of the server",
  );

const paramError = (detail: string) => new ApiError("QUERY_PARAMS", "tham số không hợp lệ", "invalid parameter", detail);

function bind(p: DuckDBPreparedStatement, params: TypedParams): void {
  const wanted = new Set<string>();
  for (let i = 1; i <= p.parameterCount; i++) wanted.add(p.parameterName(i));
  const missing = [...wanted].filter((n) => !(n in params));
  if (missing.length > 0) throw paramError(`missing ${missing.map((n) => `$${n}`).join(", ")}`);
  const extra = Object.keys(params).filter((n) => !wanted.has(n));
  if (extra.length > 0) throw paramError(`not used by the SQL: ${extra.join(", ")}`);
  for (const [name, { type, value }] of Object.entries(params)) {
    const i = p.parameterIndex(name);
    if (value === null) {
      p.bindNull(i);
      continue;
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
        if (!Number.isFinite(ms)) throw paramError(`${name}: "${value}" is not a timestamp`);
        p.bindTimestamp(i, new DuckDBTimestampValue(BigInt(ms) * 1000n));
        break;
      }
      default:
        // auto / text: DuckDB casts the text to the type the SQL gives $name (year = $year → INTEGER).
        p.bindVarchar(i, value);
    }
  }
}

async function execute(req: Extract<ToWorker, { type: "query" }>["request"]): Promise<QueryOutcome> {
  const src = await source();
  const conn = src.db.connection;
  let extracted;
  try {
    extracted = await conn.extractStatements(req.sql);
  } catch (e) {
    throw classify(e);
  }
  if (extracted.count === 0) throw new ApiError("QUERY_SYNTAX", "câu SQL trống", "empty SQL");
  if (extracted.count > 1) {
    throw new ApiError(
      "QUERY_MULTIPLE_STATEMENTS",
      "chỉ được gửi một câu lệnh mỗi lần",
      "one statement per request",
      `${extracted.count} statements`,
    );
  }
  let p: DuckDBPreparedStatement;
  try {
    p = await extracted.prepare(0);
  } catch (e) {
    throw classify(e);
  }
  try {
    if (p.statementType !== StatementType.SELECT) {
      throw new ApiError(
        "QUERY_NOT_SELECT",
        "chỉ được chạy câu SELECT",
        "only SELECT is allowed",
        StatementType[p.statementType] ?? String(p.statementType),
      );
    }
    try {
      bind(p, req.params);
    } catch (e) {
      if (e instanceof ApiError) throw e;
      throw paramError((e as Error).message.slice(0, 300));
    }
    let reader;
    try {
      reader = await p.streamAndReadUntil(req.maxRows + 1);
    } catch (e) {
      throw classify(e);
    }
    const rowCount = Math.min(reader.currentRowCount, req.maxRows);
    const truncated = reader.currentRowCount > req.maxRows;
    const names = uniqueNames(reader.columnNames());
    const types = reader.columnTypes();
    const rs: ResultSet = {
      columns: names.map((name, i) => ({ name, type: types[i].toString() })),
      rows: (reader.getRowsJson() as unknown[][]).slice(0, rowCount),
      truncated,
    };
    // Metadata can name the server's folders: such an answer does not leave the sandbox.
    for (const c of rs.columns) if (namedPath(c.name, secretPaths, req.sql)) throw pathRefusal();
    for (const row of rs.rows) for (const v of row) if (namedPath(v, secretPaths, req.sql)) throw pathRefusal();
    const base = {
      generation: src.generation,
      checksum: src.checksum,
      columns: rs.columns,
      rowCount,
      truncated,
      maxRows: req.maxRows,
      format: req.format,
    };
    switch (req.format) {
      case "json":
        return { ...base, rows: rs.rows };
      case "csv":
        return { ...base, bytes: Buffer.from(toCsv(rs, { bom: req.csvBom }), "utf8") };
      case "arrow":
        return { ...base, bytes: await toArrow(rs, (reader.getRowsJS() as unknown[][]).slice(0, rowCount)) };
      case "xlsx":
        return { ...base, bytes: await toXlsx(rs) };
      case "parquet":
        trusted ??= await openDb(":memory:", { readOnly: false });
        return { ...base, bytes: await toParquet(trusted, rs.columns, types, reader.getRows().slice(0, rowCount), config.tmpDir) };
    }
  } finally {
    p.destroySync();
  }
}

process.on("message", (m: ToWorker) => {
  if (m?.type !== "query") return;
  execute(m.request).then(
    (outcome) => send({ type: "result", id: m.id, ok: true, outcome }),
    (e) => {
      const w = toWire(classify(e));
      if (w.detail) w.detail = blankPaths(w.detail, secretPaths, m.request.sql);
      send({ type: "result", id: m.id, ok: false, error: w });
    },
  );
});
process.on("disconnect", () => process.exit(0));

// Open before saying ready, so a request's time limit is spent on the query, not on start-up.
source()
  .catch(() => undefined)
  .finally(() => send({ type: "ready" }));
