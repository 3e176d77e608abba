// The schema of the chart sheet definition (queries/charts/charts.json): which native charts a
// fill puts on its own sheet ("Biểu đồ"), over which figures of the filled forms. Data, like a
// form: next year's charts are a new charts.json, never TypeScript. The binding engine
// (fill/engine/charts.ts) takes a parsed ChartSheetDef; only queries/charts.ts reads the file.
//
// A point names a figure of a form as "<form>:<row_key>:<column_id>" ("pl01:09:c5"): the chart
// shows exactly what the form shows, and the chart sheet's cell carries the form cell's lineage.
// Texts may carry {N}, {N-1}, {N-2} (N = the plan year).
import { z } from "zod";

export const POINT = /^[a-z0-9_]+:[^:]+(?::[^:]+)*:c\d+$/;

export const ChartDef = z
  .object({
    /** stable id (a chart's name in the workbook: "phuluc.<id>") */
    id: z.string().regex(/^[a-z0-9_]+$/),
    title: z.string().min(1),
    /** column: vertical bars; bar: horizontal bars */
    type: z.enum(["column", "bar"]),
    grouping: z.enum(["clustered", "stacked"]),
    /** the number format of the table's figures and of the value axis */
    numberFormat: z.string().min(1).default("#,##0"),
    /** the header above the categories in the chart's table */
    categoryHeader: z.string().default(""),
    categories: z.array(z.string().min(1)).min(1),
    series: z
      .array(
        z
          .object({
            name: z.string().min(1),
            /** one per category: "<form>:<row_key>:<column_id>", or null (no figure there) */
            points: z.array(z.string().regex(POINT).nullable()),
          })
          .strict(),
      )
      .min(1),
  })
  .strict()
  .superRefine((c, ctx) => {
    c.series.forEach((s, i) => {
      if (s.points.length !== c.categories.length) {
        ctx.addIssue({ code: "custom", path: ["series", i, "points"], message: `${s.points.length} points for ${c.categories.length} categories` });
      }
    });
  });
export type ChartDef = z.infer<typeof ChartDef>;

export const ChartSheetDef = z
  .object({
    /** the worksheet the fill makes (and, on a refill, rewrites) */
    sheetName: z.string().min(1).max(31).regex(/^[^\\/?*[\]:']+$/),
    title: z.string().min(1),
    note: z.string().optional(),
    charts: z.array(ChartDef).min(1),
  })
  .strict()
  .superRefine((d, ctx) => {
    const ids = d.charts.map((c) => c.id);
    if (new Set(ids).size !== ids.length) ctx.addIssue({ code: "custom", path: ["charts"], message: "chart ids repeat" });
  });
export type ChartSheetDef = z.infer<typeof ChartSheetDef>;
export type ChartSheetDefInput = z.input<typeof ChartSheetDef>;

export function parseChartSheetDef(json: unknown): ChartSheetDef {
  return ChartSheetDef.parse(json);
}
