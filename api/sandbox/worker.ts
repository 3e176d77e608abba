// The sandbox worker: a child process of the server (or of `phuluc query`) that runs analysts'
// SQL on a locked-down, read-only DuckDB (openDb's sandbox: external access off, configuration
// locked, memory and threads capped). A runaway or crashing query takes down only this process;
// the parent kills it on timeout and starts a fresh one. It runs one request at a time.
import { closeSync, openSync, rmSync, writeSync } from "node:fs";
import { hiddenReference, openDb, type Db, type Prepared, type ResultChunk } from "../../warehouse/db.js";
import { currentGeneration } from "../../warehouse/generations.js";
import { ApiError, tooLarge, toWire, XLSX_MAX_CELLS, xlsxTooLarge } from "../errors.js";
import { jsonRows, toArrow, toCsv, toParquet, toXlsx, uniqueNames, type ResultSet } from "../formats.js";
import { lakeRun, openLake } from "../../warehouse/lake.js";
import type { TypedParams } from "./params.js";
import { blankPaths, namedPath, serverPaths } from "./paths.js";
import type { FromWorker, QueryOutcome, ToWorker, WireOutcome, WorkerConfig } from "./protocol.js";

const config = JSON.parse(process.argv[2] ?? "{}") as WorkerConfig;
const secretPaths = serverPaths(config);
const send = (m: FromWorker) => process.send?.(m);

let open: { key: string; db: Db } | null = null;
let trusted: Db | null = null;

/** The current generation (reopened when the pointer moved), or the lake. */
async function source(): Promise<{ db: Db; generation: number | null; checksum: string | null }> {
  // The spill folder by a relative name: the worker runs in its own folder (the parent's cwd for
  // it), so current_setting('temp_directory') names nothing of the server's.
  const sandbox = { memoryLimit: config.memoryLimit, threads: config.threads, tempDirectory: "spill", maxTempSize: config.maxTempSize };
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

function bind(p: Prepared, params: TypedParams): void {
  const wanted = new Set(p.parameterNames());
  const missing = [...wanted].filter((n) => !(n in params));
  if (missing.length > 0) throw paramError(`missing ${missing.map((n) => `$${n}`).join(", ")}`);
  const extra = Object.keys(params).filter((n) => !wanted.has(n));
  if (extra.length > 0) throw paramError(`not used by the SQL: ${extra.join(", ")}`);
  for (const [name, { type, value }] of Object.entries(params)) p.bind(name, type, value);
}

/** About the bytes a row takes as JSON or CSV text (values, quotes, separators; not the keys). */
function textSize(row: unknown[]): number {
  let n = 2;
  for (const v of row) {
    if (v === null || v === undefined) n += 5;
    else if (typeof v === "string") n += v.length + 3;
    else if (typeof v === "number" || typeof v === "boolean") n += String(v).length + 1;
    else n += JSON.stringify(v).length + 1;
  }
  return n;
}

let answers = 0;

/** Write an answer into this worker's folder (its working directory) for the parent to stream. */
function writeAnswer(parts: Iterable<Uint8Array | string>): { name: string; size: number } {
  const name = `answer-${process.pid}-${++answers}`;
  const fd = openSync(name, "w", 0o600);
  let size = 0;
  try {
    for (const part of parts) {
      const buf = typeof part === "string" ? Buffer.from(part, "utf8") : part;
      writeSync(fd, buf);
      size += buf.byteLength;
    }
  } catch (e) {
    rmSync(name, { force: true });
    throw e;
  } finally {
    closeSync(fd);
  }
  return { name, size };
}

/**
 * The API's JSON body, written in slices of rows (a 100-column × 100 000-row answer is never one
 * string), refused once it passes the byte cap. Same keys and order as the body always had.
 */
function writeJsonAnswer(base: Omit<QueryOutcome, "rows" | "bytes" | "answer">, rs: ResultSet, maxBytes: number): { name: string; size: number } {
  const SLICE = 2000;
  let written = 0;
  function* parts(): Generator<string> {
    const head = JSON.stringify({ generation: base.generation, checksum: base.checksum, columns: base.columns });
    yield head.slice(0, -1) + ',"rows":[';
    for (let i = 0; i < rs.rows.length; i += SLICE) {
      const text = JSON.stringify(jsonRows({ columns: rs.columns, rows: rs.rows.slice(i, i + SLICE), truncated: rs.truncated })).slice(1, -1);
      const piece = (i > 0 && text !== "" ? "," : "") + text;
      written += Buffer.byteLength(piece, "utf8");
      if (written > maxBytes) throw tooLarge(maxBytes);
      yield piece;
    }
    yield "]," + JSON.stringify({ rowCount: base.rowCount, truncated: base.truncated, maxRows: base.maxRows }).slice(1);
  }
  return writeAnswer(parts());
}

async function execute(req: Extract<ToWorker, { type: "query" }>["request"]): Promise<WireOutcome> {
  const src = await source();
  let extracted;
  try {
    extracted = await src.db.statements(req.sql);
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
  // The catalogue that would name the server's folders (SANDBOX_POLICY): refused from DuckDB's
  // own parse tree, before anything runs.
  let hidden: string | null;
  try {
    hidden = await hiddenReference(src.db, req.sql);
  } catch (e) {
    throw classify(e);
  }
  if (hidden) {
    throw new ApiError(
      "QUERY_REFUSED_BY_SANDBOX",
      "hộp cát không cho đọc cấu hình và đường dẫn của máy chủ",
      "the server's settings and paths are not readable from the sandbox",
      hidden,
    );
  }
  let p: Prepared;
  try {
    p = await extracted.prepareFirst();
  } catch (e) {
    throw classify(e);
  }
  try {
    if (!p.isSelect) {
      throw new ApiError("QUERY_NOT_SELECT", "chỉ được chạy câu SELECT", "only SELECT is allowed", p.statementType);
    }
    try {
      bind(p, req.params);
    } catch (e) {
      if (e instanceof ApiError) throw e;
      throw paramError((e as Error).message.slice(0, 300));
    }
    // Read chunk by chunk, counting what the rows would take as text: an answer over the byte
    // cap is refused as soon as it is, before it is held whole (here or in the server).
    let result;
    try {
      result = await p.stream();
    } catch (e) {
      throw classify(e);
    }
    const names = uniqueNames(result.names);
    const types = result.types;
    const chunks: ResultChunk[] = [];
    const rows: unknown[][] = [];
    let read = 0;
    let size = 0;
    while (read <= req.maxRows) {
      let chunk;
      try {
        chunk = await result.next();
      } catch (e) {
        throw classify(e);
      }
      if (!chunk) break;
      read += chunk.rowCount;
      chunks.push(chunk);
      const json = chunk.json();
      for (const row of json) {
        if (rows.length >= req.maxRows) break;
        size += textSize(row);
        rows.push(row);
      }
      if (size > req.maxBytes) throw tooLarge(req.maxBytes);
    }
    const rowCount = rows.length;
    const truncated = read > req.maxRows;
    const rs: ResultSet = { columns: names.map((name, i) => ({ name, type: types[i].toString() })), rows, truncated };
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
    const jsRows = () => chunks.flatMap((c) => c.js()).slice(0, rowCount);
    if (req.format === "json" && req.deliver === "inline") return { ...base, rows: rs.rows };
    if (req.format === "json") return { ...base, file: writeJsonAnswer(base, rs, req.maxBytes) };
    let bytes: Uint8Array;
    switch (req.format) {
      case "csv":
        bytes = Buffer.from(toCsv(rs, { bom: req.csvBom }), "utf8");
        break;
      case "arrow":
        bytes = await toArrow(rs, jsRows());
        break;
      case "xlsx": {
        const cells = rowCount * rs.columns.length;
        if (cells > XLSX_MAX_CELLS) throw xlsxTooLarge(cells);
        bytes = await toXlsx(rs);
        break;
      }
      case "parquet":
        trusted ??= await openDb(":memory:", { readOnly: false });
        bytes = await toParquet(trusted, rs.columns, types, chunks.flatMap((c) => c.values()).slice(0, rowCount), config.tmpDir);
        break;
      default:
        throw new ApiError("BAD_REQUEST", "định dạng không hợp lệ", "unknown format", String(req.format));
    }
    if (bytes.byteLength > req.maxBytes) throw tooLarge(req.maxBytes);
    if (req.deliver === "inline") return { ...base, bytes };
    return { ...base, file: writeAnswer([bytes]) };
  } finally {
    p.destroy();
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
