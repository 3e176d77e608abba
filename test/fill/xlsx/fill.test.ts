// The whole headless fill on a real DuckDB warehouse and the real engine and forms: our blank
// template (fill/template) filled for 2024; then the `fill` command's exit codes and files.
import ExcelJS from "exceljs";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { UsageError } from "../../../core/exit.js";
import { makeTemplate } from "../../../fill/template/make-template.js";
import { exitCodeOf, fillCommand } from "../../../fill/command.js";
import { fillWorkbook, type FillResult } from "../../../fill/fill.js";
import { readLineage } from "../../../fill/xlsx/lineage.js";
import { Package } from "../../../xlsx/package.js";
import { snapshotWorkbook } from "../../../fill/xlsx/snapshot.js";
import { numberFormatsOf } from "../../../xlsx/styles.js";
import { descendants, firstChild } from "../../../xlsx/xml.js";
import { loadForms } from "../../../queries/forms.js";
import { writeGeneration } from "../../../warehouse/generations.js";
import { TestWarehouse } from "../../queries/warehouse.js";
import { FIXTURES, hasSoffice, recalcWithLibreOffice } from "./helpers.js";

let template: Uint8Array;
beforeAll(async () => {
  template = new Uint8Array(await makeTemplate(loadForms(), 2024));
});

describe("fillWorkbook on a real warehouse", () => {
  let result: FillResult;
  beforeAll(async () => {
    const w = await TestWarehouse.create();
    try {
      await w.line("05", 2024, "du_toan", "NSDP", "9000");
      await w.line("11", 2024, "du_toan", "NSDP", "20000");
      await w.line("12", 2024, "du_toan", "NSDP", "3000");
      await w.task({ code: "T1", title: "Nhiệm vụ T1", level: "TINH", start: "2022-01", end: "2025-06", approved: { TONG: "40000", NSDP: "40000" } });
      await w.task({ code: "T2", title: "=1+1 nhiệm vụ", level: "TINH", start: "2024-01", end: "2025-12", approved: { TONG: "9000", NSDP: "8000", NGOAI_NSNN: "1000" } });
      await w.task({ code: "H1", title: "01", level: "HUYEN", start: "2024-03", end: "2024-12", approved: { TONG: "1000", NSDP: "1000" } });
      await w.funding("T1", 2024, "du_toan", "NSDP", "12000");
      await w.funding("T2", 2024, "de_xuat", "NSDP", "8000");
      await w.funding("H1", 2024, "du_toan", "NSDP", "1000");
      result = await fillWorkbook({ db: Object.assign(w.db, { generation: 5 }), year: 2024, template, now: new Date(Date.UTC(2026, 10, 28)) });
    } finally {
      w.close();
    }
  });

  it("finds every form and says what it wrote", () => {
    const r = result.report;
    expect(r.forms.map((f) => [f.form, f.status, f.sheet])).toEqual(["pl01", "pl02", "pl03", "pl04", "pl05", "pl06"].map((f) => [f, "found", f.toUpperCase()]));
    const pl03 = r.forms.find((f) => f.form === "pl03")!;
    expect(pl03.rowsAdded).toEqual(["T1", "T2", "H1"]);
    expect(pl03.rowsInserted).toBeGreaterThan(0);
    expect(pl03.cellsWritten).toBeGreaterThan(0);
    expect(r.rulesBroken.arithmetic).toEqual([]);
    // the budget office reserved 3 000 for cấp cơ sở tasks; the tasks hold 1 000: a difference
    expect(r.rulesBroken.reconciliation.map((x) => [x.form, x.rowKey, x.expected, x.actual])).toEqual([["pl02", "12", "1000", "3000"]]);
    expect(exitCodeOf(r, false)).toBe(0);
    expect(exitCodeOf(r, true)).toBe(3);
  });

  it("writes task titles from data as text, whatever they look like", async () => {
    const pkg = Package.open(result.bytes);
    const [pl03] = await snapshotWorkbook(result.bytes, { sheets: ["PL03"] });
    const formats = numberFormatsOf(pkg.readText("xl/styles.xml"));
    const part = pkg.sheets().find((s) => s.name === "PL03")!.part;
    const byRef = new Map(descendants(pkg.readXml(part).root, "c").map((c) => [c.attrs.get("r"), c]));
    for (const title of ["=1+1 nhiệm vụ", "01"]) {
      const r = pl03.values.findIndex((row) => row[1] === title);
      expect(r, title).toBeGreaterThan(0);
      const c = byRef.get(`B${r + 1}`)!;
      expect(c.attrs.get("t")).toBe("inlineStr");
      expect(firstChild(c, "f")).toBeUndefined();
      expect(formats[Number(c.attrs.get("s") ?? 0)]).toBe("@");
    }
  });

  it("stores the lineage with the generation", () => {
    const l = readLineage(result.bytes)!;
    expect([l.year, l.generation, l.filledAt]).toEqual([2024, 5, "2026-11-28T00:00:00.000Z"]);
    expect(l.sheets.map((s) => s.form)).toEqual(["pl01", "pl02", "pl03", "pl04", "pl05", "pl06"]);
    expect(l.sheets.find((s) => s.form === "pl02")!.cells.length).toBeGreaterThan(0);
  });

  it.skipIf(!hasSoffice)("LibreOffice's recomputed PL03 total equals the figures (needs soffice)", async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(recalcWithLibreOffice(result.bytes)) as never);
    const ws = wb.getWorksheet("PL03")!;
    let total: ExcelJS.Row | undefined;
    ws.eachRow((row) => {
      if (row.getCell(2).value === "Tổng cộng") total = row;
    });
    const v = total!.getCell(6).value as ExcelJS.CellFormulaValue | number;
    expect(typeof v === "number" ? v : v.result).toBe(50000); // approved: 40 000 + 9 000 + 1 000
  });
});

describe("the fill command", () => {
  let dir: string;
  let db: string;
  let tpl: string;
  const io = () => {
    const out: string[] = [];
    const err: string[] = [];
    return { out, err, io: { log: (s: string) => out.push(s), err: (s: string) => err.push(s) } };
  };
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "phuluc-fill-"));
    db = join(dir, "w.duckdb");
    await writeGeneration(db, async () => ({ publish: true, value: null })); // an empty warehouse, generation 1
    tpl = join(dir, "template.xlsx");
    writeFileSync(tpl, template);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const base = () => ({ db, year: 2024, template: tpl, form: [] as string[] });

  it("usage: --out or --check is required; --out may not be the template; --form is sheet=form", async () => {
    await expect(fillCommand({ ...base() })).rejects.toThrow(UsageError);
    await expect(fillCommand({ ...base(), out: tpl })).rejects.toThrow(/never overwritten/);
    await expect(fillCommand({ ...base(), check: true, form: ["pl02"] })).rejects.toThrow(UsageError);
    await expect(fillCommand({ ...base(), db: undefined, check: true })).rejects.toThrow(UsageError);
  });

  it("refuses (1) an unreadable template, a file that is no workbook, a missing warehouse or generation", async () => {
    const out = join(dir, "never.xlsx");
    const bad = join(dir, "bad.xlsx");
    writeFileSync(bad, "not a workbook");
    for (const o of [
      { ...base(), template: join(dir, "missing.xlsx"), out },
      { ...base(), template: bad, out },
      { ...base(), db: join(dir, "none.duckdb"), out },
      { ...base(), asOf: 99, out },
    ]) {
      const c = io();
      expect(await fillCommand(o, c.io)).toBe(1);
      expect(c.err.join("\n")).toMatch(/phuluc fill/);
    }
    expect(existsSync(out)).toBe(false);
  });

  it("--check writes nothing and reports as JSON", async () => {
    const before = readdirSync(dir).sort();
    const c = io();
    expect(await fillCommand({ ...base(), check: true, json: true }, c.io)).toBe(0);
    const report = JSON.parse(c.out.join("\n"));
    expect(report.forms).toHaveLength(6);
    expect(report.written).toBeNull();
    expect(report.generation).toBe(1);
    expect(readdirSync(dir).sort()).toEqual(before);
  });

  it("fills into --out atomically and leaves the template as it was", async () => {
    const out = join(dir, "filled.xlsx");
    const c = io();
    expect(await fillCommand({ ...base(), out }, c.io)).toBe(0);
    expect(c.out.join("\n")).toMatch(/PL03: sheet "PL03" header .* cells written/);
    expect(Buffer.from(readFileSync(tpl)).equals(Buffer.from(template))).toBe(true);
    expect(readLineage(new Uint8Array(readFileSync(out)))!.generation).toBe(1);
    expect(readdirSync(dir).filter((f) => f.endsWith(".tmp"))).toEqual([]);
    // as of generation 1 gives the same
    expect(await fillCommand({ ...base(), out, asOf: 1 }, io().io)).toBe(0);
  });

  it("keeps a macro workbook's extension: .xlsm into .xlsx is a usage error, nothing written", async () => {
    const xlsm = join(dir, "rich.xlsm");
    writeFileSync(xlsm, readFileSync(join(FIXTURES, "rich.xlsm")));
    const out = join(dir, "rich-out.xlsx");
    expect(await fillCommand({ ...base(), template: xlsm, out }, io().io)).toBe(2);
    expect(existsSync(out)).toBe(false);
    const ok = join(dir, "rich-out.xlsm");
    expect(await fillCommand({ ...base(), template: xlsm, out: ok }, io().io)).toBe(3); // no form in it
    expect(Buffer.from(Package.open(new Uint8Array(readFileSync(ok))).read("xl/vbaProject.bin")).equals(Buffer.from(Package.open(new Uint8Array(readFileSync(xlsm))).read("xl/vbaProject.bin")))).toBe(true);
  });

  it("opens the template under the configured decompression limit (phuluc.config.json limits, as the ETL's reader)", async () => {
    const cfg = join(dir, "small-limits.config.json");
    writeFileSync(cfg, JSON.stringify({ province: { code: "80", name: "Long An" }, limits: { maxInflatedBytes: 4096 } }));
    const out = join(dir, "limited.xlsx");
    const before = process.env.PHULUC_CONFIG;
    process.env.PHULUC_CONFIG = cfg;
    try {
      const c = io();
      expect(await fillCommand({ ...base(), out }, c.io)).toBe(1);
      expect(c.err.join("\n")).toMatch(/inflates to more than 4096 bytes/);
      expect(existsSync(out)).toBe(false);
    } finally {
      if (before === undefined) delete process.env.PHULUC_CONFIG;
      else process.env.PHULUC_CONFIG = before;
    }
    // without a configuration, the default limit: the same template fills
    expect(await fillCommand({ ...base(), out }, io().io)).toBe(0);
  });

  it("exits 3 when a form is not found (and still writes what it could)", async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet("Sheet1").getCell("A1").value = "nothing here";
    const other = join(dir, "other.xlsx");
    writeFileSync(other, Buffer.from(await wb.xlsx.writeBuffer()));
    const out = join(dir, "other-out.xlsx");
    const c = io();
    expect(await fillCommand({ ...base(), template: other, out }, c.io)).toBe(3);
    expect(c.out.join("\n")).toMatch(/PL01: không tìm thấy \/ not found/);
    expect(existsSync(out)).toBe(true);
  });
});
