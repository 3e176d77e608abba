// What an analyst and an administrator get as they are: the xlsx of `query --format xlsx` (bold
// frozen header, autofilter, widths that fit, money as numbers in #,##0.###, real dates, always
// valid XML), CSV and tables without trailing zeros, JSON keeping every column name, and
// terminal output that never carries an office's control characters.
import ExcelJS from "exceljs";
import { strFromU8, unzipSync } from "fflate";
import { SaxesParser } from "saxes";
import { describe, expect, it } from "vitest";
import { formatTable, forTerminal } from "../../api/query-command.js";
import { jsonRows, MONEY_FORMAT, toCsv, toXlsx, trimDecimal, xstring, type ResultSet } from "../../api/formats.js";
import { terminalSafe, terminalSafeLines } from "../../core/terminal.js";
import { printReport } from "../../etl/commands.js";
import type { LoadReport } from "../../warehouse/load.js";

const rs: ResultSet = {
  columns: [
    { name: "Mã", type: "VARCHAR" },
    { name: "Tên nhiệm vụ", type: "VARCHAR" },
    { name: "Dự toán", type: "DECIMAL(18,6)" },
    { name: "ngay", type: "DATE" },
    { name: "loaded_at", type: "TIMESTAMP WITH TIME ZONE" },
    { name: "n", type: "INTEGER" },
  ],
  rows: [
    ["T01", "Nghiên cứu ứng dụng công nghệ sinh học trong sản xuất giống lúa chất lượng cao tại tỉnh", "41612.000000", "2024-01-02", "2024-06-30 10:00:00+07", 1],
    ["T02", "Ngắn", "1234567.125000", "2023-12-31", "2024-06-30 10:00:00.5", 2],
    ["T03", null, "-0.500000", null, null, null],
  ],
  truncated: false,
};

/** Every XML part of an xlsx, parsed by a conforming parser (saxes throws on a forbidden character). */
function assertWellFormed(bytes: Uint8Array): void {
  for (const [name, data] of Object.entries(unzipSync(bytes))) {
    if (!name.endsWith(".xml") && !name.endsWith(".rels")) continue;
    const p = new SaxesParser();
    p.on("error", (e) => {
      throw new Error(`${name}: ${e.message}`);
    });
    p.write(strFromU8(data)).close();
  }
}

async function open(bytes: Buffer): Promise<ExcelJS.Worksheet> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes as never);
  return wb.worksheets[0];
}

describe("query --format xlsx", () => {
  it("has a bold frozen header with an autofilter, widths that fit, money as numbers, real dates", async () => {
    const bytes = await toXlsx(rs);
    assertWellFormed(bytes);
    const ws = await open(bytes);
    expect(ws.getRow(1).font?.bold ?? ws.getCell("A1").font?.bold).toBe(true);
    expect(ws.views[0]).toMatchObject({ state: "frozen", ySplit: 1 });
    expect(ws.autoFilter).toBeTruthy();
    const sheetXml = strFromU8(unzipSync(bytes)["xl/worksheets/sheet1.xml"]);
    expect(sheetXml).toMatch(/<autoFilter ref="A1:F1"\/>/);
    // money: numbers, #,##0.### (a whole amount #,##0, so that "41,612." has no dangling point)
    expect(ws.getCell("C2").value).toBe(41612);
    expect(ws.getCell("C2").numFmt).toBe("#,##0");
    expect(ws.getCell("C3").value).toBe(1234567.125);
    expect(ws.getCell("C3").numFmt).toBe(MONEY_FORMAT);
    expect(ws.getCell("C4").value).toBe(-0.5);
    // dates and timestamps are dates (the wall-clock time shown), not texts
    expect(ws.getCell("D2").value).toEqual(new Date("2024-01-02T00:00:00Z"));
    expect(ws.getCell("D2").numFmt).toBe("yyyy-mm-dd");
    expect(ws.getCell("E2").value).toEqual(new Date("2024-06-30T10:00:00Z"));
    expect(ws.getCell("E3").value).toEqual(new Date("2024-06-30T10:00:00.500Z"));
    expect(ws.getCell("E2").numFmt).toBe("yyyy-mm-dd hh:mm:ss");
    // widths: the longest shown value fits; a very long text wraps in a capped column
    const width = (c: number) => ws.getColumn(c).width ?? 0;
    expect(width(1)).toBeGreaterThanOrEqual(3 + 2);
    expect(width(2)).toBeLessThanOrEqual(60);
    expect(ws.getColumn(2).alignment?.wrapText ?? ws.getCell("B2").alignment?.wrapText).toBe(true);
    expect(width(3)).toBeGreaterThanOrEqual("1,234,567.125".length);
    expect(width(5)).toBeGreaterThanOrEqual("2024-06-30 10:00:00".length);
  });

  it("never makes an invalid workbook from characters XML forbids: escaped as Excel does (_xHHHH_)", async () => {
    const nasty = ["a\uFFFEb", "\uFFFF", "x\uD800y", "\uDC00", "bell\x07", "cr\r\nlf", "_x0041_ stays", "ok 😀"];
    const bytes = await toXlsx({
      columns: [{ name: "t\uFFFE", type: "VARCHAR" }],
      rows: nasty.map((s) => [s]),
      truncated: false,
    });
    assertWellFormed(bytes);
    const ws = await open(bytes);
    const shown = nasty.map((_, i) => ws.getCell(i + 2, 1).value);
    // read back (exceljs decodes _xHHHH_ as Excel does): exactly the texts written
    expect(shown).toEqual(nasty);
    expect(ws.getCell(1, 1).value).toBe("t\uFFFE");
    expect(xstring("a\uFFFEb")).toBe("a_xFFFE_b");
    expect(xstring("😀")).toBe("😀");
  });
});

describe("CSV, tables and JSON", () => {
  it("print money without trailing zeros", () => {
    expect(["41612.000000", "-1.500000", "0.000000", "-0.000000", "12", "1e5"].map(trimDecimal)).toEqual(["41612", "-1.5", "0", "0", "12", "1e5"]);
    expect(toCsv(rs).split("\r\n")[1]).toBe("T01,Nghiên cứu ứng dụng công nghệ sinh học trong sản xuất giống lúa chất lượng cao tại tỉnh,41612,2024-01-02,2024-06-30 10:00:00+07,1");
    const table = formatTable(rs.columns.slice(2, 3), rs.rows.map((r) => r.slice(2, 3)));
    expect(table.split("\n").slice(2, 5)).toEqual(["      41612", "1234567.125", "       -0.5"]);
  });

  it("keeps a column named __proto__ (and constructor, toString) as keys of the row", () => {
    const rows = jsonRows({
      columns: ["__proto__", "constructor", "toString", "hasOwnProperty"].map((name) => ({ name, type: "INTEGER" })),
      rows: [[1, 2, 3, 4]],
      truncated: false,
    });
    expect(JSON.parse(JSON.stringify(rows))).toEqual([JSON.parse('{"__proto__":1,"constructor":2,"toString":3,"hasOwnProperty":4}')]);
    expect(Object.keys(rows[0])).toEqual(["__proto__", "constructor", "toString", "hasOwnProperty"]);
    expect(Object.getPrototypeOf(rows[0])).toBe(Object.prototype);
  });
});

describe("terminal output", () => {
  it("shows an office's control characters as escapes", () => {
    expect(terminalSafe("a\x1b[31mred\x1b[0m\nFORGED\r\u202Eexe.xlsx\tok")).toBe("a\\u001b[31mred\\u001b[0m\\nFORGED\\r\\u202eexe.xlsx\tok");
    expect(terminalSafe("Phòng KH-TC/Dự toán 2024.xlsx")).toBe("Phòng KH-TC/Dự toán 2024.xlsx");
    expect(terminalSafeLines("one\n\x1b]0;t\x07two")).toBe("one\n\\u001b]0;t\\u0007two");
    // JSON printed through it stays JSON
    const j = JSON.stringify({ f: "\u202E\u0085x" }, null, 2);
    expect(JSON.parse(terminalSafeLines(j))).toEqual({ f: "\u202E\u0085x" });
  });

  it("is used by the load summary and the query table", () => {
    const lines: string[] = [];
    const file = "evil\x1b[2J\nloaded    fake.xlsx.xlsx";
    const report = {
      command: "etl load",
      outcome: "loaded",
      runId: 1,
      files: [{ fileId: file, status: "loaded", rows: 1, errors: 0, warnings: 0 }],
      skipped: [{ fileId: "x\x1b[31m.txt", reason: "not a spreadsheet" }],
      problems: [],
      changeCounts: { added: 0, updated: 0, removed: 0 },
      changes: [],
      rowsLoaded: 1,
    } as unknown as LoadReport;
    const log = console.log;
    console.log = (s: string) => lines.push(s);
    try {
      printReport(report);
    } finally {
      console.log = log;
    }
    expect(lines.join("\n")).not.toMatch(/\x1b/);
    expect(lines).toHaveLength(4);
    expect(lines[1]).toContain("evil\\u001b[2J\\nloaded    fake.xlsx.xlsx");
    const table = formatTable([{ name: "t\x1b[1m", type: "VARCHAR" }], [["\x1b[31mred"]]);
    expect(table).not.toMatch(/\x1b/);
    // csv and json on a terminal (piped, they are the data exactly)
    const j = forTerminal(JSON.stringify({ rows: [{ t: "\u009b31mred\u202e" }] }, null, 2) + "\n");
    expect(j).not.toMatch(/[\u009b\u202e]/);
    expect(JSON.parse(j)).toEqual({ rows: [{ t: "\u009b31mred\u202e" }] });
    expect(forTerminal("a\r\n\x1b[2J,1\r\n")).toBe("a\n\\u001b[2J,1\n");
  });
});

describe("serve's task pane", () => {
  it("is built when missing (a fresh clone), then served as built until a source changes", async () => {
    const { mkdtempSync, existsSync, rmSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const { join } = await import("node:path");
    const { findPane } = await import("../../api/serve-command.js");
    const dir = mkdtempSync(join(tmpdir(), "phuluc-pane-"));
    try {
      const said: string[] = [];
      const where = { dirs: [join(dir, "none"), join(dir, "built")], buildInto: join(dir, "built") };
      expect(await findPane((s) => said.push(s), where)).toBe(join(dir, "built"));
      expect(existsSync(join(dir, "built", "index.html"))).toBe(true);
      expect(existsSync(join(dir, "built", "pane.js"))).toBe(true);
      expect(said).toHaveLength(1);
      expect(await findPane((s) => said.push(s), where)).toBe(join(dir, "built"));
      expect(said).toHaveLength(1); // not rebuilt
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});

describe("prototype-ish column names in the other formats", () => {
  it("arrow and csv keep __proto__ and constructor as columns", async () => {
    const { tableFromIPC } = await import("apache-arrow");
    const { toArrow } = await import("../../api/formats.js");
    const set: ResultSet = {
      columns: ["__proto__", "constructor", "a"].map((name) => ({ name, type: "INTEGER" })),
      rows: [[1, 2, 3]],
      truncated: false,
    };
    const table = tableFromIPC(await toArrow(set, set.rows));
    expect(table.schema.fields.map((f) => f.name)).toEqual(["__proto__", "constructor", "a"]);
    expect(table.getChild("__proto__")!.get(0)).toBe(1);
    expect(toCsv(set).split("\r\n")[0]).toBe("__proto__,constructor,a");
    const ws = await open(await toXlsx(set));
    expect((ws.getRow(1).values as unknown[]).slice(1)).toEqual(["__proto__", "constructor", "a"]);
  });
});
