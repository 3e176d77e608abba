// `phuluc query`: analysts' SQL from a file or -e, run by the same sandbox worker as the API's
// /api/query (same rules: one SELECT, external access off, caps, time limit).
import { readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { EXIT, UsageError, type ExitCode } from "../core/exit.js";
import { terminalSafe, terminalSafeLines } from "../core/terminal.js";
import { ApiError } from "./errors.js";
import { jsonRows, kindOf, trimDecimal, type Format, type ResultColumn } from "./formats.js";
import { checkReadable } from "./serve-command.js";
import { parseCliParams } from "./sandbox/params.js";
import { SandboxPool, type QueryRunner } from "./sandbox/runner.js";

export interface QueryCommandOptions {
  file?: string;
  execute?: string;
  db?: string;
  lake?: string;
  province?: string;
  asCurrentUnits?: boolean;
  param?: string[];
  format?: "table" | Format;
  out?: string;
  maxRows?: number;
  timeout?: number;
  /** an already running sandbox (tests, embedding); it is left running */
  runner?: QueryRunner;
}

const BINARY = new Set(["arrow", "parquet", "xlsx"]);

/** An aligned text table (numbers right-aligned), for the terminal. */
export function formatTable(columns: ResultColumn[], rows: unknown[][]): string {
  // Texts come from the offices: line breaks and tabs become spaces, other control characters
  // (an ANSI escape) are shown as escapes, never sent to the terminal. Money without trailing zeros.
  const kinds = columns.map((c) => kindOf(c.type));
  const text = (v: unknown, i: number): string =>
    v === null || v === undefined
      ? ""
      : typeof v === "string"
        ? terminalSafe(kinds[i] === "decimal" ? trimDecimal(v) : v.replace(/[\r\n\t]/g, " "))
        : typeof v === "object"
          ? terminalSafe(JSON.stringify(v))
          : String(v);
  const names = columns.map((c) => terminalSafe(c.name.replace(/[\r\n\t]/g, " ")));
  const cells = rows.map((r) => r.map(text));
  const right = kinds.map((k) => ["int", "big", "ubig", "huge", "float", "decimal"].includes(k));
  const width = columns.map((_, i) => Math.max([...names[i]].length, ...cells.map((r) => [...r[i]].length)));
  const pad = (s: string, i: number) => {
    const fill = " ".repeat(width[i] - [...s].length);
    return right[i] ? fill + s : s + fill;
  };
  const lines = [names.map((c, i) => pad(c, i)).join("  "), width.map((w) => "-".repeat(w)).join("  ")];
  for (const r of cells) lines.push(r.map((s, i) => pad(s, i)).join("  ").trimEnd());
  return lines.join("\n") + "\n";
}

/**
 * csv or json shown on a terminal: an office's control characters as escapes (JSON stays JSON).
 * Piped or redirected, the output is the data exactly.
 */
export const forTerminal = (data: string): string => data.split(/\r?\n/).map(terminalSafe).join("\n");

function writeAtomically(path: string, data: Uint8Array | string): void {
  const tmp = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, data);
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}

export async function queryCommand(opts: QueryCommandOptions): Promise<ExitCode> {
  const format = opts.format ?? "table";
  if ((opts.file === undefined) === (opts.execute === undefined)) throw new UsageError("give the SQL as a file or with -e, one of them");
  if (!opts.db === !opts.lake) throw new UsageError("give exactly one of --db <file> or --lake <dir>");
  if (opts.province && !opts.lake) throw new UsageError("--province goes with --lake");
  if (opts.asCurrentUnits && !opts.lake) throw new UsageError("--as-current-units goes with --lake");
  if (BINARY.has(format) && !opts.out) throw new UsageError(`--format ${format} writes a binary file: give --out <file>`);
  if (format === "table" && opts.out) throw new UsageError("--format table prints to the terminal: choose csv, json, xlsx … with --out");
  let params;
  try {
    params = parseCliParams(opts.param ?? []);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  let sql: string;
  if (opts.file !== undefined) {
    try {
      sql = readFileSync(opts.file, "utf8");
    } catch (e) {
      console.error(terminalSafe(`phuluc: cannot read ${opts.file}: ${(e as Error).message}`));
      return EXIT.failed;
    }
  } else sql = opts.execute!;

  if (!opts.runner) {
    if (opts.db) checkReadable(opts.db, "warehouse", "make it with `phuluc etl load <inbox> --db <file>`");
    else checkReadable(opts.lake!, "lake", "make it with `phuluc warehouse export --db <file> --parquet <dir>`");
  }
  const runner: QueryRunner = opts.runner ?? new SandboxPool({
    source: opts.db ? { kind: "db", dbPath: resolve(opts.db) } : { kind: "lake", lake: resolve(opts.lake!), province: opts.province, asCurrentUnits: opts.asCurrentUnits },
    timeLimitMs: opts.timeout,
    maxRows: opts.maxRows,
    // the same byte cap as the server's (PHULUC_QUERY_MAX_BYTES, default 64 MB)
    maxBytes: /^\d+$/.test(process.env.PHULUC_QUERY_MAX_BYTES ?? "") ? Number(process.env.PHULUC_QUERY_MAX_BYTES) : undefined,
  });
  try {
    const out = await runner.run({
      sql,
      params,
      format: format === "table" ? "json" : format,
      maxRows: opts.maxRows,
      csvBom: format === "csv" && opts.out !== undefined,
    });
    if (out.truncated) console.error(`phuluc: only the first ${out.maxRows} rows (row cap) / chỉ ${out.maxRows} dòng đầu`);
    let data: Uint8Array | string;
    if (format === "table") data = formatTable(out.columns, out.rows ?? []) + `(${out.rowCount} rows, generation ${out.generation ?? "-"})\n`;
    else if (format === "json") {
      const rows = jsonRows({ columns: out.columns, rows: out.rows ?? [], truncated: out.truncated });
      data = JSON.stringify({ generation: out.generation, checksum: out.checksum, columns: out.columns, rows, rowCount: out.rowCount, truncated: out.truncated }, null, 2) + "\n";
    } else data = out.bytes ?? new Uint8Array();
    if (opts.out) {
      writeAtomically(opts.out, data);
      console.error(terminalSafe(`phuluc: ${out.rowCount} rows → ${resolve(opts.out)} (${format})`));
    } else process.stdout.write(process.stdout.isTTY && typeof data === "string" ? forTerminal(data) : data);
    return EXIT.ok;
  } catch (e) {
    if (e instanceof ApiError) {
      console.error(terminalSafeLines(`phuluc: ${e.code}: ${e.message}`));
      return e.code === "QUERY_PARAMS" ? EXIT.usage : EXIT.failed;
    }
    throw e;
  } finally {
    if (!opts.runner) await runner.close();
  }
}
