// Messages between the server (or the query command) and the sandbox worker process.
import type { WireError } from "../errors.js";
import type { Format, ResultColumn } from "../formats.js";
import type { TypedParams } from "./params.js";

/** What the worker opens: the warehouse pointer (it follows the pointer) or a Parquet lake. */
export type Source = { kind: "db"; dbPath: string } | { kind: "lake"; lake: string; province?: string; asCurrentUnits?: boolean };

export interface WorkerConfig {
  source: Source;
  memoryLimit: string;
  threads: number;
  /** where the parquet output is written and read back */
  tmpDir: string;
  /** this worker's own folder for DuckDB's spill files (removed by the parent when it exits) */
  spillDir: string;
  maxTempSize: string;
}

export interface QueryRequest {
  sql: string;
  params?: TypedParams;
  format: Format;
  /** row cap for this request (at most the runner's cap) */
  maxRows?: number;
  /** csv only: start with a UTF-8 BOM */
  csvBom?: boolean;
}

export interface QueryOutcome {
  /** the generation (load run) the rows come from, and that load's checksum */
  generation: number | null;
  checksum: string | null;
  columns: ResultColumn[];
  rowCount: number;
  truncated: boolean;
  maxRows: number;
  format: Format;
  /** json: the rows, JSON-safe (DECIMAL and BIGINT as strings; see formats.jsonRows) */
  rows?: unknown[][];
  /** every other format: the bytes */
  bytes?: Uint8Array;
}

export type ToWorker = { type: "query"; id: number; request: Required<Omit<QueryRequest, "params">> & { params: TypedParams } };
export type FromWorker =
  | { type: "ready" }
  | { type: "result"; id: number; ok: true; outcome: QueryOutcome }
  | { type: "result"; id: number; ok: false; error: WireError };
