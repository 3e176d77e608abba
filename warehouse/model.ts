// What the ETL hands to the warehouse loader: one ParsedFile per inbox file, already validated
// sheet by sheet. Cross-file checks (a key given twice by two files, funding for a task no
// register has) need the warehouse and are done by warehouse/load.ts.
//
// Amounts are decimal strings in triệu đồng (already converted from đồng / nghìn / tỷ), at most
// 6 decimals — never JS numbers, so that nothing passes through a binary float on its way to
// DECIMAL(38,6). Indicator values are decimal strings in the indicator's own unit.
import type { Problem } from "../core/problem.js";
import type { PackedFacts } from "./pack.js";

export type Level = "QUOC_GIA" | "BO" | "TINH" | "CO_SO" | "HUYEN" | "KHAC";
export type Field = "TU_NHIEN" | "KY_THUAT" | "Y_DUOC" | "NONG_NGHIEP" | "XA_HOI" | "NHAN_VAN" | "CHUA_PHAN_LOAI";
export type Source = "NSTW" | "NSDP" | "NGOAI_NSNN" | "NUOC_NGOAI";
export type Status = "DANG_THUC_HIEN" | "DA_NGHIEM_THU" | "DA_UNG_DUNG" | "DUNG";
export type Measure = "du_toan" | "thuc_hien_6t" | "thuc_hien" | "uoc_thuc_hien" | "de_xuat" | "ke_hoach" | "luy_ke";
export type Area = "TDC" | "SHTT" | "ATBX" | "THANH_TRA" | "DN_KHCN" | "THU_SU_NGHIEP" | "KHAC";
export type SheetKind = "task_register" | "task_funding" | "budget_lines" | "indicators";

/** Where a figure came from, inside its file. file identity/hash/run are added by the loader. */
export interface CellRef {
  sheet: string;
  /** A1 reference, e.g. "F12" */
  cell: string;
}

/** A month as "YYYY-MM". */
export type Month = string;

export interface TaskRecord {
  code: string;
  title: string;
  level: Level;
  field: Field;
  leadOrg: string;
  pi?: string;
  piGender?: "NAM" | "NU";
  decision?: string;
  start: Month;
  end: Month;
  status: Status;
  /** "YYYY-MM-DD" */
  acceptedOn?: string;
  /** true when the row gave a Tổng and no parts ("chưa phân nguồn") */
  unsplit: boolean;
  /** the row (its code cell) */
  at: CellRef;
  /** Approved funding: TONG always; parts as given (NSNN already mapped to NSTW/NSDP by level). */
  approved: { source: Source | "TONG"; amount: string; at: CellRef }[];
}

export interface TaskFundingFact {
  taskCode: string;
  year: number;
  measure: Measure;
  source: Source;
  amount: string;
  at: CellRef;
  /** the cell holding the task code on the same row: where a problem with the code is told */
  codeAt?: CellRef;
}

export interface BudgetLineFact {
  /** "01" … "18" */
  line: string;
  year: number;
  measure: Measure;
  source: Source;
  amount: string;
  at: CellRef;
}

export interface IndicatorRecord {
  /** the key: the Mã chỉ tiêu, or "<area>|<normalised label>" */
  key: string;
  code?: string;
  area: Area;
  label: string;
  unit: string;
  /** key of the parent indicator for "of which" rows */
  parentKey?: string;
  /** order within the sheet, to keep the office's order in PL06 */
  sort: number;
  at: CellRef;
}

export interface IndicatorFact {
  key: string;
  year: number;
  measure: Measure;
  value: string;
  at: CellRef;
}

export interface SheetSummary {
  name: string;
  kinds: SheetKind[];
  /** "skipped" sheets matched no kind */
  status: "loaded" | "skipped" | "error";
  rows: number;
  /** extra columns found and ignored */
  ignoredColumns: string[];
}

export interface ParsedFile {
  /** identity: path inside the inbox with "/" separators, e.g. "P.KHTC/du toan 2024.xlsx" */
  fileId: string;
  office: string;
  /** sha256 hex of the bytes read */
  sha256: string;
  size: number;
  mtimeMs: number;
  sheets: SheetSummary[];
  tasks: TaskRecord[];
  taskFunding: TaskFundingFact[];
  budgetLines: BudgetLineFact[];
  indicators: IndicatorRecord[];
  indicatorFacts: IndicatorFact[];
  /** every problem found in this file; any severity "error" means the file must not load */
  problems: Problem[];
  /**
   * The facts, tasks and indicators packed in columns (warehouse/pack.ts). The parse (etl/read.ts)
   * writes a file's facts straight into columns (FileFacts): a file it read has them only here,
   * taskFunding, budgetLines, indicatorFacts and its tasks' approved amounts empty; a reading worker
   * also empties tasks and indicators (what crosses the threads is this). The loader packs a file
   * given as objects itself.
   */
  packed?: PackedFacts;
}

/** What scanning the inbox finds besides the workbooks it reads. */
export interface InboxScan {
  files: { fileId: string; office: string; path: string; size: number; mtimeMs: number }[];
  skipped: { fileId: string; reason: string }[];
  problems: Problem[];
}
