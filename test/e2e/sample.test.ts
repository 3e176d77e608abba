// End to end on the bundled sample: the offices' messy workbooks → etl load → fill of the bundled
// template for plan year 2024 → the filled workbook, compared whole with a committed golden file
// (every value of every form sheet), and the seed report's figures checked one by one.
// UPDATE_GOLDEN=1 rewrites the golden file after a deliberate change.
import { beforeAll, describe, expect, it } from "vitest";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import ExcelJS from "exceljs";
import { ConfigSchema } from "../../core/config.js";
import { runLoad } from "../../etl/commands.js";
import { openCurrent } from "../../warehouse/generations.js";
import { fillWorkbook } from "../../fill/fill.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const golden = join(dirname(fileURLToPath(import.meta.url)), "golden", "sample-2024.json");
const config = ConfigSchema.parse(JSON.parse(readFileSync(join(root, "sample", "phuluc.config.json"), "utf8")));

type Sheet = Record<string, string | number | boolean | null>;
let sheets: Record<string, Sheet>;
let find: (form: string, label: RegExp) => (col: number) => unknown;
let reconciliation: { form: string; rowKey: string; column: string; expected: string; actual: string }[];

function cellValue(c: ExcelJS.Cell): string | number | boolean | null {
  const v = c.value;
  if (v === null || v === undefined || v === "") return null;
  if (typeof v === "object" && "formula" in v) return `=${(v as ExcelJS.CellFormulaValue).formula}`;
  if (typeof v === "object" && "sharedFormula" in v) return `=(shared ${(v as ExcelJS.CellSharedFormulaValue).sharedFormula})`;
  if (typeof v === "object" && "richText" in v) return (v as ExcelJS.CellRichTextValue).richText.map((r) => r.text).join("");
  if (v instanceof Date) return `DATE ${v.toISOString()}`;
  return v as string | number | boolean;
}

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), "phuluc-e2e-"));
  const db = join(dir, "w.duckdb");
  const report = await runLoad({ inbox: join(root, "sample", "inbox"), db, config, quiet: true, now: () => new Date("2024-06-30T03:00:00Z") });
  expect(report.outcome).toBe("loaded");
  expect(report.problems.filter((p) => p.severity === "error")).toEqual([]);
  const w = await openCurrent(db);
  const filled = await fillWorkbook({ db: w, year: 2024, template: readFileSync(join(root, "sample", "template.xlsx")), now: new Date("2024-06-30T03:00:00Z") });
  w.close();
  reconciliation = filled.report.rulesBroken.reconciliation.map((r) => ({ form: r.form, rowKey: r.rowKey, column: r.column, expected: r.expected, actual: r.actual }));
  expect(filled.report.rulesBroken.arithmetic).toEqual([]);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(Buffer.from(filled.bytes) as unknown as ArrayBuffer);
  sheets = {};
  for (const ws of wb.worksheets) {
    const s: Sheet = {};
    ws.eachRow({ includeEmpty: false }, (row) => row.eachCell({ includeEmpty: false }, (c) => void (cellValue(c) !== null && (s[c.address] = cellValue(c)))));
    sheets[ws.name] = s;
  }
  // the row of a form whose label (column A or B) matches, then its value in a column
  find = (form, label) => {
    const ws = wb.getWorksheet(form)!;
    let hit = 0;
    ws.eachRow((row, n) => {
      if (!hit && [1, 2].some((c) => label.test(String(row.getCell(c).value ?? "")))) hit = n;
    });
    if (!hit) throw new Error(`${form}: no row ${label}`);
    return (col: number) => cellValue(ws.getRow(hit).getCell(col));
  };
});

describe("the sample, filled for 2024", () => {
  it("equals the golden workbook, value for value", () => {
    if (process.env.UPDATE_GOLDEN === "1" || !existsSync(golden)) writeFileSync(golden, JSON.stringify(sheets, null, 1) + "\n");
    expect(sheets).toEqual(JSON.parse(readFileSync(golden, "utf8")));
  });

  it("reproduces the seed report's figures (PL01, PL02)", () => {
    // PL01 row 03 (2. Chi sự nghiệp KH&CN): Dự toán 2023 39.651,195 · 6 tháng 13.572 · 34,2 %
    const r03 = find("PL01", /Chi sự nghiệp KH&CN/);
    expect([r03(5), r03(6), r03(7)]).toEqual([39651.195, 13572, 34.2]);
    // PL02: total need 2024 = 41.612, all of it NSĐP
    const r01 = find("PL02", /^Tổng chi$/i);
    expect([r01(3), r01(5)]).toEqual([41612, 41612]);
  });

  it("lists the three national tasks with the seed's totals and splits (PL04)", () => {
    expect(find("PL04", /bò thịt nhân bản/)(6)).toBe(20970);
    const lb = find("PL04", /lục bình/);
    expect([lb(6), lb(7), lb(8), lb(9)]).toEqual([13660, 10880, 1500, 1280]);
    expect(lb(4)).toBe("10/2021-03/2024");
    const tram = find("PL04", /Tràm gió/);
    expect([tram(6), tram(7), tram(9)]).toEqual([24000, 6780, 17220]);
  });

  it("counts 18 district-level tasks managed in 2023 (PL05)", () => {
    expect(find("PL05", /cấp huyện|^Huyện/i)(2)).toBe(18);
  });

  it("shows the inspection, radiation-safety, enterprise and revenue figures (PL06)", () => {
    // columns: D Thực hiện 2022 · E Kế hoạch 2023 · F 6 tháng 2023 · G Tỷ lệ % · H Kế hoạch 2024
    const insp = find("PL06", /^Số cơ sở được thanh tra/);
    expect([insp(5), insp(6), insp(7)]).toEqual([337, 183, 54.3]);
    expect(find("PL06", /^Số hồ sơ an toàn bức xạ/)(6)).toBe(35);
    expect(["Cấp giấy phép", "Gia hạn", "Sửa đổi", "Bổ sung", "Cấp chứng chỉ"].map((l) => find("PL06", new RegExp(`^${l}`))(6))).toEqual([13, 8, 1, 1, 12]);
    expect(find("PL06", /^Số tiền xử phạt.*Thanh tra Sở/)(6)).toBe(24500000);
    expect(find("PL06", /^Số tiền xử phạt.*Chi cục TĐC/)(6)).toBe(3500000);
    expect(find("PL06", /^Số doanh nghiệp khoa học và công nghệ/)(6)).toBe(22);
    expect(find("PL06", /^Số tổ chức khoa học và công nghệ/)(6)).toBe(9);
    const rev = find("PL06", /^Thu sự nghiệp \(/);
    expect([rev(4), rev(6), rev(8)]).toEqual([4223, 1564, 4500]);
  });

  it("reports the budget office's 300 reserve as a reconciliation difference, not hidden", () => {
    expect(reconciliation).toEqual([{ form: "pl02", rowKey: "12", column: "c3", expected: "440", actual: "740" }]);
  });
});
