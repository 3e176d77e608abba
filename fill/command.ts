// `phuluc fill`: fill every appendix found in a workbook from the warehouse, headless.
// Exit codes (design.md): 0 done · 1 refused, nothing written (template unreadable, no
// warehouse) · 2 usage (no --out without --check, --out naming the template) · 3 done with
// problems (a form not found or ambiguous, an arithmetic rule broken, a part that could not be
// adjusted; reconciliation differences too with --strict). The output is written to a temporary
// file beside it and renamed into place: a reader never sees half a workbook, and the template
// is never overwritten.
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, unlinkSync, writeSync, existsSync, realpathSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { EXIT, UsageError, type ExitCode } from "../core/exit.js";
import { isPlanYear, PLAN_YEAR_RANGE } from "../core/plan-year.js";
import { formatProblem, isError } from "../core/problem.js";
import { terminalSafe, terminalSafeLines } from "../core/terminal.js";
import type { Db } from "../warehouse/db.js";
import { fillWorkbook, type FillReport, type FillResult } from "./fill.js";
import { XlsxPackageError, type PackageLimits } from "../xlsx/package.js";
import { configPath, loadConfig } from "../core/config.js";

export interface FillOptions {
  db?: string;
  lake?: string;
  province?: string;
  asCurrentUnits?: boolean;
  year: number;
  template: string;
  out?: string;
  check?: boolean;
  asOf?: number;
  strict?: boolean;
  /** true: add the chart sheet; false: never; left out: rewritten where the workbook has it */
  charts?: boolean;
  /** "sheet=form" picks, for forms two sheets make ambiguous */
  form: string[];
  json?: boolean;
}

type Out = { log: (s: string) => void; err: (s: string) => void };
// Sheet names and cell texts come from the offices: what is printed is made terminal-safe. A
// summary line keeps no line break of theirs; the --json report keeps its own (JSON escapes
// theirs).
const isJson = (s: string) => {
  try {
    JSON.parse(s);
    return true;
  } catch {
    return false;
  }
};
const safe = (s: string) => (isJson(s) ? terminalSafeLines(s) : terminalSafe(s));
const stdio: Out = { log: (s) => console.log(safe(s)), err: (s) => console.error(safe(s)) };

export async function fillCommand(opts: FillOptions, io: Out = stdio): Promise<ExitCode> {
  // ---- usage -------------------------------------------------------------------------------
  if (!opts.check && !opts.out) throw new UsageError("fill: give --out <file.xlsx>, or --check to only report / cần --out <tệp.xlsx> hoặc --check");
  if (!opts.db && !opts.lake) throw new UsageError("fill: give --db <warehouse> (or --lake <dir>) / cần --db <kho dữ liệu>");
  if (opts.lake && opts.asOf !== undefined) throw new UsageError("fill: --as-of reads warehouse generations; a --lake has only its own / --as-of không dùng với --lake");
  if (!isPlanYear(opts.year)) throw new UsageError(`fill: --year must be a plan year (${PLAN_YEAR_RANGE}), got ${opts.year}`);
  const choices: Record<string, string> = {};
  for (const pick of opts.form ?? []) {
    const m = /^(.+)=([^=]+)$/.exec(pick);
    if (!m) throw new UsageError(`fill: --form expects sheet=form (e.g. "PL2 (2)=pl02"), got "${pick}"`);
    choices[m[2].trim().toLowerCase()] = m[1];
  }
  if (opts.out && !opts.check) {
    const out = resolve(opts.out);
    const tpl = resolve(opts.template);
    let same = out === tpl;
    try {
      same ||= existsSync(out) && realpathSync(out) === realpathSync(tpl);
    } catch {
      /* the template's absence is reported below */
    }
    if (same) throw new UsageError("fill: --out must not be the template (it is never overwritten) / --out không được trùng tệp mẫu");
  }

  // ---- refusals: nothing is written ---------------------------------------------------------
  let template: Uint8Array;
  try {
    template = new Uint8Array(readFileSync(opts.template));
  } catch (e) {
    io.err(`phuluc fill: cannot read the template ${opts.template}: ${(e as Error).message} / không đọc được tệp mẫu`);
    return EXIT.failed;
  }
  let db: (Db & { generation?: number }) | null = null;
  try {
    if (opts.lake) {
      const { openLake } = await import("../warehouse/lake.js");
      db = await openLake(opts.lake, { province: opts.province, asCurrentUnits: opts.asCurrentUnits });
    } else {
      const { openCurrent } = await import("../warehouse/generations.js");
      db = await openCurrent(opts.db!, opts.asOf);
    }
  } catch (e) {
    io.err(`phuluc fill: ${(e as Error).message}`);
    return EXIT.failed;
  }

  let result: FillResult;
  try {
    result = await fillWorkbook({ db, year: opts.year, template, asOf: opts.asOf, choices, charts: opts.charts, limits: zipLimits() });
  } catch (e) {
    if (e instanceof XlsxPackageError) {
      io.err(`phuluc fill: ${opts.template}: ${e.message} / tệp mẫu không phải sổ tính .xlsx đọc được`);
      return EXIT.failed;
    }
    throw e;
  } finally {
    db.close();
  }

  // ---- write, report ------------------------------------------------------------------------
  if (!opts.check && /\.xlsx$/i.test(opts.out!) && result.macroEnabled) {
    // Excel refuses to open a macro-enabled workbook saved under .xlsx
    io.err(`phuluc fill: the template has macros (.xlsm): give --out a name ending in .xlsm / tệp mẫu có macro: --out phải có đuôi .xlsm`);
    return EXIT.usage;
  }
  if (!opts.check) {
    try {
      writeAtomically(opts.out!, result.bytes);
    } catch (e) {
      io.err(`phuluc fill: cannot write ${opts.out}: ${(e as Error).message} / không ghi được tệp kết quả`);
      return EXIT.failed;
    }
  }
  const code = exitCodeOf(result.report, !!opts.strict);
  if (opts.json) {
    io.log(JSON.stringify({ ...result.report, written: opts.check ? null : resolve(opts.out!), exitCode: code }, null, 2));
  } else {
    printReport(result.report, opts, io);
  }
  return code;
}

/**
 * The decompression limit the template is opened under: the configured one when this folder has
 * a phuluc.config.json (the same `limits` the ETL's reader obeys), else the default. The file-size
 * limit is the inbox's and is not applied: a filled workbook with its lineage may be large.
 */
function zipLimits(): PackageLimits {
  const path = configPath();
  if (!existsSync(path)) return {};
  return { maxInflatedBytes: loadConfig(path).limits.maxInflatedBytes };
}

export function exitCodeOf(report: FillReport, strict: boolean): ExitCode {
  const notFound = report.forms.some((f) => f.status !== "found");
  const arithmetic = report.rulesBroken.arithmetic.length > 0;
  const reconciliation = strict && report.rulesBroken.reconciliation.length > 0;
  const errors = report.problems.some(isError) || report.forms.some((f) => f.status === "found" && f.problems.some(isError));
  return notFound || arithmetic || reconciliation || errors ? EXIT.problems : EXIT.ok;
}

/** Write to a temporary file in the same folder, fsync, then rename over the target. */
export function writeAtomically(path: string, bytes: Uint8Array): void {
  const target = resolve(path);
  const tmp = join(dirname(target), `.${basename(target)}.${process.pid}.${Date.now()}.tmp`);
  const fd = openSync(tmp, "wx");
  try {
    let off = 0;
    while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off);
    fsyncSync(fd);
  } catch (e) {
    closeSync(fd);
    unlinkSync(tmp);
    throw e;
  }
  closeSync(fd);
  try {
    renameSync(tmp, target);
  } catch (e) {
    unlinkSync(tmp);
    throw e;
  }
}

function printReport(r: FillReport, opts: FillOptions, io: Out): void {
  io.log(`phuluc fill — năm kế hoạch / plan year ${r.year}, thế hệ kho / warehouse generation ${r.generation}`);
  for (const f of r.forms) {
    const code = f.form.toUpperCase();
    if (f.status !== "found") {
      io.log(`  ${code}: ${f.status === "ambiguous" ? "không rõ trang nào / ambiguous" : "không tìm thấy / not found"}`);
      for (const p of f.problems) io.log(`    ${formatProblem(p)}`);
      continue;
    }
    io.log(
      `  ${code}: sheet "${f.sheet}"${f.header ? ` header ${f.header}` : ""} — ${f.cellsWritten} ô ghi / cells written, ` +
        `+${f.rowsInserted}/−${f.rowsDeleted} dòng / rows` +
        (f.headerRewrites ? `, ${f.headerRewrites} tiêu đề đổi năm / header years rewritten` : ""),
    );
    if (f.rowsAdded.length) io.log(`    thêm / added: ${f.rowsAdded.join("; ")}`);
    if (f.rowsRemoved.length) io.log(`    bỏ / removed: ${f.rowsRemoved.join("; ")}`);
    for (const p of f.problems) io.log(`    ${formatProblem(p)}`);
  }
  const rule = (x: FillReport["rulesBroken"]["arithmetic"][number]) =>
    `    ${x.form.toUpperCase()} ${x.rule} row ${x.rowKey} col ${x.column}: expected ${x.expected}, got ${x.actual}`;
  if (r.rulesBroken.arithmetic.length) {
    io.log(`  Quy tắc số học bị vi phạm / arithmetic rules broken: ${r.rulesBroken.arithmetic.length}`);
    for (const x of r.rulesBroken.arithmetic) io.log(rule(x));
  } else {
    // A figure the located form has no column or row for is an arithmetic-class problem too.
    const unplaced = r.forms.flatMap((f) => f.problems).filter((p) => isError(p) && p.data?.class === "arithmetic").length;
    io.log(
      unplaced
        ? `  Quy tắc số học: ${unplaced} số liệu không có chỗ trong biểu / arithmetic: ${unplaced} figures have no place in the form`
        : "  Quy tắc số học: đạt / arithmetic rules: all hold",
    );
  }
  if (r.rulesBroken.reconciliation.length) {
    io.log(`  Chênh lệch đối chiếu / reconciliation differences${opts.strict ? " (--strict)" : ""}: ${r.rulesBroken.reconciliation.length}`);
    for (const x of r.rulesBroken.reconciliation) io.log(rule(x));
  }
  if (r.charts) io.log(`  Biểu đồ / charts: sheet "${r.charts.sheet}" — ${r.charts.charts.length} biểu đồ / charts`);
  for (const p of r.problems) io.log(`  ${formatProblem(p)}`);
  io.log(opts.check ? "  --check: không ghi tệp nào / nothing written" : `  → ${opts.out}`);
}

