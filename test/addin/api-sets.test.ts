// No Office.js member above the manifest's requirement set outside the isSetSupported check:
// scripts/office-api-audit.ts walks the back end's and the pane's sources with the TypeScript
// compiler API, resolves every member they use to its declaration in @types/office-js and reads
// its `[Api set: ExcelApi x.y]`. The table is printed (and is docs/office-api-sets.md); a member
// above ExcelApi 1.5 must sit behind `supports("<feature>")` of a feature of a set at least its own.
// A deliberately unguarded copy (a temporary project outside the tree) must be caught.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { auditOfficeApi, auditTable } from "../../scripts/office-api-audit.js";

const ROOT = resolve(import.meta.dirname, "../..");

describe("Office.js requirement sets (TypeScript compiler API over addin/office and addin/pane)", { timeout: 120_000 }, () => {
  it("uses nothing above ExcelApi 1.5 outside the isSetSupported check", () => {
    const { uses, files } = auditOfficeApi();
    console.log(`test/addin/api-sets: ${uses.length} Office.js members in ${files.length} files\n${auditTable(uses)}`);
    expect(files).toEqual(expect.arrayContaining(["addin/office/excel.ts", "addin/office/requirements.ts", "addin/pane/pane.ts"]));
    // the audit sees what it must (not a vacuous pass)
    const by = new Map(uses.map((u) => [u.member, u]));
    expect(by.get("Excel.Workbook.customXmlParts")?.set).toBe("ExcelApi 1.5");
    expect(by.get("Excel.Range.getMergedAreasOrNullObject")).toMatchObject({ set: "ExcelApi 1.13", guardedBy: ["mergedAreas"], violation: false });
    expect(by.get("Excel.Range.copyFrom")).toMatchObject({ set: "ExcelApi 1.9", guardedBy: ["copyFrom"] });
    expect(by.get("Excel.Application.suspendApiCalculationUntilNextSync")).toMatchObject({ set: "ExcelApi 1.6", guardedBy: ["suspendCalculation"] });
    expect(by.get("Excel.RunOptions.mergeUndoGroup")).toMatchObject({ set: "ExcelApi 1.20", guardedBy: ["mergeUndoGroup"] });
    expect(uses.filter((u) => u.violation).map((u) => `${u.member} (${u.set}) at ${u.places.join(", ")}`)).toEqual([]);
    // the page administrators read is the table of today's code (it went stale once, when the
    // pane began to write the chart sheet): `npx tsx scripts/office-api-audit.ts --write`
    const doc = readFileSync(join(ROOT, "docs", "office-api-sets.md"), "utf8");
    expect(doc.includes(auditTable(uses)), "docs/office-api-sets.md is not the audit's current table").toBe(true);
  });

  it("catches a member above the set used without the check, or behind a check of a lower set", () => {
    const dir = mkdtempSync(join(tmpdir(), "phuluc-api-sets-"));
    try {
      writeFileSync(
        join(dir, "tsconfig.json"),
        JSON.stringify({
          compilerOptions: { target: "ES2022", module: "ESNext", moduleResolution: "Bundler", strict: true, noEmit: true, types: ["office-js"], typeRoots: [join(ROOT, "node_modules", "@types")] },
          include: ["src"],
        }),
      );
      const src = join(dir, "src");
      mkdirSync(src);
      writeFileSync(
        join(src, "bad.ts"),
        `declare const supports: (f: string) => boolean;
export async function go(ws: Excel.Worksheet, ctx: Excel.RequestContext) {
  ws.getRange("A1").copyFrom("B1", Excel.RangeCopyType.formats);
  if (supports("suspendCalculation")) ws.getRange("A1:B2").getMergedAreasOrNullObject();
  if (supports("mergedAreas")) ws.getRange("A1:B2").getMergedAreasOrNullObject();
  ws.getRange("A1").values = [[1]];
  await ctx.sync();
}
`,
      );
      const { uses } = auditOfficeApi({ root: dir, sources: ["src"] });
      const bad = new Map(uses.filter((u) => u.violation).map((u) => [u.member, u.places]));
      expect([...bad.keys()].sort()).toEqual(["Excel.Range.copyFrom", "Excel.Range.getMergedAreasOrNullObject", "Excel.RangeCopyType", "Excel.RangeCopyType.formats"]);
      // the values of ExcelApi 1.1 need no check
      expect(uses.find((u) => u.member === "Excel.Range.values")?.violation).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
