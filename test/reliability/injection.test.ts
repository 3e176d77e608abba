// Formula injection: an inbox like the sample whose task titles, lead organisations, decisions and
// indicator labels begin with "=", "+", "-", "@", a tab or a carriage return is loaded, then
//   (a) the headless fill writes those texts as text: reopened with exceljs they are strings equal
//       to the original, and the sheet XML has no <f> in their cells;
//   (b) the Office.js back end (office-addin-mock) sets the number format "@" on each such cell
//       before its value, and the cell ends with the original text;
//   (c) `query --format csv` escapes the dangerous ones (a leading apostrophe) and leaves the
//       ordinary "- Nhiệm vụ cấp tỉnh" as it is;
//   (d) `query --format xlsx` writes them as text cells.
import { readFileSync } from "node:fs";
import { readInboxFile } from "../../etl/read.js";
import { join } from "node:path";
import ExcelJS from "exceljs";
import { strFromU8, unzipSync } from "fflate";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { locateForms, planWorkbook } from "../../fill/engine/index.js";
import type { GridSnapshot, PlanCell } from "../../fill/engine/types.js";
import { fillWorkbook as officeFill } from "../../addin/office/excel.js";
import { createMockExcel, type MockEvent } from "../doubles/mock-excel.js";
import { fillWorkbook } from "../../fill/fill.js";
import { snapshotWorkbook } from "../../fill/xlsx/snapshot.js";
import { queryCommand } from "../../api/query-command.js";
import { computeAll } from "../../queries/compute.js";
import { loadForms } from "../../queries/forms.js";
import { openCurrent } from "../../warehouse/generations.js";
import { CONFIG, copySampleInbox, editXlsx, freshWarehouse, recordFigures, removeDir, ROOT, xmlText, type WarehouseDir } from "./helpers.js";
import { parseCsv } from "../csv.js";

const YEAR = 2024;
const REGISTER = join("P.QLKH", "Danh muc nhiem vu KHCN (ban cuoi).xlsx");
const INDICATORS = join("TDC", "Chi tieu TDC 6T2023.xlsx");

/** original text in the sample → what the injected inbox has instead (tasks shown in PL03) */
const REGISTER_EDITS: Record<string, string> = {
  // task titles
  "Ứng dụng tấm quang điện mặt trời và đèn năng lượng mặt trời chiếu sáng tuyến đường giao thông nông thôn": '=HYPERLINK("http://x","y")',
  "Sử dụng vật liệu bê tông tính năng siêu cao cốt thép phân tán (UHPC) để xây dựng cầu giao thông nông thôn": "+1+1",
  "Xây dựng quy trình nhân giống chanh không hạt sạch bệnh tại Long An": "- Nhiệm vụ cấp tỉnh",
  "Ứng dụng trí tuệ nhân tạo giám sát chất lượng nước nuôi trồng thủy sản": "-2+3",
  "Nghiên cứu bảo tồn và phát huy giá trị nghề nấu rượu đế Gò Đen": "\r=5+6 Gò Đen",
  // lead organisations
  "Công ty TNHH Nuôi trồng thủy sản Cần Giuộc": "@SUM(A1)",
  "Trường Đại học Kinh tế TP.HCM": "=cmd|' /C calc'!A0",
  // decisions
  "2950/QĐ-UBND ngày 30/3/2022": "\t=3+4",
  "6012/QĐ-UBND ngày 28/6/2022": "=1+2",
};
const INDICATOR_EDITS: Record<string, string> = {
  "Số cơ sở vi phạm": "=SUM(1,2)",
  "Số quyết định xử phạt vi phạm hành chính (Chi cục TĐC)": "-1+SUM(A1:A9)",
};
const ORDINARY = "- Nhiệm vụ cấp tỉnh";
/**
 * What the warehouse holds: the ETL trims the white space around every text (inputs.md), so a
 * leading tab or carriage return does not survive the load — what follows it ("=3+4") must still
 * be written as text. The tab and carriage return themselves are sent to the output formats
 * straight from SQL in (c) and (d).
 */
const PAYLOADS = [...Object.values(REGISTER_EDITS), ...Object.values(INDICATOR_EDITS)].map((p) => p.trim());
const DANGEROUS = PAYLOADS.filter((p) => p !== ORDINARY);
const RAW_CONTROL = ["\t=3+4", "\r=5+6", "\t@SUM(A1)"];

/** Replace whole shared strings (<si><t>original</t></si>) by the payloads, in place. */
function replaceSharedStrings(path: string, edits: Record<string, string>): number {
  let n = 0;
  editXlsx(path, (name, xml) => {
    if (name !== "xl/sharedStrings.xml") return xml;
    let out = xml;
    for (const [from, to] of Object.entries(edits)) {
      const re = new RegExp(`<t(?: [^>]*)?>${xmlText(from).replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}</t>`, "g");
      out = out.replace(re, () => {
        n++;
        return `<t xml:space="preserve">${xmlText(to)}</t>`;
      });
    }
    return out;
  });
  return n;
}

const figures = {
  payloads: PAYLOADS.length,
  loaded: false,
  headless: { cellsChecked: 0, formulasFound: 0 },
  office: { cellsChecked: 0, textFormatBeforeValue: 0, textWithoutTextFormat: 0 },
  csv: { fieldsChecked: 0, escaped: 0, ordinaryUnchanged: 0 },
  xlsx: { cellsChecked: 0, formulasFound: 0 },
  // both found by this suite (Excel's _x000D_ escape, read and written) are fixed; none open
  knownBugs: [] as string[],
};

/** Every cell of every sheet whose text is one of the payloads: sheet, ref, type, value, formula. */
async function payloadCells(bytes: Uint8Array): Promise<{ sheet: string; ref: string; type: number; value: unknown; formula?: string }[]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(Buffer.from(bytes) as unknown as ArrayBuffer);
  const out: { sheet: string; ref: string; type: number; value: unknown; formula?: string }[] = [];
  const wanted = new Set([...PAYLOADS, ...RAW_CONTROL, "\n=5+6"]);
  for (const ws of wb.worksheets) {
    ws.eachRow({ includeEmpty: false }, (row) =>
      row.eachCell({ includeEmpty: false }, (cell) => {
        const v = cell.value as unknown;
        const text =
          typeof v === "string"
            ? v
            : v && typeof v === "object" && "richText" in v
              ? (v as { richText: { text: string }[] }).richText.map((r) => r.text).join("")
              : null;
        const f = cell.formula;
        if ((text !== null && wanted.has(text)) || (f && [...wanted].some((p) => p.replace(/^[\t\r]/, "").replace(/^=/, "") === f))) {
          out.push({ sheet: ws.name, ref: cell.address, type: cell.type, value: text ?? v, formula: f || undefined });
        }
      }),
    );
  }
  return out;
}

/** The raw <c> element of a cell in a sheet part, found by its r attribute. */
function rawCells(bytes: Uint8Array): Map<string, string> {
  const parts = unzipSync(bytes);
  const wbXml = strFromU8(parts["xl/workbook.xml"]);
  const rels = strFromU8(parts["xl/_rels/workbook.xml.rels"]);
  const out = new Map<string, string>();
  for (const m of wbXml.matchAll(/<sheet\b[^>]*?name="([^"]*)"[^>]*?r:id="([^"]*)"/g)) {
    const name = m[1].replace(/&amp;/g, "&").replace(/&quot;/g, '"').replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&apos;/g, "'");
    const target = new RegExp(`<Relationship\\b[^>]*Id="${m[2]}"[^>]*Target="([^"]*)"`).exec(rels) ?? new RegExp(`<Relationship\\b[^>]*Target="([^"]*)"[^>]*Id="${m[2]}"`).exec(rels);
    if (!target) continue;
    const path = target[1].startsWith("/") ? target[1].slice(1) : `xl/${target[1]}`;
    const xml = parts[path] ? strFromU8(parts[path]) : "";
    for (const c of xml.matchAll(/<c\b[^>]*?\br="([A-Z]+\d+)"[^>]*?(?:\/>|>[\s\S]*?<\/c>)/g)) out.set(`${name}!${c[1]}`, c[0]);
  }
  return out;
}


describe("formula injection from the offices' text", () => {
  let w: WarehouseDir;
  let inboxRoot = "";
  let loadError = "";

  beforeAll(async () => {
    const inbox = copySampleInbox("inj");
    inboxRoot = join(inbox, "..");
    const n1 = replaceSharedStrings(join(inbox, REGISTER), REGISTER_EDITS);
    const n2 = replaceSharedStrings(join(inbox, INDICATORS), INDICATOR_EDITS);
    if (n1 < Object.keys(REGISTER_EDITS).length || n2 < Object.keys(INDICATOR_EDITS).length) {
      throw new Error(`the sample's texts to replace were not all found (${n1}, ${n2})`);
    }
    const fw = await freshWarehouse("inj", inbox);
    w = fw;
    if (fw.report!.outcome !== "loaded") loadError = JSON.stringify(fw.report!.problems.filter((p) => p.severity === "error"));
    figures.loaded = fw.report!.outcome === "loaded";
  }, 120_000);

  afterAll(() => {
    if (w) removeDir(w.dir);
    if (inboxRoot) removeDir(inboxRoot);
    recordFigures("injection", figures);
  });

  const g = globalThis as { Excel?: unknown };
  afterEach(() => {
    delete g.Excel;
  });

  it("the injected inbox loads, each text kept as it was typed", async () => {
    expect(loadError).toBe("");
    const db = await openCurrent(w.db);
    try {
      const texts = new Set(
        (await db.all<{ t: string | null }>(
          `select title as t from task union all select lead_org from task union all select decision from task
           union all select label from indicator`,
        )).map((r) => r.t),
      );
      for (const p of PAYLOADS) expect(texts.has(p), JSON.stringify(p)).toBe(true);
    } finally {
      db.close();
    }
  });

  it("(a) headless fill: text cells equal to the original, no <f> in their XML", async () => {
    const template = new Uint8Array(readFileSync(join(ROOT, "sample", "template.xlsx")));
    const db = await openCurrent(w.db);
    let bytes: Uint8Array;
    try {
      bytes = (await fillWorkbook({ db, year: YEAR, template, now: new Date("2026-06-01T08:00:00Z") })).bytes;
    } finally {
      db.close();
    }
    const cells = await payloadCells(bytes);
    const found = new Set(cells.map((c) => c.value));
    // every injected text shows up somewhere in the filled appendices
    for (const p of PAYLOADS) expect(found.has(p), `${JSON.stringify(p)} is not in the filled workbook`).toBe(true);
    const raw = rawCells(bytes);
    for (const c of cells) {
      figures.headless.cellsChecked++;
      if (c.formula) figures.headless.formulasFound++;
      expect(c.formula, `${c.sheet}!${c.ref}`).toBeUndefined();
      expect(c.type, `${c.sheet}!${c.ref}`).toBe(ExcelJS.ValueType.String);
      const xml = raw.get(`${c.sheet}!${c.ref}`);
      expect(xml, `${c.sheet}!${c.ref} in the sheet XML`).toBeDefined();
      expect(xml!).not.toMatch(/<f[\s>/]/);
      expect(xml!).toMatch(/\bt="(s|inlineStr)"/);
    }
  });

  it("(b) Office.js back end: number format \"@\" set on each such cell before its value", async () => {
    const template = new Uint8Array(readFileSync(join(ROOT, "sample", "template.xlsx")));
    const snaps = await snapshotWorkbook(template);
    const mock = createMockExcel(
      snaps.map((s) => ({
        name: s.sheetName,
        rows: s.values.map((row, r) => row.map((v, c) => s.formulas[r]?.[c] ?? (v === null ? null : v))),
        numberFormats: s.numberFormats,
      })),
    );
    g.Excel = mock.Excel;
    const forms = loadForms();
    const db = await openCurrent(w.db);
    let planned: ReturnType<typeof planWorkbook> | null = null;
    try {
      const { forms: datas } = await computeAll(db, YEAR, db.generation);
      await officeFill({
        year: YEAR,
        generation: db.generation,
        locate: (heads: GridSnapshot[]) =>
          locateForms(heads, forms, YEAR)
            .filter((l) => l.status === "found" && l.sheetName !== null)
            .map((l) => ({ form: l.form, sheetName: l.sheetName! })),
        plan: (sheets: GridSnapshot[]) => (planned = planWorkbook(sheets, forms, datas, YEAR)),
        supports: () => true,
        now: () => new Date("2026-06-01T08:00:00Z"),
      });
    } finally {
      db.close();
    }
    expect(planned).not.toBeNull();
    const plan = planned!;
    // the text cells the plan writes, with the payloads among them
    const textCells = new Map<string, string>();
    const colName = (n: number) => {
      let s = "";
      for (let c = n; c > 0; c = Math.floor((c - 1) / 26)) s = String.fromCharCode(65 + ((c - 1) % 26)) + s;
      return s;
    };
    for (const fp of plan.forms) {
      for (const b of fp.blocks) {
        b.cells.forEach((line: PlanCell[], r: number) =>
          line.forEach((cell, k) => {
            if (cell && "s" in cell && PAYLOADS.includes(cell.s)) textCells.set(`${fp.sheetName}!${colName(b.col + k)}${b.row + r}`, cell.s);
          }),
        );
      }
    }
    for (const p of PAYLOADS) expect([...textCells.values()], JSON.stringify(p)).toContain(p);

    const sets = mock.events.filter((e): e is Extract<MockEvent, { kind: "set" }> => e.kind === "set");
    const covered = (e: Extract<MockEvent, { kind: "set" }>): string[] => {
      const m = /^([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?$/.exec(e.address);
      if (!m) return [];
      const col = (s: string) => [...s].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0);
      const [c1, r1] = [col(m[1]), Number(m[2])];
      const [c2, r2] = m[3] ? [col(m[3]), Number(m[4])] : [c1, r1];
      const out: string[] = [];
      for (let r = r1; r <= r2; r++) for (let c = c1; c <= c2; c++) out.push(`${e.sheet}!${colName(c)}${r}`);
      return out;
    };
    const firstFormat = new Map<string, number>();
    const firstValue = new Map<string, number>();
    sets.forEach((e, i) => {
      const grid = e.value as unknown[][];
      for (const ref of covered(e)) {
        if (e.prop === "numberFormat" && !firstFormat.has(ref)) {
          const [, cellRef] = ref.split("!");
          void cellRef;
          firstFormat.set(ref, i);
        }
        if (e.prop === "values" && !firstValue.has(ref)) firstValue.set(ref, i);
      }
      void grid;
    });
    for (const [ref, text] of textCells) {
      figures.office.cellsChecked++;
      expect(firstFormat.get(ref), `${ref}: no "@" set`).toBeDefined();
      expect(firstValue.get(ref), `${ref}: no value set`).toBeDefined();
      expect(firstFormat.get(ref)!, `${ref}: "@" after the value`).toBeLessThan(firstValue.get(ref)!);
      figures.office.textFormatBeforeValue++;
      const [sheet, a1] = ref.split("!");
      const s = mock.sheets.find((x) => x.name === sheet)!;
      const m = /^([A-Z]+)(\d+)$/.exec(a1)!;
      const c = [...m[1]].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0);
      const r = Number(m[2]);
      expect(s.values[r - 1][c - 1], ref).toBe(text);
      expect(s.formats[r - 1][c - 1], ref).toBe("@");
    }
    figures.office.textWithoutTextFormat = mock.textWithoutTextFormat.length;
    expect(mock.textWithoutTextFormat).toEqual([]);
  });

  /** The query command writing a file (in-process; stderr captured). */
  async function query(sql: string, format: "csv" | "xlsx"): Promise<{ code: number; file: string; err: string }> {
    const file = join(w.dir, `q-${format}-${Math.random().toString(36).slice(2)}.${format}`);
    const lines: string[] = [];
    const spy = vi.spyOn(console, "error").mockImplementation((...a: unknown[]) => {
      lines.push(a.map(String).join(" "));
    });
    try {
      const code = await queryCommand({ db: w.db, execute: sql, format, out: file });
      return { code, file, err: lines.join("\n") };
    } finally {
      spy.mockRestore();
    }
  }

  const TEXTS_SQL = `select title as t from task
    union all select lead_org from task union all select decision from task where decision is not null
    union all select label from indicator
    union all select chr(9) || '=3+4' union all select chr(13) || '=5+6' union all select chr(9) || '@SUM(A1)'`;

  it("(c) query --format csv: dangerous texts escaped, \"- Nhiệm vụ cấp tỉnh\" unchanged", async () => {
    const q = await query(`select t from (${TEXTS_SQL}) order by t`, "csv");
    expect(q.code, q.err).toBe(0);
    const rows = parseCsv(readFileSync(q.file, "utf8"));
    expect(rows[0]).toEqual(["t"]);
    const fields = rows.slice(1).map((r) => r[0]);
    for (const p of [...DANGEROUS, ...RAW_CONTROL]) {
      figures.csv.fieldsChecked++;
      expect(fields, `${JSON.stringify(p)} unescaped in the CSV`).not.toContain(p);
      expect(fields, `${JSON.stringify(p)} not escaped as '…`).toContain(`'${p}`);
      figures.csv.escaped++;
    }
    figures.csv.fieldsChecked++;
    expect(fields).toContain(ORDINARY);
    expect(fields).not.toContain(`'${ORDINARY}`);
    figures.csv.ordinaryUnchanged++;
    // and nothing else in the CSV starts like a formula
    for (const f of fields) expect(/^[=+@\t\r]/.test(f) || /^-\d/.test(f), JSON.stringify(f)).toBe(false);
  });

  it("(d) query --format xlsx: text cells, equal to the original, no <f>", async () => {
    const q = await query(`select t from (${TEXTS_SQL}) order by t`, "xlsx");
    expect(q.code, q.err).toBe(0);
    const bytes = new Uint8Array(readFileSync(q.file));
    const cells = await payloadCells(bytes);
    const raw = rawCells(bytes);
    // A carriage return written literally in XML reads back as a line feed (XML end-of-line
    // handling): the text stays text; its fidelity is the separate known-bug case below.
    const values = cells.map((c) => String(c.value).replace(/^\n/, "\r"));
    for (const p of [...PAYLOADS, ...RAW_CONTROL]) expect(values, JSON.stringify(p)).toContain(p);
    for (const c of cells) {
      figures.xlsx.cellsChecked++;
      if (c.formula) figures.xlsx.formulasFound++;
      expect(c.formula, `${c.sheet}!${c.ref}`).toBeUndefined();
      expect(c.type, `${c.sheet}!${c.ref}`).toBe(ExcelJS.ValueType.String);
      const xml = raw.get(`${c.sheet}!${c.ref}`);
      expect(xml, `${c.sheet}!${c.ref}`).toBeDefined();
      expect(xml!).not.toMatch(/<f[\s>/]/);
    }
  });

  // Excel writes a carriage return inside a text as the escape _x000D_ (ECMA-376 ST_Xstring); both
  // the fill's XML layer and the ETL's reader decode it.
  it("the ETL decodes Excel's _x000D_ escape", async () => {
    const inbox = copySampleInbox("inj-x000d");
    try {
      const path = join(inbox, REGISTER);
      editXlsx(path, (name, xml) =>
        name === "xl/sharedStrings.xml"
          ? xml.replace("<t>Nghiên cứu bảo tồn và phát huy giá trị nghề nấu rượu đế Gò Đen</t>", '<t xml:space="preserve">_x000D_=5+6 Gò Đen</t>')
          : xml,
      );
      const parsed = await readInboxFile(path, REGISTER, "P.QLKH", { limits: CONFIG.limits, province: CONFIG.province.code });
      const titles = parsed.tasks.map((t) => t.title);
      expect(titles.some((t) => t.includes("Gò Đen"))).toBe(true);
      expect(titles.filter((t) => t.includes("_x000D_"))).toEqual([]);
    } finally {
      removeDir(join(inbox, ".."));
    }
  });

  it("query --format xlsx keeps a carriage return (written as Excel's escape _x000D_)", async () => {
    const q = await query("select chr(13) || '=5+6' as t", "xlsx");
    expect(q.code, q.err).toBe(0);
    const cells = await payloadCells(new Uint8Array(readFileSync(q.file)));
    expect(cells.map((c) => c.value)).toContain("\r=5+6");
  });
});
