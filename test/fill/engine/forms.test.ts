// Form definitions are data: the six load and validate, a broken one is a located problem, and a
// new form needs only its definition (no TypeScript) to be laid out, located and filled.
import { describe, expect, it } from "vitest";
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadForms } from "../../../queries/forms.js";
import { parseFormDef } from "../../../queries/form-schema.js";
import { ProblemError } from "../../../core/problem.js";
import { makeTemplate } from "../../../fill/template/make-template.js";
import { planWorkbook } from "../../../fill/engine/index.js";
import { loadWorkbook, snapshots } from "./xlsx-grid.js";

describe("form definitions", () => {
  it("the six appendices load, in order, with their columns", () => {
    const forms = loadForms();
    expect(forms.map((f) => [f.code, f.kind, f.columns.length, f.rows?.length ?? null])).toEqual([
      ["pl01", "fixed", 10, 18], ["pl02", "fixed", 8, 18], ["pl03", "list", 19, null],
      ["pl04", "list", 10, null], ["pl05", "fixed", 7, 15], ["pl06", "list", 9, null],
    ]);
    for (const f of forms) expect(f.columns.find((c) => c.id === "note")?.write ?? false).toBe(false);
  });

  it("a broken definition stops the load with a problem naming the file and the field", () => {
    const dir = mkdtempSync(join(tmpdir(), "forms-"));
    try {
      mkdirSync(join(dir, "pl09"));
      writeFileSync(join(dir, "pl09", "form.json"), JSON.stringify({ code: "pl09", number: "09", kind: "fixed", title: "x", recognise: { titlePatterns: ["("] }, columns: [{ id: "c1", header: "A", kind: "money", computed: { sum: ["c9"] } }], layout: { sheetName: "PL09" } }));
      let err: unknown;
      try {
        loadForms(dir);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(ProblemError);
      const p = (err as ProblemError).problems[0];
      expect([p.code, p.place.file]).toEqual(["E_FORM_DEF", "queries/forms/pl09/form.json"]);
      expect(p.en).toMatch(/computed from unknown c9/);
      expect(p.en).toMatch(/not a regular expression/);
      expect(p.en).toMatch(/a fixed form needs rows/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("next year's new form is a definition only: laid out, located and filled", async () => {
    const pl07 = parseFormDef({
      code: "pl07", number: "07", kind: "fixed", title: "Chi đào tạo nhân lực KH&CN năm {N}",
      unitLine: "Đơn vị tính: triệu đồng",
      recognise: { titlePatterns: ["^(phu luc|bieu)\\s*(so)?\\s*0?7\\b"], titleLine: ["chi dao tao nhan luc"] },
      columns: [
        { id: "label", header: "Nội dung", kind: "text", write: false },
        { id: "c1", header: "Dự toán năm {N}", kind: "money" },
        { id: "c2", header: "Ước thực hiện năm {N-1}", kind: "money" },
      ],
      rows: [
        { key: "a", label: "Đào tạo trong nước", numbering: "1." },
        { key: "b", label: "Đào tạo ở nước ngoài", numbering: "2." },
      ],
      layout: { sheetName: "PL07" },
    });
    const snaps = snapshots(await loadWorkbook(await makeTemplate([pl07], 2025)));
    const wp = planWorkbook(snaps, [pl07], [{ form: "pl07", year: 2025, generation: 1, rows: [
      { rowKey: "a", kind: "data", sort: 1, parentKey: null, values: { c1: 10, c2: 9 } },
      { rowKey: "b", kind: "data", sort: 2, parentKey: null, values: { c1: 5, c2: null } },
    ] }], 2025);
    expect(wp.problems).toEqual([]);
    expect(wp.forms[0].blocks).toEqual([{ row: 6, col: 2, cells: [[{ n: 10 }, { n: 9 }], [{ n: 5 }, { blank: true }]] }]);
  });
});
