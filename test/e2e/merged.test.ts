// After the 2025 reorganisation: the merged Tây Ninh (code 80 since 1 July 2025) loads an inbox
// with a folder per former province (80 Long An, 72 Tây Ninh); its 2026 plan's earlier-year
// columns are the two former provinces' sums, and every figure traces to the former province's
// file and cell. A new task at cấp huyện after 30 June 2025 is refused at its level cell; a folder
// of a province that did not merge into this one is refused.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { ConfigSchema } from "../../core/config.js";
import { runLoad } from "../../etl/commands.js";
import { openCurrent } from "../../warehouse/generations.js";
import { fillWorkbook } from "../../fill/fill.js";
import { computeForm, formLineage } from "../../queries/compute.js";
import { formForYear } from "../../fill/engine/form-year.js";
import { loadForms } from "../../queries/forms.js";
import { LINES, MERGED, MERGED_FILES, mergedRegisterSheet, newWorkbook, writeWorkbook, type MergedTask } from "../../scripts/make-sample.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const sample = join(root, "sample");
const config = ConfigSchema.parse(JSON.parse(readFileSync(join(sample, MERGED_FILES.config), "utf8")));
const NOW = () => new Date("2026-06-30T03:00:00Z");
let dir: string;
let db: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "phuluc-merged-"));
  db = join(dir, "w.duckdb");
  const report = await runLoad({ inbox: join(sample, "tay-ninh", "inbox"), db, config, quiet: true, now: NOW });
  expect(report.problems.filter((p) => p.severity === "error")).toEqual([]);
  expect(report.outcome).toBe("loaded");
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("the merged Tây Ninh, plan year 2026", () => {
  it("PL01's 2024 and 2025 columns are Long An's plus the former Tây Ninh's, line by line", async () => {
    const w = await openCurrent(db);
    try {
      const pl01 = await computeForm(w, "pl01", 2026, w.generation);
      const cols = { c1: "dt24", c2: "th24", c3: "dt25", c4: "th6t25", c6: "uoc25" } as const;
      for (const l of LINES) {
        const row = pl01.rows.find((r) => r.rowKey === l.code)!;
        for (const [c, m] of Object.entries(cols)) {
          const sum = (MERGED.longAn[m].get(l.code) ?? 0) + (MERGED.tayNinh[m].get(l.code) ?? 0);
          expect(Number(row.values[c] ?? 0), `${l.code} ${c}`).toBe(sum);
        }
      }
      // the headline: TỔNG CHI of 2024 = 41.612 (Long An) + 27.900 (Tây Ninh)
      expect(pl01.rows.find((r) => r.rowKey === "01")!.values.c1).toBe(69512);
    } finally {
      w.close();
    }
  });

  it("a figure traces to the former province's file and cell", async () => {
    const w = await openCurrent(db);
    try {
      const { facts } = await formLineage(w, "pl01", 2026, "05", "c1");
      const places = facts.map((f) => `${f.fileId} ${f.sheet}!${f.cell} ${f.amount}`).sort();
      expect(places).toEqual([
        "72 Tây Ninh/P.KHTC/TH va DT chi KHCN 2024-2025 - Tay Ninh.xlsx TH va DT chi KHCN!C12 7800",
        "80 Long An/P.KHTC/TH va DT chi KHCN 2024-2025 - Long An.xlsx TH va DT chi KHCN!C12 10350",
      ]);
      const origins = await w.all<{ origin_unit: string; name: string }>(
        "select distinct f.origin_unit, u.name from fact_budget_line f join admin_unit u on u.unit_id = f.origin_unit order by 1",
      );
      expect(origins).toEqual([{ origin_unit: "72@2008", name: "Tây Ninh" }, { origin_unit: "80@2008", name: "Long An" }]);
    } finally {
      w.close();
    }
  });

  it("fills the 2026 template with every arithmetic rule holding; PL05 keeps cấp huyện for 2025 and drops it from 2027", async () => {
    const w = await openCurrent(db);
    try {
      const filled = await fillWorkbook({ db: w, year: 2026, template: readFileSync(join(sample, "tay-ninh", "template.xlsx")), now: NOW() });
      expect(filled.report.rulesBroken.arithmetic).toEqual([]);
      expect(filled.report.forms.every((f) => f.status === "found")).toBe(true);
      const pl05 = async (n: number) => (await computeForm(w, "pl05", n, w.generation)).rows.map((r) => r.rowKey);
      expect(await pl05(2026)).toContain("level:HUYEN");
      expect(await pl05(2027)).not.toContain("level:HUYEN");
      // last year's workbook filled for 2027: its cấp huyện row is named, not silently skipped
      const next = await fillWorkbook({ db: w, year: 2027, template: readFileSync(join(sample, "tay-ninh", "template.xlsx")), now: NOW() });
      const retired = next.report.forms.flatMap((f) => f.problems).filter((p) => p.code === "W_FORM_ROW_RETIRED");
      expect(retired.map((p) => [p.place.sheet, p.place.cell, p.place.row])).toEqual([["PL05", "A12", "level:HUYEN"]]);
      expect(next.report.rulesBroken.arithmetic).toEqual([]);
      const def = loadForms().find((f) => f.code === "pl05")!;
      expect(formForYear(def, 2026).rows!.map((r) => r.key)).toContain("level:HUYEN");
      const d27 = formForYear(def, 2027);
      expect(d27.rows!.map((r) => r.key)).not.toContain("level:HUYEN");
      expect(d27.rows!.find((r) => r.key === "level_total")!.sumOf).not.toContain("level:HUYEN");
    } finally {
      w.close();
    }
  });
});

const task = (code: string, start: string, end: string): MergedTask => ({
  code, title: `Nhiệm vụ ${code}`, lead: "UBND xã", pi: "Nguyễn Văn An", female: false, level: "Huyện", field: "KH nông nghiệp", start, end, tong: 100,
});

describe("levels and folders after the reorganisation", () => {
  it("refuses a new cấp huyện task of 2026 at its level cell; one of early 2025 keeps its level", async () => {
    const inbox = join(dir, "inbox-level");
    const wb = newWorkbook();
    mergedRegisterSheet(wb, [task("H.2025.01", "2025-03", "2025-12"), task("H.2026.01", "2026-02", "2026-12")]);
    await writeWorkbook(wb, join(inbox, "P.QLKH", "Danh muc 2026.xlsx"));
    const report = await runLoad({ inbox, db: join(dir, "level.duckdb"), config, quiet: true, now: NOW });
    expect(report.outcome).toBe("rejected");
    const errors = report.problems.filter((p) => p.severity === "error");
    expect(errors.map((p) => [p.code, p.place.file, p.place.sheet, p.place.cell])).toEqual([
      ["LEVEL_ENDED", "P.QLKH/Danh muc 2026.xlsx", "DM nhiem vu", "G8"],
    ]);
    expect(errors[0]!.vi).toContain("chỉ còn đến hết ngày 30/06/2025");
    expect(errors[0]!.en).toContain('the level "Huyện" ended on 2025-06-30');
  });

  it("refuses a former province's table also dropped at the top of the inbox (it would count twice), naming both places", async () => {
    const inbox = join(dir, "inbox-twice");
    cpSync(join(sample, "tay-ninh", "inbox"), inbox, { recursive: true });
    cpSync(join(sample, MERGED_FILES.longAn), join(inbox, "P.KHTC", "TH va DT chi KHCN - Long An (ban sao).xlsx"));
    const report = await runLoad({ inbox, db: join(dir, "twice.duckdb"), config, quiet: true, now: NOW });
    expect(report.outcome).toBe("rejected");
    const p = report.problems.filter((x) => x.code === "ORIGIN_COUNTED_TWICE");
    // the copy overlaps both former provinces' tables: one problem per pair of files
    expect(p.map((x) => [x.place.file, x.place.sheet, x.place.cell, x.place.other?.file])).toEqual([
      ["P.KHTC/TH va DT chi KHCN - Long An (ban sao).xlsx", "TH va DT chi KHCN", "C9", "72 Tây Ninh/P.KHTC/TH va DT chi KHCN 2024-2025 - Tay Ninh.xlsx"],
      ["P.KHTC/TH va DT chi KHCN - Long An (ban sao).xlsx", "TH va DT chi KHCN", "C9", "80 Long An/P.KHTC/TH va DT chi KHCN 2024-2025 - Long An.xlsx"],
    ]);
  });

  it("refuses a folder of a former province that did not merge into this one", async () => {
    const inbox = join(dir, "inbox-foreign");
    mkdirSync(inbox, { recursive: true });
    const wb = newWorkbook();
    mergedRegisterSheet(wb, [{ ...task("AG.T.2024.01", "2024-01", "2025-12"), level: "Tỉnh" }]);
    await writeWorkbook(wb, join(inbox, "89 An Giang", "P.QLKH", "Danh muc.xlsx"));
    const report = await runLoad({ inbox, db: join(dir, "foreign.duckdb"), config, quiet: true, now: NOW });
    expect(report.outcome).toBe("rejected");
    const p = report.problems.find((x) => x.code === "FOLDER_NOT_FORMER_UNIT")!;
    expect(p.place.file).toBe("89 An Giang/P.QLKH/Danh muc.xlsx");
    expect(p.en).toContain("former province An Giang (code 89");
  });
});
