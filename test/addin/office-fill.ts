// The set-up the Office.js back end's tests share: the recording mock Excel (test/doubles/
// mock-excel.ts, on office-addin-mock) made the global `Excel` that addin/office reads, for one
// test; and "Fill all" through Office.js with the real binding engine (locateForms on the first
// rows, planWorkbook on the forms' sheets), as the pane runs it.
import { onTestFinished } from "vitest";
import { fillWorkbook } from "../../addin/office/excel.js";
import { locateForms, planWorkbook } from "../../fill/engine/index.js";
import type { loadForms } from "../../queries/forms.js";
import type { FormData } from "../../queries/types.js";
import type { MockExcel } from "../doubles/mock-excel.js";

const g = globalThis as { Excel?: unknown };

/** `mock` as the global Excel until the end of the running test. */
export function useMockExcel(mock: MockExcel): typeof Excel {
  g.Excel = mock.Excel;
  onTestFinished(() => void delete g.Excel);
  return mock.Excel as typeof Excel;
}

type Fill = Parameters<typeof fillWorkbook>[0];

/** Fill all on `mock` with the binding engine: every form found, planned on `datas`, at a fixed time. */
export function fillWithEngine(
  mock: MockExcel,
  o: { forms: ReturnType<typeof loadForms>; datas: FormData[]; year: number; generation?: number; charts?: Fill["charts"] },
): ReturnType<typeof fillWorkbook> {
  useMockExcel(mock);
  return fillWorkbook({
    year: o.year,
    generation: o.generation ?? 9,
    locate: (heads) =>
      locateForms(heads, o.forms, o.year)
        .filter((l) => l.status === "found" && l.sheetName)
        .map((l) => ({ form: l.form, sheetName: l.sheetName! })),
    plan: (sheets) => planWorkbook(sheets, o.forms, o.datas, o.year),
    supports: () => true,
    now: () => new Date("2026-01-01T00:00:00Z"),
    charts: o.charts,
  });
}
