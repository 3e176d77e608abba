// The committed sample inbox must be exactly what scripts/make-sample.ts writes (so it never
// drifts from its script and README), and its headline figures must sit where README says.
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fromTcvn3, makeSample, SAMPLE_FILES, toTcvn3 } from "../../scripts/make-sample.js";

const SAMPLE = join(import.meta.dirname, "..", "..", "sample");

function walk(root: string, dir = root): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...walk(root, p));
    else out.push(relative(root, p));
  }
  return out;
}
const listFiles = (dir: string): string[] =>
  walk(dir)
    .map((f) => f.split("\\").join("/"))
    .sort();

async function open(rel: string): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(join(SAMPLE, rel));
  return wb;
}

/** A cell's number: plain, or a formula's cached result (exceljs drops a cached 0). */
function n(ws: ExcelJS.Worksheet, ref: string): number | undefined {
  const v = ws.getCell(ref).value as unknown;
  if (typeof v === "number") return v;
  if (v && typeof v === "object" && "formula" in v) return ((v as { result?: number }).result ?? 0) as number;
  return undefined;
}
const s = (ws: ExcelJS.Worksheet, ref: string): unknown => ws.getCell(ref).value;

describe("sample inbox", () => {
  let fresh: string;
  beforeAll(async () => {
    fresh = mkdtempSync(join(tmpdir(), "phuluc-sample-"));
    await makeSample(fresh);
  });
  afterAll(() => rmSync(fresh, { recursive: true, force: true }));

  it("is byte-identical to a fresh run of scripts/make-sample.ts", () => {
    // Everything the script writes, and nothing else in the inbox (other files in sample/, such
    // as the fill engine's template.xlsx, belong to other scripts).
    const generated = listFiles(fresh);
    const committed = listFiles(SAMPLE).filter((f) => f.startsWith("inbox/") || generated.includes(f));
    expect(committed).toEqual(generated);
    for (const f of generated) {
      const a = readFileSync(join(SAMPLE, f));
      const b = readFileSync(join(fresh, f));
      expect(a.equals(b), `${f} differs from its script's output: run npx tsx scripts/make-sample.ts`).toBe(true);
    }
  });

  it("has the inbox noise the ETL must skip and list", () => {
    expect(statSync(join(SAMPLE, SAMPLE_FILES.lock)).size).toBeLessThan(200);
    expect(readFileSync(join(SAMPLE, SAMPLE_FILES.note), "utf8")).toContain("Ghi chú");
    expect(JSON.parse(readFileSync(join(SAMPLE, SAMPLE_FILES.config), "utf8"))).toEqual({
      province: { code: "80", name: "Long An" },
    });
  });

  it("P.KHTC budget lines: the seed's figures, in nghìn đồng", async () => {
    const ws = (await open(SAMPLE_FILES.khtc)).getWorksheet("TH va DT chi KHCN")!;
    expect(s(ws, "A3")).toBe("Tình hình thực hiện và dự toán chi KH&CN");
    expect(s(ws, "A4")).toBe("Đơn vị tính: nghìn đồng");
    expect([s(ws, "C6"), s(ws, "E6"), s(ws, "H6")]).toEqual(["Năm 2022", "Năm 2023", "Dự kiến 2024"]);
    expect([s(ws, "E7"), s(ws, "F7"), s(ws, "G7")]).toEqual(["Dự toán", "Thực hiện 6 tháng", "Ước thực hiện"]);
    // Row 03 sits on sheet row 10; its Mã số is text "03", rows from 05 on are numbers.
    expect(s(ws, "B10")).toBe("03");
    expect(s(ws, "B12")).toBe(5);
    expect(s(ws, "A10")).toBe("2. Chi sự nghiệp KH&CN");
    expect(n(ws, "E10")).toBe(39_651_195); // DT 2023 = 39.651,195 triệu
    expect(n(ws, "F10")).toBe(13_572_000); // TH 6 tháng = 13.572 triệu (34,2 %)
    expect(n(ws, "G10")).toBe(39_651_195);
    expect(n(ws, "C10")).toBe(37_500_000);
    expect(n(ws, "D10")).toBe(36_980_000);
    expect(n(ws, "I10")).toBe(41_612_000); // 2024 NSĐP
    expect(n(ws, "H10")).toBeUndefined(); // nothing NSTW
    expect(n(ws, "E8")).toBe(39_651_195); // 01 = 02 + 03 + 18
    expect(n(ws, "E9")).toBe(0);
    expect(n(ws, "E25")).toBe(0);
    expect(n(ws, "I19")).toBe(740_000); // row 12 of 2024, with the 300 reserve
    expect(n(ws, "E19")).toBe(430_000);
    expect(n(ws, "E16")).toBe(700_000);
    expect(n(ws, "E18")).toBe(6_370_000);
    // Every sum row's cached value equals its leaves, in every column.
    for (const col of ["C", "D", "E", "F", "G", "I", "J"]) {
      const v = (r: number): number => n(ws, `${col}${r}`) ?? 0;
      expect(v(11), `${col} row 04`).toBe(v(12) + v(13));
      expect(v(15), `${col} row 08`).toBe(v(16) + v(17) + v(18) + v(19) + v(20));
      expect(v(10), `${col} row 03`).toBe(v(11) + v(14) + v(15) + v(21) + v(22) + v(23) + v(24));
      expect(v(8), `${col} row 01`).toBe(v(9) + v(10) + v(25));
    }
  });

  it("P.KHTC task funding: totals agree with the budget rows except the 2024 reserve", async () => {
    const ws = (await open(SAMPLE_FILES.khtc)).getWorksheet("Cấp phát kinh phí nhiệm vụ")!;
    expect(s(ws, "H5")).toBe("Nhu cầu kinh phí năm 2024");
    const byCode = new Map<string, number>();
    let total2023 = 0;
    let total2024 = 0;
    ws.eachRow((row, r) => {
      const code = row.getCell(2).value;
      if (typeof code === "string" && /^(QG|T|CS)\./.test(code)) {
        byCode.set(code, r);
        total2023 += (row.getCell(4).value as number | null) ?? 0;
        total2024 += (row.getCell(8).value as number | null) ?? 0;
      }
    });
    expect(byCode.size).toBe(16);
    expect(total2023).toBe(700 + 6370 + 430);
    expect(total2024).toBe(200 + 5930 + 440); // row 12 of the budget says 740: 300 reserved
    expect(n(ws, `H${byCode.get("QG.2021.02")}`)).toBe(200);
  });

  it("P.QLKH register: the three national tasks exactly as the seed gives them", async () => {
    const ws = (await open(SAMPLE_FILES.register)).getWorksheet("DM nhiem vu")!;
    expect(s(ws, "L7")).toBe("Kinh phi phe duyet");
    expect([s(ws, "L8"), s(ws, "M8"), s(ws, "N8"), s(ws, "O8"), s(ws, "P8")]).toEqual(["Tong", "NSTW", "NSDP", "NSNN", "Ngoai NSNN"]);
    expect(s(ws, "A9")).toBe("I. Nhiệm vụ cấp quốc gia");
    // QG.2016.01: Tổng only.
    expect(s(ws, "C10")).toBe("QG.2016.01");
    expect(s(ws, "L10")).toBe(20970);
    expect([s(ws, "M10"), s(ws, "N10"), s(ws, "O10"), s(ws, "P10")]).toEqual([null, null, null, null]);
    expect(s(ws, "I10")).toBe("12/2016");
    // QG.2021.02: 13.660 = 10.880 + 1.500 + 1.280, partly typed as text.
    expect(s(ws, "C11")).toBe("QG.2021.02");
    expect([s(ws, "L11"), s(ws, "M11"), s(ws, "N11"), s(ws, "P11")]).toEqual(["13.660", "10.880", 1500, "1.280"]);
    expect(s(ws, "K11")).toBe("3312/QĐ-BKHCN ngày 30/11/2020");
    expect(s(ws, "I11")).toBe("tháng 10/2021");
    // QG.2022.03: 24.000 = NSNN 6.780 + Ngoài NSNN 17.220.
    expect([s(ws, "L12"), s(ws, "M12"), s(ws, "N12"), s(ws, "O12"), s(ws, "P12")]).toEqual([24000, null, null, 6780, 17220]);
    expect(ws.getRow(15).hidden).toBe(true);
    expect(ws.getRow(18).values).toEqual([]); // the blank row
  });

  it("Huyen: 18 district tasks over two sheets", async () => {
    const wb = await open(SAMPLE_FILES.district);
    const codes: string[] = [];
    for (const ws of wb.worksheets)
      ws.eachRow((row) => {
        const v = row.getCell(2).value;
        if (typeof v === "string" && v.startsWith("H.")) codes.push(v);
      });
    expect(codes).toHaveLength(18);
    expect(new Set(codes).size).toBe(18);
    const one = wb.getWorksheet("NV cap huyen 2023")!;
    expect(s(one, "I5")).toMatch(/^\d{1,2}\/\d{4} ?- ?\d{1,2}\/\d{4}$/);
    expect(s(one, "E6")).toBe("KH xã hội và nhân văn");
    expect(s(one, "E14")).toBe(null);
    expect(wb.getWorksheet("Bo sung")!.getCell("I5").value).toBeInstanceOf(Date);
  });

  it("Thanh tra: TCVN3 text with .VnTime; inspections 183 of 337, fines 24.500.000 đồng", async () => {
    const ws = (await open(SAMPLE_FILES.thanhTra)).worksheets[0]!;
    expect(ws.getCell("C6").font?.name).toBe(".VnTime");
    expect(s(ws, "C6")).toBe("Sè c¬ së ®­îc thanh tra, kiÓm tra");
    expect(fromTcvn3(s(ws, "C6") as string)).toBe("Số cơ sở được thanh tra, kiểm tra");
    expect(toTcvn3("Tổng cộng")).toBe("Tæng céng");
    expect(fromTcvn3(s(ws, "G5") as string)).toBe("Thực hiện 6 tháng đầu năm 2023");
    expect([s(ws, "F6"), s(ws, "G6")]).toEqual([337, 183]);
    expect(fromTcvn3(s(ws, "D9") as string)).toBe("đồng");
    expect(s(ws, "G9")).toBe("24.500.000");
    expect(s(ws, "G8")).toBe(3);
  });

  it("TDC, TT UD and chung: fines, ATBX 35 = 13+8+1+1+12, enterprises 22/9, revenue 1.564 / 4.223", async () => {
    const tdc = (await open(SAMPLE_FILES.tdc)).worksheets[0]!;
    expect([s(tdc, "A8"), s(tdc, "D8"), s(tdc, "G8")]).toEqual(["TDC.04", "đồng", 3_500_000]);
    const tt = (await open(SAMPLE_FILES.ttud)).worksheets[0]!;
    const rows = new Map<string, ExcelJS.Row>();
    tt.eachRow((row) => {
      const code = row.getCell(1).value;
      if (typeof code === "string" && /^[A-Z]+\.\d/.test(code)) rows.set(code, row);
    });
    const g = (code: string, col: number): unknown => rows.get(code)!.getCell(col).value;
    expect(g("ATBX.01", 7)).toBe(35);
    expect(["ATBX.01.1", "ATBX.01.2", "ATBX.01.3", "ATBX.01.4", "ATBX.01.5"].map((c) => g(c, 7))).toEqual([13, 8, 1, 1, 12]);
    expect(g("ATBX.01.5", 4)).toBe("ATBX.01");
    expect([g("SHTT.01", 7), g("SHTT.02", 7)]).toEqual([40, 8]);
    expect([g("TSN.01", 5), g("TSN.01", 7), g("TSN.01", 3)]).toEqual([4223, 1564, "triệu đồng"]);
    const chung = await open(SAMPLE_FILES.chung);
    expect(chung.worksheets.map((w) => w.name)).toEqual(["DN KHCN", "Danh ba"]);
    const dn = chung.getWorksheet("DN KHCN")!;
    expect([s(dn, "C4"), s(dn, "G4"), s(dn, "C5"), s(dn, "G5")]).toEqual(["Số tổ chức khoa học và công nghệ", 9, "Số doanh nghiệp khoa học và công nghệ (lũy kế)", 22]);
  });

  it("README carries the golden figures", () => {
    const md = readFileSync(join(SAMPLE, "README.md"), "utf8");
    expect(md).toContain("| 03 | 2. Chi sự nghiệp KH&CN | 37.500 | 36.980 | 39.651,195 | 13.572 | 34,2 | 39.651,195 | 100,0 |");
    expect(md).toContain("| 01 | TỔNG CHI | 41.612 |  | 41.612 |  |  |");
    expect(md).toContain("| PL02 NSTW+NSĐP (2024) | 12 | 740 | 440 | 300 |");
    expect(md).toContain("| 1.1 | Huyện | 18 |");
    expect(md).toContain("| Thanh tra, kiểm tra |  | Số cơ sở được thanh tra, kiểm tra | cơ sở | 352 | 337 | 183 | 54,3 | 340 | Thanh tra |");
  });
});
