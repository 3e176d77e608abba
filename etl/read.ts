// One inbox file → ParsedFile. Hash the bytes, open the workbook, parse its sheets one at a
// time (only one sheet's rows are ever held), and check that the file did not change meanwhile.
// Bad input never throws: every failure becomes a located problem in the result.
import { createHash } from "node:crypto";
import { open, stat } from "node:fs/promises";
import type { Place, Problem } from "../core/problem.js";
import { prob, type Code } from "../core/codes.js";
import type { ParsedFile } from "../warehouse/model.js";
import { LIMIT_DEFAULTS } from "../core/config.js";
import { emptyList } from "../core/lists.js";
import { openXlsx } from "../xlsx/index.js";
import { colLetters } from "../xlsx/refs.js";
import { XlsxInvalidError, XlsxLimitError, XlsxOpenError, type OpenFailure, type ReaderLimits, type XlsxReader, type XRow } from "../xlsx/types.js";
import { parseSheet } from "./parse/recognise.js";
import { FactKeys, OVER_LIMIT, Places, type FileState } from "./parse/sheet.js";
import { FactKind, FileFacts, packIndicators, packTasks } from "../warehouse/pack.js";
import { nsnnSource } from "./parse/kinds/tasks.js";

export interface ReadOptions {
  limits: ReaderLimits & { maxProblemsPerFile?: number };
  /** the province code of the configuration (carried by the loader onto every figure) */
  province: string;
  /** the reader to use; the fast reader by default (tests pass the exceljs reference) */
  open?: (path: string, limits: ReaderLimits) => Promise<XlsxReader>;
}

const OPEN_CODES: Record<OpenFailure, Code> = {
  not_zip: "FILE_NOT_XLSX",
  truncated: "FILE_TRUNCATED",
  ole2_xls: "FILE_XLS_OLD",
  encrypted: "FILE_ENCRYPTED",
  ods: "FILE_ODS",
  not_workbook: "FILE_NOT_WORKBOOK",
  too_large: "FILE_TOO_LARGE",
  too_many_columns: "SHEET_TOO_MANY_COLUMNS",
  too_many_rows: "SHEET_TOO_MANY_ROWS",
  limit: "FILE_LIMIT_EXCEEDED",
  invalid: "FILE_INVALID",
};

/**
 * A file's SHA-256, read in 1 MB pieces through one handle: a read stream's 64 KB chunks and its
 * async iteration took 27 ms for the bench's 35 files (9.5 MB) against 15 ms so, and every file is
 * hashed twice on the reading worker's path (before its read, and after it: FILE_CHANGED_WHILE_READING).
 * Asynchronous still: an inbox on a slow share must not stall the worker's thread (its deadline).
 */
async function sha256(path: string): Promise<string> {
  const h = createHash("sha256");
  const fh = await open(path, "r");
  try {
    const buf = Buffer.allocUnsafe(1 << 20);
    for (;;) {
      const { bytesRead } = await fh.read(buf, 0, buf.length, null);
      if (bytesRead === 0) break;
      h.update(bytesRead === buf.length ? buf : buf.subarray(0, bytesRead));
    }
  } finally {
    await fh.close();
  }
  return h.digest("hex");
}

function openProblem(fileId: string, e: unknown, sheet: string | undefined, limits: ReaderLimits): Problem {
  if (e instanceof XlsxOpenError) {
    const code = OPEN_CODES[e.reason] ?? "FILE_TRUNCATED";
    const place: Place = { file: fileId };
    // the file-level failures are the whole file's, wherever the reader noticed them
    if (code.startsWith("SHEET_") || code === "FILE_TRUNCATED" || code === "FILE_LIMIT_EXCEEDED" || code === "FILE_INVALID") {
      const w = e.where ?? "";
      const bang = w.lastIndexOf("!");
      const cell = bang >= 0 ? w.slice(bang + 1) : w;
      const sh = bang >= 0 ? w.slice(0, bang).replace(/^'|'$/g, "") : sheet;
      if (sh) place.sheet = sh;
      if (/^[A-Z]{1,3}\d+$/.test(cell)) place.cell = cell;
    }
    if (e instanceof XlsxLimitError) {
      return prob(code, place, { what: e.what, whatVi: e.whatVi, limit: e.max, limitName: e.limit, ...(e.where ? { where: e.where } : {}) });
    }
    if (e instanceof XlsxInvalidError) {
      return prob(code, place, { what: e.what, whatVi: e.whatVi, ...(e.where ? { where: e.where } : {}) });
    }
    const limit = e.reason === "too_many_rows" ? limits.maxRows : e.reason === "too_many_columns" ? limits.maxColumns : undefined;
    return prob(code, place, { detail: e.message, ...(e.where ? { where: e.where } : {}), ...(limit ? { limit } : {}) });
  }
  // A mistake in phuluc itself must not be told to an office as "your file is damaged": let it
  // fail the run (nothing is loaded) with its own message.
  if (e instanceof ReferenceError || e instanceof SyntaxError) throw e;
  // anything else the reader trips on is a damaged file, as far as the office is concerned
  return prob("FILE_TRUNCATED", sheet ? { file: fileId, sheet } : { file: fileId }, { detail: (e as Error)?.message ?? String(e) });
}

export async function readInboxFile(absPath: string, fileId: string, office: string, opts: ReadOptions): Promise<ParsedFile> {
  const out: ParsedFile = { fileId, office, sha256: "", size: 0, mtimeMs: 0, sheets: emptyList(), tasks: emptyList(), taskFunding: emptyList(), budgetLines: emptyList(), indicators: emptyList(), indicatorFacts: emptyList(), problems: emptyList() };
  let before;
  try {
    before = await stat(absPath);
    out.size = before.size;
    out.mtimeMs = before.mtimeMs;
    out.sha256 = await sha256(absPath);
  } catch (e) {
    out.problems.push(prob("FILE_TRUNCATED", { file: fileId }, { detail: (e as Error).message }));
    return out;
  }
  if (before.size > opts.limits.maxFileBytes) {
    out.problems.push(prob("FILE_TOO_LARGE", { file: fileId }, { detail: `${before.size} > ${opts.limits.maxFileBytes} bytes` }));
    return out;
  }
  let reader: XlsxReader;
  try {
    reader = await (opts.open ?? openXlsx)(absPath, opts.limits);
  } catch (e) {
    out.problems.push(openProblem(fileId, e, undefined, opts.limits));
    return out;
  }
  const fs: FileState = {
    fileId,
    date1904: false,
    out,
    taskCodes: new Map(),
    factKeys: new FactKeys(),
    planYear: new FactKeys(),
    places: new Places(),
    facts: new FileFacts(colLetters),
    indicatorKeys: new Map(),
    indicatorSort: 0,
    pendingNsnn: [],
    maxProblems: opts.limits.maxProblemsPerFile ?? LIMIT_DEFAULTS.maxProblemsPerFile,
  };
  let fatal = false;
  try {
    const info = await reader.info();
    fs.date1904 = info.date1904;
    for (const sh of info.sheets) {
      const rows: XRow[] = [];
      try {
        // in the reader's batches when it makes them (one await per chunk, not per row)
        if (reader.rowBatches) {
          for await (const batch of reader.rowBatches(sh.index)) for (const r of batch) rows.push(r);
        } else for await (const r of reader.rows(sh.index)) rows.push(r);
      } catch (e) {
        out.problems.push(openProblem(fileId, e, sh.name, opts.limits));
        out.sheets.push({ name: sh.name, kinds: [], status: "error", rows: 0, ignoredColumns: [] });
        if (!(e instanceof XlsxOpenError) || (e.reason !== "too_many_rows" && e.reason !== "too_many_columns")) {
          fatal = true;
          break;
        }
        continue;
      }
      // merges are complete only now that the sheet has been read to its end
      out.sheets.push(parseSheet(fs, sh, rows));
    }
  } catch (e) {
    out.problems.push(openProblem(fileId, e, undefined, opts.limits));
    fatal = true;
  } finally {
    await reader.close().catch(() => undefined);
  }
  resolveNsnn(fs);
  // the facts are columns already; the tasks and indicators packed beside them (the objects stay
  // too: a worker's packInPlace drops them, the in-process parser and tests read them)
  out.packed = fs.facts.pack(packTasks(out.tasks), packIndicators(out.indicators));
  if (!fatal && !out.sheets.some((s) => s.kinds.length > 0 && s.rows > 0) && !out.sheets.some((s) => s.status === "error")) {
    out.problems.push(prob("FILE_NO_DATA", { file: fileId }));
  }
  capProblems(out, opts.limits.maxProblemsPerFile ?? LIMIT_DEFAULTS.maxProblemsPerFile);
  try {
    const after = await stat(absPath);
    const changed = after.size !== before.size || after.mtimeMs !== before.mtimeMs || (await sha256(absPath)) !== out.sha256;
    if (changed) out.problems.push(prob("FILE_CHANGED_WHILE_READING", { file: fileId }));
  } catch {
    out.problems.push(prob("FILE_CHANGED_WHILE_READING", { file: fileId }));
  }
  return out;
}

/**
 * A file that raises a problem on each of 150 000 rows says what is wrong with the first ones:
 * keep `max` (errors first, so that a flood of warnings cannot hide why the file was refused) and
 * count the rest in one PROBLEMS_MORE.
 */
export function capProblems(out: ParsedFile, max: number): void {
  const all = out.problems;
  if (all.length <= max) return;
  // the stand-ins of problems not made (FileState.maxProblems) are counted, not kept
  const ps = all.filter((p) => !isStandIn(p));
  let standInErrors = 0;
  for (const p of all) if (isStandIn(p) && p.severity === "error") standInErrors++;
  const standIns = all.length - ps.length;
  const kept: typeof ps = [];
  for (const p of ps) if (p.severity === "error" && kept.length < max) kept.push(p);
  for (const p of ps) if (p.severity !== "error" && kept.length < max) kept.push(p);
  let errors = 0;
  for (const p of ps) if (p.severity === "error") errors++;
  let keptErrors = 0;
  for (const p of kept) if (p.severity === "error") keptErrors++;
  out.problems = kept;
  const more = ps.length - kept.length + standIns;
  if (more > 0) out.problems.push(prob("PROBLEMS_MORE", { file: out.fileId }, { more, errors: errors - keptErrors + standInErrors, kept: kept.length }));
}

const isStandIn = (p: ParsedFile["problems"][number]): boolean => p === OVER_LIMIT.error || p === OVER_LIMIT.warning || p === OVER_LIMIT.info;

/**
 * Funding given as "NSNN" in a sheet without levels: the level comes from this file's register.
 * The fact is in the file's columns already: its source is set there, and a duplicate dropped.
 */
function resolveNsnn(fs: FileState): void {
  if (fs.pendingNsnn.length === 0) return;
  const levels = new Map(fs.out.tasks.map((t) => [t.code, t.level]));
  const facts = fs.facts;
  const F = FactKind.Funding;
  for (let k = 0; k < fs.pendingNsnn.length; k += 2) {
    const i = fs.pendingNsnn[k]!;
    const place = fs.pendingNsnn[k + 1]!;
    const code = facts.key(F, i);
    const year = facts.year(F, i);
    const measure = facts.measure(F, i);
    // without a register in this file the province's own budget is the likelier reading
    const source = nsnnSource(levels.get(code));
    facts.setSource(F, i, source);
    const prev = fs.factKeys.get("tf", code, year, measure, source);
    if (prev !== undefined) {
      const other = fs.places.ref(prev);
      fs.out.problems.push(prob("KEY_DUPLICATE", { file: fs.fileId, sheet: facts.sheet(F, i), cell: facts.cell(F, i), other: { file: fs.fileId, sheet: other.sheet, cell: other.cell } }, { key: `${code} ${measure} ${year} ${source}` }));
      facts.drop(F, i);
    } else fs.factKeys.set("tf", code, year, measure, source, place);
  }
}
