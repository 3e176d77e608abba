// Reads the chart sheet definition (queries/charts/charts.json). Node only: the binding engine
// takes a parsed ChartSheetDef, so that the task pane can use it too.
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { ZodError } from "zod";
import { prob } from "../core/codes.js";
import { ProblemError } from "../core/problem.js";
import { parseChartSheetDef, type ChartSheetDef } from "./chart-schema.js";

export type { ChartSheetDef } from "./chart-schema.js";

export const CHARTS_FILE = join(dirname(fileURLToPath(import.meta.url)), "charts", "charts.json");

/** The chart sheet definition, or null when there is none (no chart sheet is made). */
export function loadChartSheet(file: string = CHARTS_FILE): ChartSheetDef | null {
  if (!existsSync(file)) return null;
  try {
    return parseChartSheetDef(JSON.parse(readFileSync(file, "utf8")));
  } catch (e) {
    const detail = e instanceof ZodError ? e.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`).join("; ") : String((e as Error).message ?? e);
    throw new ProblemError([
      prob("E_FORM_DEF", { file: "queries/charts/charts.json" }, {}, { what: "chart", detail }),
    ]);
  }
}
