// The national generator: seeded and byte-identical run to run, at least the rows asked for, and
// every workbook readable with the kinds of sheet it is meant to hold.
import { createHash } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import ExcelJS from "exceljs";
import { afterAll, describe, expect, it } from "vitest";
import { generateNational } from "../../bench/generate.js";

function hashes(root: string, dir = root, out = new Map<string, string>()): Map<string, string> {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) hashes(root, p, out);
    else out.set(relative(root, p), createHash("sha256").update(readFileSync(p)).digest("hex"));
  }
  return out;
}

describe("bench/generate.ts", () => {
  const tmp = mkdtempSync(join(tmpdir(), "phuluc-gen-"));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it("is deterministic and reaches the target", async () => {
    const a = await generateNational({ dir: join(tmp, "a"), provinces: 2, years: 10, seed: 7, targetRows: 1500 });
    const b = await generateNational({ dir: join(tmp, "b"), provinces: 2, years: 10, seed: 7, targetRows: 1500 });
    expect(a.rows).toBeGreaterThanOrEqual(1500);
    expect(a.rows).toBe(b.rows);
    expect(a.years).toEqual([2015, 2016, 2017, 2018, 2019, 2020, 2021, 2022, 2023, 2024]);
    expect(a.provinces.map((p) => p.province)).toEqual(["01", "02"]);
    expect([...hashes(join(tmp, "a"))]).toEqual([...hashes(join(tmp, "b"))]);
    const c = await generateNational({ dir: join(tmp, "c"), provinces: 2, years: 10, seed: 8, targetRows: 1500 });
    expect(hashes(join(tmp, "c")).get("manifest.json")).not.toBe(hashes(join(tmp, "a")).get("manifest.json"));
    expect(c.rows).toBeGreaterThanOrEqual(1500);
  });

  it("writes the four kinds, ten years of columns", async () => {
    const root = join(tmp, "a", readdirSync(join(tmp, "a")).find((d) => d.startsWith("01-"))!);
    expect(readdirSync(root).sort()).toEqual(["Huyen", "P.KHTC", "P.QLKH", "TDC", "Thanh tra"]);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(join(root, "P.KHTC", "Du toan KHCN 01.xlsx"));
    expect(wb.worksheets.map((w) => w.name)).toEqual(["Du toan chi KHCN", "Cap phat kinh phi"]);
    const texts: string[] = [];
    wb.worksheets[0]!.eachRow((row) => row.eachCell((c) => void (typeof c.value === "string" && texts.push(c.value))));
    const joined = texts.join(" | ");
    for (const y of [2015, 2020, 2024]) expect(joined).toContain(String(y));
    // The 01–18 hierarchy, sums equal to their leaves (whatever the unit).
    const codeRow = new Map<string, ExcelJS.Row>();
    wb.worksheets[0]!.eachRow((row) => {
      const v = row.getCell(2).value;
      const code = typeof v === "number" ? String(v).padStart(2, "0") : typeof v === "string" && /^\d\d$/.test(v) ? v : undefined;
      if (code) codeRow.set(code, row);
    });
    expect(codeRow.size).toBe(18);
    const n = (code: string, col: number): number => Number(codeRow.get(code)!.getCell(col).value ?? 0);
    for (let col = 3; col < 3 + 20; col++) {
      expect(n("08", col)).toBe(n("09", col) + n("10", col) + n("11", col) + n("12", col) + n("13", col));
      expect(n("01", col)).toBe(n("02", col) + n("03", col) + n("18", col));
    }
  });
});
