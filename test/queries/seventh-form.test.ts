// A new form is two files: a seventh appendix (pl07) written as form.json + figures.sql into a
// copy of the forms folder, with no TypeScript, is computed (its ratio column from the
// definition), checked (its row sum and ratio rules derived from the definition), traced (the
// ratio's facts from its two columns) and filled — headless and through the Office.js back end.
import { cpSync, mkdtempSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { computeAll, evaluateRules, formLineage, listForms } from "../../queries/compute.js";
import { FORMS_DIR, loadForms } from "../../queries/forms.js";
import { fillWorkbook } from "../../fill/fill.js";
import { fillWorkbook as fillInExcel } from "../../addin/office/excel.js";
import { locateForms, planWorkbook } from "../../fill/engine/index.js";
import { makeTemplate } from "../../fill/template/make-template.js";
import { createMockExcel } from "../doubles/mock-excel.js";
import { templateSheets } from "../addin/template.js";
import { TestWarehouse } from "./warehouse.js";

const PL07 = {
  code: "pl07",
  number: "07",
  kind: "fixed",
  title: "Tình hình thực hiện kinh phí nhiệm vụ KH&CN theo cấp quản lý năm {N-1}",
  unitLine: "Đơn vị tính: triệu đồng",
  recognise: { titlePatterns: ["^(phu luc|bieu)\\s*(so)?\\s*0?7\\b"], titleLine: ["kinh phi nhiem vu khcn theo cap quan ly"] },
  columns: [
    { id: "label", header: "Nội dung", number: "A", kind: "text", write: false },
    { id: "c1", header: "Dự toán năm {N-1}", number: "1", kind: "money" },
    { id: "c2", header: "Ước thực hiện năm {N-1}", number: "2", kind: "money" },
    { id: "c3", header: "Tỷ lệ thực hiện (%)", number: "3=2/1", kind: "ratio", computed: { ratio: ["c2", "c1"] } },
  ],
  rows: [
    { key: "08", label: "Chi thực hiện nhiệm vụ KH&CN", kind: "total", sumOf: ["09", "10", "11", "12", "13"] },
    { key: "09", label: "Nhiệm vụ cấp quốc gia", numbering: "-", indent: 1 },
    { key: "10", label: "Nhiệm vụ cấp bộ", numbering: "-", indent: 1 },
    { key: "11", label: "Nhiệm vụ cấp tỉnh", numbering: "-", indent: 1 },
    { key: "12", label: "Nhiệm vụ cấp cơ sở", numbering: "-", indent: 1 },
    { key: "13", label: "Nhiệm vụ khác", numbering: "-", indent: 1 },
  ],
  layout: { sheetName: "PL07" },
};

const FIGURES = `-- grain: one row per PL07 cell: budget line 08–13 × column (N-1, state budget)
with params as (
  select cast($year as integer) as year_n
),

columns_measures (column_id, measure_code) as (
  values ('c1', 'du_toan'), ('c2', 'uoc_thuc_hien')
),

amounts as (
  select b.line_code, m.column_id, sum(b.amount_trieu_dong) as amount
  from fct_budget_line as b
  cross join params as p
  join columns_measures as m on m.measure_code = b.measure_code
  where b.year = p.year_n - 1 and b.is_state_budget
  group by b.line_code, m.column_id
),

facts as (
  select b.line_code, m.column_id, list(distinct b.fact_id) as fact_ids
  from fct_budget_line_contribution as b
  cross join params as p
  join columns_measures as m on m.measure_code = b.measure_code
  where b.year = p.year_n - 1 and b.is_state_budget
  group by b.line_code, m.column_id
)

select
  l.line_code as row_key,
  case when l.line_code = '08' then 'total' else 'data' end as kind,
  l.line_sort as sort,
  case when l.line_code = '08' then null else '08' end as parent_key,
  m.column_id,
  a.amount,
  cast(null as varchar) as text,
  f.fact_ids
from dim_budget_line as l
cross join columns_measures as m
left join amounts as a on a.line_code = l.line_code and a.column_id = m.column_id
left join facts as f on f.line_code = l.line_code and f.column_id = m.column_id
where l.line_code between '08' and '13'
`;

const YEAR = 2026;
const g = globalThis as { Excel?: unknown };

/** The numbers of the sheet row whose cells include the label. */
function figuresOf(rows: unknown[][], label: string): unknown[] {
  const row = rows.find((r) => r.some((v) => typeof v === "string" && v.includes(label)));
  expect(row, label).toBeDefined();
  return row!.filter((v) => typeof v === "number");
}

describe("a seventh form from two files", () => {
  let dir: string;
  let formsDir: string;
  let templatePath: string;
  let w: TestWarehouse;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "phuluc-pl07-"));
    formsDir = join(dir, "forms");
    cpSync(FORMS_DIR, formsDir, { recursive: true });
    mkdirSync(join(formsDir, "pl07"));
    writeFileSync(join(formsDir, "pl07", "form.json"), JSON.stringify(PL07, null, 2));
    writeFileSync(join(formsDir, "pl07", "figures.sql"), FIGURES);
    templatePath = join(dir, "template.xlsx");
    writeFileSync(templatePath, await makeTemplate(loadForms(formsDir), YEAR));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  beforeEach(async () => {
    w = await TestWarehouse.create();
    // N-1 = 2025: two task levels (line 08 is their sum)
    await w.line("09", 2025, "du_toan", "NSTW", "100");
    await w.line("09", 2025, "uoc_thuc_hien", "NSTW", "80");
    await w.line("11", 2025, "du_toan", "NSDP", "200");
    await w.line("11", 2025, "uoc_thuc_hien", "NSDP", "150");
  });
  afterEach(() => {
    w.close();
    delete g.Excel;
  });

  it("is listed, computed with its ratio, and checked by the rules its definition implies", async () => {
    expect(listForms({ formsDir })).toEqual(["pl01", "pl02", "pl03", "pl04", "pl05", "pl06", "pl07"]);
    expect(listForms()).not.toContain("pl07");
    const all = await computeAll(w.db, YEAR, 9, { formsDir });
    const pl07 = all.forms.find((f) => f.form === "pl07")!;
    const values = Object.fromEntries(pl07.rows.map((r) => [r.rowKey, r.values]));
    expect(values["09"]).toEqual({ label: null, c1: 100, c2: 80, c3: 80 });
    expect(values["11"]).toEqual({ label: null, c1: 200, c2: 150, c3: 75 });
    expect(values["10"]).toEqual({ label: null, c1: null, c2: null, c3: null });
    expect(values["08"]).toEqual({ label: null, c1: 300, c2: 230, c3: 76.7 });
    // 08 = 09 + … + 13 from the row's sumOf, 3 = 2/1 from the column's computed ratio
    const rules = all.rules.filter((r) => r.form === "pl07");
    expect(rules.map((r) => [r.rule, r.rowKey, r.column, r.expected, r.actual, r.ok])).toEqual([
      ["sum_rows", "08", "c1", "300", "300", true],
      ["sum_rows", "08", "c2", "230", "230", true],
      ["ratio", "08", "c3", "76.7", "76.7", true],
      ["ratio", "09", "c3", "80.0", "80", true],
      ["ratio", "11", "c3", "75.0", "75", true],
    ]);
    // the same rules catch figures that break them
    const broken = { ...pl07, rows: pl07.rows.map((r) => (r.rowKey === "09" ? { ...r, values: { ...r.values, c1: 150, c3: 90 } } : r)) };
    const found = await evaluateRules(w.db, "pl07", YEAR, broken, { formsDir });
    expect(found.filter((r) => !r.ok).map((r) => [r.rule, r.rowKey, r.column, r.problem?.code])).toEqual([
      ["sum_rows", "08", "c1", "RULE_ARITHMETIC"],
      ["ratio", "09", "c3", "RULE_ARITHMETIC"],
    ]);
    // the ratio's facts are its two figures' facts, derived from the definition
    const c1 = await formLineage(w.db, "pl07", YEAR, "09", "c1", 0, 50, { formsDir });
    const c2 = await formLineage(w.db, "pl07", YEAR, "09", "c2", 0, 50, { formsDir });
    const c3 = await formLineage(w.db, "pl07", YEAR, "09", "c3", 0, 50, { formsDir });
    expect(c1.total).toBe(1);
    expect(c3.facts.map((f) => f.factId).sort()).toEqual([...c1.facts, ...c2.facts].map((f) => f.factId).sort());
  });

  it("fills headless", async () => {
    const { readFileSync } = await import("node:fs");
    const filled = await fillWorkbook({ db: w.db, year: YEAR, template: readFileSync(templatePath), formsDir, now: new Date("2026-01-01T00:00:00Z") });
    const report = filled.report.forms.find((f) => f.form === "pl07")!;
    expect(report.status).toBe("found");
    expect(report.cellsWritten).toBeGreaterThan(0);
    expect(filled.rules.filter((r) => r.form === "pl07").map((r) => [r.rule, r.rowKey, r.column, r.ok])).toContainEqual(["ratio", "09", "c3", true]);
    expect(filled.report.rulesBroken.arithmetic).toEqual([]);
    const out = join(dir, "filled.xlsx");
    writeFileSync(out, filled.bytes);
    const sheet = (await templateSheets(out)).find((s) => s.name === "PL07")!;
    expect(figuresOf(sheet.rows, "Nhiệm vụ cấp quốc gia")).toEqual([100, 80, 80]);
    expect(figuresOf(sheet.rows, "Nhiệm vụ cấp tỉnh")).toEqual([200, 150, 75]);
  });

  it("fills through the Office.js back end", async () => {
    const forms = loadForms(formsDir);
    const { forms: datas } = await computeAll(w.db, YEAR, 9, { formsDir });
    const mock = createMockExcel(await templateSheets(templatePath));
    g.Excel = mock.Excel;
    const result = await fillInExcel({
      year: YEAR,
      generation: 9,
      locate: (heads) =>
        locateForms(heads, forms, YEAR)
          .filter((l) => l.status === "found" && l.sheetName)
          .map((l) => ({ form: l.form, sheetName: l.sheetName! })),
      plan: (sheets) => planWorkbook(sheets, forms, datas, YEAR),
      supports: () => true,
      now: () => new Date("2026-01-01T00:00:00Z"),
    });
    expect(result.plan.forms.map((f) => f.form)).toContain("pl07");
    const sheet = mock.sheets.find((s) => s.name === "PL07")!;
    expect(figuresOf(sheet.values, "Nhiệm vụ cấp quốc gia")).toEqual([100, 80, 80]);
    expect(figuresOf(sheet.values, "Nhiệm vụ cấp tỉnh")).toEqual([200, 150, 75]);
  });
});
