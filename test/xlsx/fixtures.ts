// Fixtures for the xlsx read path, made at test time into a temp dir: workbooks written by exceljs,
// and hand-made packages (fflate's zipSync) for what exceljs cannot write.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import ExcelJS from "exceljs";
import { strToU8, zipSync, type Zippable } from "fflate";
import type { ReaderLimits, XCell, XlsxReader, XRow, XSheetInfo } from "../../xlsx/types.js";

export const LIMITS: ReaderLimits = { maxFileBytes: 50 * 1024 * 1024, maxInflatedBytes: 64 * 1024 * 1024, maxColumns: 500, maxRows: 200_000 };

export function tempDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), "phuluc-xlsx-"));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

const NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"';
const REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

export const STYLES_XML = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet ${NS}>
<numFmts count="2"><numFmt numFmtId="164" formatCode="mm/yyyy"/><numFmt numFmtId="165" formatCode="#,##0.000"/></numFmts>
<fonts count="2"><font><sz val="11"/><name val="Times New Roman"/></font><font><sz val="12"/><name val=".VnTime"/></font></fonts>
<fills count="1"><fill><patternFill patternType="none"/></fill></fills>
<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>
<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>
<cellXfs count="5"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="14" fontId="1" fillId="0" borderId="0" xfId="0" applyNumberFormat="1" applyFont="1"/><xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="17" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>
<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>
</styleSheet>`;

export interface HandMade {
  /** sheet name → the sheet XML's body inside <worksheet> (sheetData and after) */
  sheets: { name: string; body: string; state?: "hidden" | "veryHidden" }[];
  sharedStrings?: string[];
  /** raw <si> contents, when rich text or entities must be written by hand */
  rawSharedStrings?: string[];
  date1904?: boolean;
  /** write rels targets as "/xl/worksheets/…" instead of "worksheets/…" */
  absoluteTargets?: boolean;
  /** a full, hand-written sheet XML for sheet 1 (overrides body) */
  rawSheet1?: string;
  level?: 0 | 1 | 6 | 9;
}

const esc = (s: string): string => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/** Builds a minimal but valid xlsx package from hand-written sheet XML. */
export function handMadeXlsx(path: string, spec: HandMade): string {
  const files: Zippable = {};
  const level = spec.level ?? 6;
  const sheetOverrides = spec.sheets
    .map((_, i) => `<Override PartName="/xl/worksheets/sheet${i + 1}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`)
    .join("");
  files["[Content_Types].xml"] = strToU8(
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>${sheetOverrides}<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>`,
  );
  files["_rels/.rels"] = strToU8(
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
  );
  const prefix = spec.absoluteTargets ? "/xl/" : "";
  const sheetRels = spec.sheets.map((_, i) => `<Relationship Id="rId${i + 10}" Type="${REL}/worksheet" Target="${prefix}worksheets/sheet${i + 1}.xml"/>`).join("");
  files["xl/_rels/workbook.xml.rels"] = strToU8(
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${sheetRels}<Relationship Id="rId2" Type="${REL}/styles" Target="${prefix}styles.xml"/><Relationship Id="rId3" Type="${REL}/sharedStrings" Target="${prefix}sharedStrings.xml"/></Relationships>`,
  );
  const sheetList = spec.sheets
    .map((s, i) => `<sheet name="${esc(s.name)}" sheetId="${i + 1}"${s.state ? ` state="${s.state}"` : ""} r:id="rId${i + 10}"/>`)
    .join("");
  files["xl/workbook.xml"] = strToU8(
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook ${NS}><workbookPr${spec.date1904 ? ' date1904="1"' : ""}/><bookViews><workbookView/></bookViews><sheets>${sheetList}</sheets></workbook>`,
  );
  files["xl/styles.xml"] = strToU8(STYLES_XML);
  const sis = spec.rawSharedStrings ?? (spec.sharedStrings ?? []).map((s) => `<t xml:space="preserve">${esc(s)}</t>`);
  files["xl/sharedStrings.xml"] = strToU8(
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><sst ${NS} count="${sis.length}" uniqueCount="${sis.length}">${sis.map((s) => `<si>${s}</si>`).join("")}</sst>`,
  );
  spec.sheets.forEach((s, i) => {
    const xml = i === 0 && spec.rawSheet1 !== undefined ? spec.rawSheet1 : `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet ${NS}>${s.body}</worksheet>`;
    files[`xl/worksheets/sheet${i + 1}.xml`] = strToU8(xml);
  });
  writeFileSync(path, zipSync(files, { level }));
  return path;
}

/** The workbook most tests start from: what real office files hold, written by exceljs. */
export async function exceljsBasic(path: string): Promise<string> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet("Nhiệm vụ");
  ws.getCell("A1").value = "SỞ KHOA HỌC VÀ CÔNG NGHỆ";
  ws.getCell("A1").font = { name: ".VnTime", size: 12 };
  ws.mergeCells("A1:E1");
  ws.getCell("A2").value = "Đơn vị tính: triệu đồng";
  ws.addRow([]);
  ws.getRow(4).values = ["STT", "Mã nhiệm vụ", "Tên nhiệm vụ", "Dự toán 2024", "Bắt đầu", "Đã nghiệm thu", "Ghi chú"];
  ws.getRow(5).values = [1, "NV-01", "Nghiên cứu  giống lúa\nchịu mặn", 1234.5, new Date(Date.UTC(2021, 9, 1)), true, { richText: [{ text: "đậm ", font: { bold: true } }, { text: "thường" }] }];
  ws.getRow(6).values = [2, "NV-02", "A & B < C > D \"q\" 'a'", 0.000001, new Date(Date.UTC(2022, 2, 1)), false, { error: "#N/A" }];
  ws.getRow(7).values = ["", "Tổng cộng", null, { formula: "SUM(D5:D6)", result: 1234.500001 }, null, { formula: "AND(F5,F6)", result: false }, { formula: "D5/0", result: { error: "#DIV/0!" } }];
  ws.getCell("H7").value = { formula: 'CONCATENATE("a","b")', result: "ab" };
  ws.getCell("I7").value = { formula: "D5*2" }; // no cached value
  ws.getColumn(5).numFmt = "mm/yyyy";
  ws.getCell("D5").numFmt = '#,##0.000\\ "tr"';
  ws.getCell("D6").numFmt = "0.000000";
  ws.getCell("J5").style = { numFmt: "0.00" }; // styled, empty
  ws.getRow(6).hidden = true;
  ws.getCell("A9").value = { formula: "ROW()", result: 9, shareType: "shared", ref: "A9:A11" } as ExcelJS.CellValue;
  ws.getCell("A10").value = { sharedFormula: "A9", result: 10 } as ExcelJS.CellValue;
  ws.getCell("A11").value = { sharedFormula: "A9", result: 11 } as ExcelJS.CellValue;
  ws.mergeCells("B9:C10");
  ws.getCell("B9").value = "gộp";
  ws.getCell("D12").value = new Date(Date.UTC(2023, 11, 31, 13, 30, 0));
  ws.getCell("D12").numFmt = "dd/mm/yyyy hh:mm";
  const hidden = wb.addWorksheet("Ẩn", { state: "hidden" });
  hidden.getCell("A1").value = "bí mật";
  const very = wb.addWorksheet("Rất ẩn", { state: "veryHidden" });
  very.getCell("C3").value = -42.25;
  const third = wb.addWorksheet("Trống");
  void third;
  await wb.xlsx.writeFile(path);
  return path;
}

export async function exceljs1904(path: string): Promise<string> {
  const wb = new ExcelJS.Workbook();
  wb.properties.date1904 = true;
  const ws = wb.addWorksheet("1904");
  ws.getCell("A1").value = new Date(Date.UTC(2023, 9, 1));
  ws.getCell("A1").numFmt = "mm/yyyy";
  ws.getCell("A2").value = 100;
  await wb.xlsx.writeFile(path);
  return path;
}

export interface ReadResult {
  date1904: boolean;
  sheets: (Omit<XSheetInfo, "merges"> & { merges: string[]; rows: XRow[] })[];
}

/** Reads everything a reader gives: every sheet's rows, then the merges known after them. */
export async function readAll(reader: XlsxReader): Promise<ReadResult> {
  try {
    const info = await reader.info();
    const sheets: ReadResult["sheets"] = [];
    for (const s of info.sheets) {
      const rows: XRow[] = [];
      for await (const r of reader.rows(s.index)) rows.push(r);
      sheets.push({ name: s.name, index: s.index, state: s.state, merges: [...s.merges].sort(), rows });
    }
    return { date1904: info.date1904, sheets };
  } finally {
    await reader.close();
  }
}

export type { XCell };
