// The Office.js back end with the real binding engine: the bundled template (sample/template.xlsx,
// read with exceljs into the recording mock Excel), the engine's locateForms on the first rows and
// planWorkbook on the forms' sheets, then the writes — every form found, ≤ 3 syncs each, text
// cells "@" before their values, the lineage part readable by the headless parser.
import { describe, expect, it } from "vitest";
import { createMockExcel } from "../doubles/mock-excel.js";
import { templateSheets } from "./template.js";
import { fillWithEngine } from "./office-fill.js";
import { LINEAGE_NS, parseLineageXml } from "../../fill/lineage-xml.js";
import { loadForms } from "../../queries/forms.js";
import { cannedData } from "./stub-api.js";

describe("Office.js back end + the binding engine on the bundled template", () => {
  it("locates and fills every form within the sync budget", async () => {
    const forms = loadForms();
    const year = 2024;
    const datas = forms.map((f) => cannedData(f, year, 9));
    const mock = createMockExcel(await templateSheets());
    const result = await fillWithEngine(mock, { forms, datas, year });
    expect(result.plan.forms.map((f) => f.form).sort()).toEqual(forms.map((f) => f.code).sort());
    for (const f of result.plan.forms) expect(result.log.perForm[f.form], f.form).toBeLessThanOrEqual(3);
    expect(result.log.workbook).toBe(4);
    expect(mock.textWithoutTextFormat).toEqual([]);

    const pl02 = mock.sheets.find((s) => s.name === "PL02")!;
    const cells = pl02.values.flat();
    expect(cells).toContain(41612);

    const part = mock.xmlParts.find((p) => p.ns === LINEAGE_NS)!;
    const lineage = parseLineageXml(part.xml);
    expect(lineage.generation).toBe(9);
    const ids = lineage.sheets.flatMap((s) => s.cells.map((c) => c.lineageId));
    expect(ids.length).toBeGreaterThan(50);
    // the id format the API resolves: <form>:<year>:<generation>:<rowKey>:<columnId>
    expect(ids.every((id) => /^pl0\d:2024:9:.+:c\d+$/.test(id))).toBe(true);
  });
});
