// measureOfficeFill(plan): how the Office.js back end would apply a workbook plan — syncs per form
// (phase-two read of the form's sheet + its write requests) and the largest request and response
// — measured on the recording mock Excel (test/doubles/mock-excel.ts), for the benchmark and tests.
import type { WorkbookPlan } from "../../fill/engine/types.js";
import { cellToExcel } from "../../addin/office/batches.js";
import { applyFormPlan, lineageAfterFill, newSyncLog, readSheet, writeLineage, type SyncLog } from "../../addin/office/excel.js";
import { createMockExcel, type MockSheetInit, type MockValue } from "./mock-excel.js";
import type { OptionalFeature } from "../../addin/office/requirements.js";

export interface OfficeFillMeasure {
  /** the most syncs one form needed (read + write) */
  syncsPerFormMax: number;
  /** the largest request of any sync, bytes (JSON, UTF-8, with an envelope per action) */
  maxRequestBytes: number;
  /** the largest response (reads), bytes */
  maxResponseBytes: number;
  /** workbook-level syncs (the lineage part) */
  workbookSyncs: number;
  perForm: Record<string, number>;
  /** text cells written without "@" set first (must be 0) */
  textWithoutTextFormat: number;
}

/**
 * A sheet per form, as large as the plan's extent and holding the plan's values (roughly what
 * last year's copy holds), so that the read is measured too.
 */
function sheetsFor(plan: WorkbookPlan): MockSheetInit[] {
  const bySheet = new Map<string, MockSheetInit>();
  for (const f of plan.forms) {
    const s = bySheet.get(f.sheetName) ?? { name: f.sheetName, rows: [] };
    bySheet.set(f.sheetName, s);
    for (const b of f.blocks) {
      b.cells.forEach((row, r) =>
        row.forEach((c, k) => {
          const R = b.row - 1 + r;
          const C = b.col - 1 + k;
          while (s.rows.length <= R) s.rows.push([]);
          const v = cellToExcel(c);
          s.rows[R][C] = v === null || v === "" ? (s.rows[R][C] ?? null) : (v as MockValue);
        }),
      );
    }
  }
  return [...bySheet.values()];
}

export async function measureOfficeFill(
  plan: WorkbookPlan,
  opts: { budget?: number; supports?: (f: OptionalFeature) => boolean } = {},
): Promise<OfficeFillMeasure> {
  const mock = createMockExcel(sheetsFor(plan));
  const g = globalThis as { Excel?: unknown };
  const saved = g.Excel;
  g.Excel = mock.Excel;
  const supports = opts.supports ?? (() => true);
  const log: SyncLog = newSyncLog();
  try {
    await (mock.Excel as typeof Excel).run(async (context) => {
      for (const f of plan.forms) {
        const s = mock.sheets.find((x) => x.name === f.sheetName)!;
        const info = { name: s.name, index: 0, lastRow: s.values.length, lastCol: s.values.reduce((m, r) => Math.max(m, r.length), 0) };
        await readSheet(context, info, { sample: s.values.slice(0, 30), supports, log, form: f.form, budget: opts.budget });
        await applyFormPlan(context, f, { supports, log, budget: opts.budget });
      }
      const lineage = lineageAfterFill(null, plan.forms, { year: plan.year, generation: 0, filledAt: "1970-01-01T00:00:00.000Z" });
      if (plan.forms.length) await writeLineage(context, lineage, [], { log, budget: opts.budget });
    });
  } finally {
    g.Excel = saved;
  }
  const syncEvents = mock.events.filter((e) => e.kind === "sync");
  return {
    syncsPerFormMax: Math.max(0, ...Object.values(log.perForm)),
    maxRequestBytes: Math.max(0, ...syncEvents.map((e) => e.requestBytes)),
    maxResponseBytes: Math.max(0, ...syncEvents.map((e) => e.responseBytes)),
    workbookSyncs: log.workbook,
    perForm: log.perForm,
    textWithoutTextFormat: mock.textWithoutTextFormat.length,
  };
}
