// Messages between the server (or the query command) and the sandbox worker process.
import type { Readable } from "node:stream";
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
  /**
   * "file": the worker writes the whole answer (for json, the API's body) to a file of its own
   * folder and the outcome carries a stream of it, so the server never holds or serialises the
   * rows; "inline" (default): rows (json) or bytes in the outcome, for the query command.
   */
  deliver?: "inline" | "file";
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
  /** deliver "file": the answer, to be piped to the client (read from an already unlinked file) */
  answer?: { stream: Readable; size: number };
}

/** What the worker sends back for deliver "file": the answer file's name in its folder. */
export type WireOutcome = Omit<QueryOutcome, "answer"> & { file?: { name: string; size: number } };

export type ToWorker = {
  type: "query";
  id: number;
  request: Required<Omit<QueryRequest, "params">> & { params: TypedParams; maxBytes: number };
};
export type FromWorker =
  | { type: "ready" }
  | { type: "result"; id: number; ok: true; outcome: WireOutcome }
  | { type: "result"; id: number; ok: false; error: WireError };
