// Plans and sheets for the Office.js back-end tests: a PL03-like list form of any length, with
// the texts that Excel would turn into formulas, numbers or dates if written without "@".
import type { Block, FormPlan, PlanCell, WorkbookPlan } from "../../fill/engine/types.js";

export const TRICKY_TEXTS = ["=1+1", "01", "3/2024", "- Nhiệm vụ cấp tỉnh", "+84 272", "1.234,5"];

const LEVELS = ["Quốc gia", "Bộ", "Tỉnh", "Cơ sở", "Huyện"];

/** One task row of PL03: A STT · B title · C lead org · D period · E decision · F..S figures · T note. */
export function pl03Row(i: number): PlanCell[] {
  const row: PlanCell[] = [
    { s: String(i + 1) },
    { s: `Nghiên cứu ứng dụng công nghệ sinh học trong sản xuất giống cây trồng, nhiệm vụ số ${i + 1} (cấp ${LEVELS[i % LEVELS.length]})` },
    { s: `Trung tâm Ứng dụng tiến bộ KH&CN tỉnh Long An ${i % 7}` },
    { s: `${(i % 12) + 1}/2023-${(i % 12) + 1}/2025` },
    { s: `QĐ ${1000 + i}/QĐ-UBND ngày 30/11/2022` },
  ];
  for (let c = 0; c < 14; c++) {
    // column F (Tổng số) keeps the template's formula: null
    row.push(c === 0 ? null : c % 5 === 4 ? { blank: true } : { n: Math.round((i * 37 + c * 101) % 5000) / 10 + 0.123456 });
  }
  row.push(null); // T: Ghi chú, the staff's
  return row;
}

export function pl03Plan(rows: number, opts: { firstRow?: number; sheetName?: string } = {}): FormPlan {
  const top = opts.firstRow ?? 9;
  const cells = Array.from({ length: rows }, (_, i) => pl03Row(i));
  const block: Block = { row: top, col: 1, cells };
  const lineage = [];
  for (let r = 0; r < rows; r++) for (let c = 7; c <= 19; c++) if (cells[r][c - 1] && "n" in (cells[r][c - 1] as object)) lineage.push({ row: top + r, col: c, lineageId: `pl03:task:T${r}:c${c - 5}` });
  return {
    form: "PL03",
    sheetName: opts.sheetName ?? "PL03",
    rowOps: rows > 2 ? [{ op: "insert", at: top + 1, count: rows - 2, formatFrom: top }] : [],
    blocks: [block],
    headerRewrites: [{ row: 2, col: 1, old: "Dự toán năm 2023", new: "Dự toán năm 2024" }],
    lineage,
    rowsAdded: [],
    rowsRemoved: [],
    changes: [],
    problems: [],
  };
}

export function workbookPlan(...forms: FormPlan[]): WorkbookPlan {
  return { year: 2024, forms, problems: [] };
}

/** A template sheet of PL03 as staff have it: title, header, two body rows, a total row. */
export function pl03Template(name = "PL03"): { name: string; rows: (string | number | null)[][]; numberFormats: string[][] } {
  const width = 20;
  const rows: (string | number | null)[][] = [
    ["Phụ lục 03"],
    ["Dự toán năm 2023"],
    ["CƠ SỞ TÍNH CHI SỰ NGHIỆP KH&CN"],
    [],
    ["STT", "Nhiệm vụ KH&CN", "Cơ quan chủ trì", "Thời gian", "Quyết định", "Tổng số"],
    [],
    [],
    ["I", "Nhiệm vụ chuyển tiếp"],
    ["1", "old task", "old org", "1/2020-1/2021", "QĐ cũ", "=SUM(G9:H9)", 1, 2, 3],
    ["2", "old task 2", "old org", "1/2020-1/2021", "QĐ cũ", "=SUM(G10:H10)", 4, 5, 6],
    ["", "Tổng cộng", "", "", "", "=SUM(F9:F10)"],
  ];
  const numberFormats = rows.map((_, r) => Array.from({ length: width }, (_, c) => (r >= 8 && c >= 5 ? "#,##0.0" : "General")));
  return { name, rows: rows.map((r) => Array.from({ length: width }, (_, c) => r[c] ?? null)), numberFormats };
}
