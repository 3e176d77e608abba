// The headless fill, glued: workbook bytes → snapshots → (engine) located forms and write plan
// ← (SQL) figures and rules → applyPlan → new workbook bytes, with a report of what it did.
import type { Problem } from "../core/problem.js";
import type { Db } from "../warehouse/db.js";
import type { FormDef } from "../queries/form-schema.js";
import type { RuleResult } from "../queries/types.js";
import { locateForms, planWorkbook, type WorkbookPlanWithLocation } from "./engine/index.js";
import type { FormPlan } from "./engine/types.js";
import type { ChartSheetDef } from "../queries/chart-schema.js";
import { parsePoint, planChartSheet } from "./engine/charts.js";
import { applyPlanDetailed } from "./xlsx/apply.js";
import { madeByFill, writeChartSheet, type ChartSheetWritten } from "./xlsx/charts.js";
import { colLetters } from "../xlsx/refs.js";
import { Package, type PackageLimits } from "../xlsx/package.js";
import { snapshotPackage } from "./xlsx/snapshot.js";

export interface FillInput {
  /** an open warehouse (its `generation` is used when present) */
  db: Db & { generation?: number };
  year: number;
  template: Uint8Array;
  /** the load run the figures come from, when `db` does not say (an --as-of generation) */
  asOf?: number;
  /** form code → sheet name, for forms two sheets make ambiguous */
  choices?: Record<string, string>;
  /** form definitions (default: those of `formsDir`) */
  forms?: FormDef[];
  /** the folder of forms, each form.json + figures.sql (default: queries/forms) */
  formsDir?: string;
  /** the fill time written into the lineage (default: now) */
  now?: Date;
  /**
   * The chart sheet (queries/charts/charts.json): true makes it, false never; left out, a
   * workbook that already has it from an earlier fill gets it rewritten, others are left
   * without. A ChartSheetDef: that definition instead of the bundled one. A sheet of the same
   * name that a fill did not make is never touched (warning W_CHART_SHEET_TAKEN when asked).
   */
  charts?: boolean | ChartSheetDef;
  /**
   * The zip limits the template is opened under (core/config.ts `limits`, as the ETL's reader
   * uses them); left out, the defaults.
   */
  limits?: PackageLimits;
}

export interface FormReport {
  form: string;
  status: "found" | "not_found" | "ambiguous";
  sheet: string | null;
  /** "A5:N7"-style place of the header, when found */
  header: string | null;
  cellsWritten: number;
  rowsInserted: number;
  rowsDeleted: number;
  rowsAdded: string[];
  rowsRemoved: string[];
  headerRewrites: number;
  problems: Problem[];
}

export interface FillReport {
  year: number;
  generation: number;
  forms: FormReport[];
  rulesBroken: { arithmetic: RuleResult[]; reconciliation: RuleResult[] };
  /** plan- and apply-level problems (forms not found, parts that could not be adjusted …) */
  problems: Problem[];
  /** the chart sheet written, or null */
  charts: { sheet: string; charts: string[]; parts: string[] } | null;
}

export interface FillResult {
  bytes: Uint8Array;
  plan: WorkbookPlanWithLocation;
  rules: RuleResult[];
  report: FillReport;
  /** the template is a macro-enabled workbook (.xlsm): Excel refuses one saved under .xlsx */
  macroEnabled: boolean;
}

/** The figure computation, replaceable in tests. */
export type ComputeAll = (db: Db, year: number, generation: number, opts?: { formsDir?: string }) => Promise<{ forms: import("../queries/types.js").FormData[]; rules: RuleResult[] }>;

export async function fillWorkbook(input: FillInput, deps: { computeAll?: ComputeAll } = {}): Promise<FillResult> {
  const pkg = Package.open(input.template, input.limits);
  const macroEnabled = (pkg.contentType(pkg.workbookPart()) ?? "").includes("macroEnabled");
  const generation = input.db.generation ?? input.asOf ?? 0;
  const forms = input.forms ?? (await import("../queries/forms.js")).loadForms(input.formsDir);
  const compute = deps.computeAll ?? (await import("../queries/compute.js")).computeAll;
  // The warehouse computes the figures on its own threads while this one reads the workbook: the
  // two do not depend on each other, and together they were half of a fill's time.
  const computing = compute(input.db, input.year, generation, input.formsDir === undefined ? {} : { formsDir: input.formsDir });
  // the workbook read, and where the forms are found (that needs no figures), while DuckDB computes
  let snapshots: ReturnType<typeof snapshotPackage>;
  let located: ReturnType<typeof locateForms>;
  try {
    snapshots = snapshotPackage(pkg);
    located = locateForms(snapshots, forms, input.year, input.choices ?? {});
  } catch (e) {
    // let the queries finish before the caller closes the warehouse; the workbook's error wins
    await computing.catch(() => undefined);
    throw e;
  }
  const { forms: datas, rules } = await computing;
  const plan = planWorkbook(snapshots, forms, datas, input.year, input.choices ?? {}, located);
  const chartDef = await chartsWanted(input, pkg);
  let charts: ChartSheetWritten | null = null;
  let chartNames: string[] = [];
  // only over forms this workbook holds and the fill filled: a chart of figures it does not show is not "over the filled figures"
  if (chartDef && plan.forms.some((f) => chartDef.charts.some((c) => c.series.some((s) => s.points.some((p) => p !== null && parsePoint(p).form === f.form))))) {
    const filled = new Set(plan.forms.map((f) => f.form));
    const chartPlan = planChartSheet(chartDef, datas.filter((d) => filled.has(d.form)), input.year);
    charts = writeChartSheet(pkg, chartPlan);
    chartNames = chartPlan.charts.map((c) => c.name);
  }
  // the package the snapshots were read from: unzipping the template twice cost a tenth of a second
  const applied = applyPlanDetailed(pkg, plan, {
    generation,
    filledAt: (input.now ?? new Date()).toISOString(),
    extraSheets: charts?.lineage ? [charts.lineage] : [],
  });
  const report: FillReport = {
    year: input.year,
    generation,
    forms: plan.located.map((loc) => {
      const fp = plan.forms.find((f) => f.form === loc.form);
      return {
        form: loc.form,
        status: loc.status,
        sheet: loc.sheetName,
        header: loc.status === "found" && loc.headerTop > 0 ? headerPlace(loc.headerTop, loc.headerBottom, loc.columns) : null,
        cellsWritten: fp ? cellsWritten(fp) : 0,
        rowsInserted: fp ? fp.rowOps.filter((o) => o.op === "insert").reduce((a, o) => a + o.count, 0) : 0,
        rowsDeleted: fp ? fp.rowOps.filter((o) => o.op === "delete").reduce((a, o) => a + o.count, 0) : 0,
        rowsAdded: fp?.rowsAdded ?? [],
        rowsRemoved: fp?.rowsRemoved ?? [],
        headerRewrites: fp?.headerRewrites.length ?? 0,
        problems: [...(fp?.problems ?? []), ...loc.problems],
      };
    }),
    rulesBroken: {
      arithmetic: rules.filter((r) => !r.ok && r.class === "arithmetic"),
      reconciliation: rules.filter((r) => !r.ok && r.class === "reconciliation"),
    },
    problems: [...plan.problems.filter((p) => !plan.located.some((l) => l.problems.includes(p))), ...applied.problems, ...(charts?.problems ?? [])],
    charts: charts?.lineage ? { sheet: charts.lineage.sheetName, charts: chartNames, parts: charts.parts } : null,
  };
  return { bytes: applied.bytes, plan, rules, report, macroEnabled };
}

/** The chart sheet definition this fill makes, if any (see FillInput.charts). */
async function chartsWanted(input: FillInput, pkg: Package): Promise<ChartSheetDef | null> {
  if (input.charts === false) return null;
  if (typeof input.charts === "object") return input.charts;
  const def = (await import("../queries/charts.js")).loadChartSheet();
  if (!def) return null;
  if (input.charts === true) return def;
  // not asked: only a chart sheet an earlier fill made is kept current
  const sheet = pkg.sheets().find((s) => s.kind === "worksheet" && s.name.toLowerCase() === def.sheetName.toLowerCase());
  return sheet && madeByFill(pkg, sheet.part) ? def : null;
}

function cellsWritten(fp: FormPlan): number {
  let n = fp.headerRewrites.length;
  for (const b of fp.blocks) for (const line of b.cells) for (const c of line) if (c !== null && c !== undefined) n++;
  return n;
}

function headerPlace(top: number, bottom: number, columns: Record<string, number>): string {
  const cols = Object.values(columns);
  if (cols.length === 0) return `${top}:${bottom}`;
  return `${colLetters(Math.min(...cols))}${top}:${colLetters(Math.max(...cols))}${bottom}`;
}
