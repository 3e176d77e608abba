// The chart sheet's plan (fill/engine/charts.ts), pure: points naming rows whose keys hold ":",
// figures missing or absent forms as gaps without lineage, the charts kept clear of wide tables.
import { describe, expect, it } from "vitest";
import { parsePoint, planChartSheet } from "../../../fill/engine/charts.js";
import { parseChartSheetDef } from "../../../queries/chart-schema.js";
import type { FormData } from "../../../queries/types.js";

const pl05: FormData = {
  form: "pl05",
  year: 2024,
  generation: 3,
  rows: [
    { rowKey: "level:TINH", kind: "data", sort: 1, parentKey: null, values: { c1: 7, c5: 1 } },
    { rowKey: "level:HUYEN", kind: "data", sort: 2, parentKey: null, values: { c1: 18, c5: null } },
  ],
};

const def = (series: number) =>
  parseChartSheetDef({
    sheetName: "Biểu đồ",
    title: "Năm {N}",
    charts: [
      {
        id: "tasks",
        title: "Nhiệm vụ {N-1}",
        type: "column",
        grouping: "clustered",
        categories: ["Tỉnh", "Huyện", "Bộ"],
        series: Array.from({ length: series }, (_, k) => ({
          name: `S${k}`,
          points: ["pl05:level:TINH:c" + (k === 1 ? 5 : 1), "pl05:level:HUYEN:c" + (k === 1 ? 5 : 1), "pl09:x:c1"],
        })),
      },
    ],
  });

describe("planChartSheet", () => {
  it("reads points whose row key holds ':'", () => {
    expect(parsePoint("pl05:level:QUOC_GIA:c1")).toEqual({ form: "pl05", rowKey: "level:QUOC_GIA", column: "c1" });
  });

  it("copies the figures with the form cells' lineage; a blank or an absent form is a gap", () => {
    const p = planChartSheet(def(2), [pl05], 2024);
    expect(p.title).toBe("Năm 2024");
    const c = p.charts[0];
    expect(c.title).toBe("Nhiệm vụ 2023");
    expect(c.series.map((s) => s.values)).toEqual([
      [7, 18, null],
      [1, null, null],
    ]);
    expect(p.lineage).toEqual([
      { row: 6, col: 2, lineageId: "pl05:2024:3:level:TINH:c1" },
      { row: 7, col: 2, lineageId: "pl05:2024:3:level:HUYEN:c1" },
      { row: 6, col: 3, lineageId: "pl05:2024:3:level:TINH:c5" },
    ]);
    expect([c.titleRow, c.headerRow, c.firstRow, c.lastRow, c.lastCol]).toEqual([4, 5, 6, 8, 3]);
    expect(c.from).toEqual({ row: 4, col: 8 });
  });

  it("moves the charts right of a table wider than five series", () => {
    const p = planChartSheet(def(8), [pl05], 2024);
    expect(p.charts[0].lastCol).toBe(9);
    expect(p.charts[0].from.col).toBe(11);
    expect(p.widths).toHaveLength(10); // A, the eight series, the gap column J
    expect(p.widths.at(-1)).toBe(3);
  });
});
