// The 01–18 hierarchy has one home, core/hierarchy.ts. The ETL takes its structure from there, and
// PL01/PL02 their rows' sums (form.json says "sumsFrom": "hierarchy"; their row-sum rules follow);
// what cannot import it — the warehouse's budget_line rows (a migration: history), the tests'
// expected rows — must say the same.
import { describe, expect, it } from "vitest";
import { HIERARCHY, HIERARCHY_CHILDREN, hierarchyParent } from "../../core/hierarchy.js";
import { HIERARCHY_CHILDREN as ETL_CHILDREN, hierarchyCode } from "../../etl/parse/values-lists.js";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { FORMS_DIR, loadForms } from "../../queries/forms.js";
import { formRules } from "../../queries/rules.js";
import { LINES } from "../queries/hierarchy.js";
import { TestWarehouse } from "../queries/warehouse.js";

const codes = HIERARCHY.map((l) => l.code);

describe("the 01–18 hierarchy, one home", () => {
  it("the ETL's sum structure is core's", () => {
    expect(ETL_CHILDREN).toBe(HIERARCHY_CHILDREN);
    expect(codes.map((c) => hierarchyCode(String(Number(c))))).toEqual(codes);
    expect(hierarchyCode("19")).toBeNull();
  });

  it("the warehouse's budget_line rows have its codes and parents", async () => {
    const w = await TestWarehouse.create();
    try {
      const rows = await w.db.all<{ line_code: string; parent_code: string | null; is_sum: boolean }>(
        "select line_code, parent_code, is_sum from budget_line order by sort",
      );
      expect(rows.map((r) => [r.line_code, r.parent_code, r.is_sum])).toEqual(
        codes.map((c) => [c, hierarchyParent(c), HIERARCHY_CHILDREN[c] !== undefined]),
      );
    } finally {
      w.close();
    }
  });

  it("PL01 and PL02 state no sums of their own: they take them from it", () => {
    for (const code of ["pl01", "pl02"]) {
      const raw = JSON.parse(readFileSync(join(FORMS_DIR, code, "form.json"), "utf8")) as { sumsFrom?: string; rows: { sumOf?: string[] }[] };
      expect(raw.sumsFrom, code).toBe("hierarchy");
      expect(raw.rows.filter((r) => r.sumOf), code).toEqual([]);
    }
  });

  it("PL01 and PL02 print its rows with its sums, and their row-sum rules are those sums", () => {
    for (const form of loadForms().filter((f) => f.code === "pl01" || f.code === "pl02")) {
      expect(form.rows!.map((r) => [r.key, r.sumOf ?? null]), form.code).toEqual(codes.map((c) => [c, HIERARCHY_CHILDREN[c] ?? null]));
      const sums = formRules(form).arithmetic.filter((r) => r.rule === "sum_rows");
      expect(sums.map((r) => (r.rule === "sum_rows" ? [r.parent, r.children] : null))).toEqual(Object.entries(HIERARCHY_CHILDREN));
    }
  });

  it("the tests' expected rows have its codes and parents", () => {
    expect(LINES.map(([code, , parent]) => [code, parent])).toEqual(codes.map((c) => [c, hierarchyParent(c)]));
  });
});
