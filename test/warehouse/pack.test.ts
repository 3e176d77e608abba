// The facts a reading worker packs in typed columns (warehouse/pack.ts) load exactly as the same
// facts given as objects: same figures, to the last micro-unit, same lineage.
import { describe, expect, it } from "vitest";
import { parseDecimal } from "../../core/money.js";
import { colLetters } from "../../xlsx/refs.js";
import { loadFiles } from "../../warehouse/load.js";
import { openCurrent } from "../../warehouse/generations.js";
import { FactKind, FileFacts, microOf, packFacts, packIndicators, packTasks, transferList, withPackedFacts } from "../../warehouse/pack.js";
import type { InboxScan, Measure, ParsedFile } from "../../warehouse/model.js";
import { file, task, tempDb } from "./helpers.js";

const province = { code: "80", name: "Long An" };

describe("microOf", () => {
  it("is parseDecimal on every decimal a figure can be, and refuses what it refuses", () => {
    const ok = ["0", "1", "-1", "50.5", "0.000001", "-0.25", "123456789.123456", "999999999999999", "1234567890123456", "12.", "00012.340000", "99999999999999999999.999999", "-12345678901234567890"];
    for (const s of ok) expect(microOf(s), s).toBe(parseDecimal(s));
    for (const s of ["", "-", ".", "1.2345678", "1e5", "abc", "1.2.3"]) expect(() => microOf(s), s).toThrow();
  });
});

describe("packFacts' quick reading of a cell and an amount", () => {
  it("gives the column letters, row and micro-units the slices and parseDecimal give, for any cell", () => {
    const cells = ["B7", "AB10", "XFD1048576", "A1", "ZZZ9", "AAAA1", "b7", "B07", "B", "7", "", "$B$7", "B7x", "Đ5", "AZ1234567890", "C3", "B7"];
    const amounts = ["0", "-0", "1", "-1", "50.5", "0.000001", "9007199254.740991", "9007199254.740992", "999999999999999", "-999999999999999.5", "1234567890123456", "12.", "00012.340000", "99999999999999999999.999999"];
    const taskFunding = cells.flatMap((cell, k) =>
      amounts.map((amount, j) => ({ taskCode: `NV-${k % 3}`, year: 2024 + (j % 2), measure: (j % 3 ? "du_toan" : "de_xuat") as Measure, source: "NSDP" as const, amount, at: { sheet: k % 2 ? "A" : "B", cell } })),
    );
    const p = packFacts(file("f.xlsx", { taskFunding }));
    const lettersEnd = (c: string) => {
      let i = 0;
      while (i < c.length && c.charCodeAt(i) >= 65) i++;
      return i;
    };
    taskFunding.forEach((x, i) => {
      const e = lettersEnd(x.at.cell);
      expect(p.small[p.col[i]! - 1], x.at.cell).toBe(x.at.cell.slice(0, e));
      expect(p.row[i], x.at.cell).toBe(Number(x.at.cell.slice(e)) | 0);
      expect(p.amount[i], x.amount).toBe(parseDecimal(x.amount));
      expect(p.keys[p.k1[i]! - 1]).toBe(x.taskCode);
    });
    // ids in order of first sight, as they always were
    const small: string[] = [];
    const id = (v: string) => {
      if (!small.includes(v)) small.push(v);
    };
    id("task_approved");
    id("task_funding");
    let lastSheet = "";
    for (const x of taskFunding) {
      id(x.measure);
      id(x.source);
      if (x.at.sheet !== lastSheet) id((lastSheet = x.at.sheet));
      id(x.at.cell.slice(0, lettersEnd(x.at.cell)));
    }
    expect(p.small.slice(0, small.length)).toEqual(small);
  });
});

describe("FileFacts: the facts a parse writes as columns", () => {
  it("pack into what packFacts makes of the same facts as objects: amounts past 2^53 and int64, negatives, a dropped fact", () => {
    const amounts = ["0", "-0", "1", "-1", "50.5", "0.000001", "-0.25", "9007199254.740991", "9007199254.740992", "999999999999", "-999999999999.5", "00012.340000", "99999999999999999999.999999"];
    for (const wide of [false, true]) {
      const ff = new FileFacts(colLetters);
      const o: ParsedFile = file("f.xlsx", {});
      const at = (sheet: string, col: number, row: number) => ({ sheet, cell: `${String.fromCharCode(64 + col)}${row}` });
      // written in the parse's order (kinds interleaved), packed in the loader's
      amounts.forEach((amount, j) => {
        if (!wide && amount.startsWith("99999999999999999999")) return;
        const sheet = j % 2 ? "A" : "B";
        const year = 2024 + (j % 2);
        ff.put(FactKind.Line, `0${j % 3}`, year, "du_toan", "NSDP", amount, sheet, 3, 10 + j);
        o.budgetLines.push({ line: `0${j % 3}`, year, measure: "du_toan", source: "NSDP", amount, at: at(sheet, 3, 10 + j) });
        const i = ff.putFunding(`NV-${j}`, year, "de_xuat", "NSTW", amount, sheet, 4, 10 + j, 2);
        if (j === 4) ff.drop(FactKind.Funding, i);
        else o.taskFunding.push({ taskCode: `NV-${j}`, year, measure: "de_xuat", source: "NSTW", amount, at: at(sheet, 4, 10 + j), codeAt: at(sheet, 2, 10 + j) });
        ff.put(FactKind.Indicator, `K${j}`, year, "thuc_hien", "", amount, "C", 27, j + 1);
        o.indicatorFacts.push({ key: `K${j}`, year, measure: "thuc_hien", value: amount, at: { sheet: "C", cell: `AA${j + 1}` } });
      });
      const p = ff.pack(packTasks([]), packIndicators([]));
      expect(p.amount instanceof BigInt64Array).toBe(!wide);
      expect(p).toEqual(packFacts(o));
    }
  });
});

function scanOf(files: ParsedFile[]): InboxScan {
  return { files: files.map((f) => ({ fileId: f.fileId, office: f.office, path: f.fileId, size: f.size, mtimeMs: f.mtimeMs })), skipped: [], problems: [] };
}

async function dump(dbPath: string): Promise<unknown> {
  const db = await openCurrent(dbPath);
  try {
    return {
      funding: await db.all("select task_code, year, measure_code, source_code, amount::varchar a, file_id, file_hash, sheet, cell from fact_task_funding order by all"),
      approved: await db.all("select task_code, source_code, amount::varchar a, sheet, cell from fact_task_approved order by all"),
      lines: await db.all("select line_code, year, measure_code, source_code, amount::varchar a, sheet, cell from fact_budget_line order by all"),
      indicators: await db.all("select indicator_key, year, measure_code, value::varchar v, sheet, cell from fact_indicator order by all"),
    };
  } finally {
    db.close();
  }
}

describe("packed facts", () => {
  const reg = file("P.QLKH/dm.xlsx", {
    tasks: [
      task("NV-01", "B7", { approved: [{ source: "TONG", amount: "1500.25", at: { sheet: "DM", cell: "K7" } }] }),
      task("NV-02", "B8", { approved: [{ source: "TONG", amount: "12345678901234567.5", at: { sheet: "DM", cell: "K8" } }] }),
    ],
  });
  const fund = file("P.KHTC/kp.xlsx", {
    taskFunding: [
      { taskCode: "NV-01", year: 2024, measure: "de_xuat", source: "NSDP", amount: "50.5", at: { sheet: "KP", cell: "E9" }, codeAt: { sheet: "KP", cell: "B9" } },
      { taskCode: "NV-02", year: 2024, measure: "de_xuat", source: "NSDP", amount: "0.000001", at: { sheet: "KP", cell: "AB10" }, codeAt: { sheet: "KP", cell: "B10" } },
      { taskCode: "NV-02", year: 2025, measure: "du_toan", source: "NSTW", amount: "9999999999.5", at: { sheet: "KP 2", cell: "E3" }, codeAt: { sheet: "KP 2", cell: "C3" } },
    ],
    budgetLines: [{ line: "01", year: 2024, measure: "du_toan", source: "NSDP", amount: "7", at: { sheet: "DT", cell: "D5" } }],
    indicators: [{ key: "TDC|so luong", area: "TDC", label: "Số lượng", unit: "cái", sort: 1, at: { sheet: "CT", cell: "B4" } }],
    indicatorFacts: [{ key: "TDC|so luong", year: 2024, measure: "thuc_hien", value: "3.5", at: { sheet: "CT", cell: "E4" } }],
  });

  it("packs every fact once, with the code columns of its funding sheets", () => {
    const p = packFacts(fund);
    expect(p.n).toBe(5);
    expect(p.amount).toBeInstanceOf(BigInt64Array);
    expect([...p.amount]).toEqual([50_500_000n, 1n, 9_999_999_999_500_000n, 7_000_000n, 3_500_000n]);
    expect(p.codeColumns).toEqual([["KP", "B"], ["KP 2", "C"]]);
    expect(p.small[p.col[1]! - 1]).toBe("AB");
    expect(p.row[1]).toBe(10);
    // a figure past int64 in micro-units: the amounts become a plain list, exact
    const big = packFacts(reg);
    expect(Array.isArray(big.amount)).toBe(true);
    expect(big.amount[1]).toBe(12_345_678_901_234_567_500_000n);
    const sent = withPackedFacts(fund);
    expect(sent.taskFunding).toEqual([]);
    // the tasks cross packed (their approved amounts as facts), the objects given left as they were
    const regSent = withPackedFacts(reg);
    expect(regSent.tasks).toEqual([]);
    expect(regSent.packed!.tasks.code).toEqual(["NV-01", "NV-02"]);
    expect(reg.tasks.map((t) => t.approved.length)).toEqual([1, 1]);
    expect(sent.indicators).toEqual([]);
    expect(sent.packed!.indicators.key).toEqual(["TDC|so luong"]);
    expect(transferList(sent).length).toBeGreaterThan(0);
  });

  it("load exactly as the same facts given as objects", async () => {
    const asObjects = tempDb();
    const asPacked = tempDb();
    const files = [reg, fund];
    const byId = (fs: ParsedFile[]) => new Map(fs.map((f) => [f.fileId, f]));
    const objects = byId(files);
    const packed = byId(files.map(withPackedFacts));
    const a = await loadFiles(scanOf(files), async (f) => structuredClone(objects.get(f.fileId)!), { dbPath: asObjects, province });
    const parser = Object.assign(async (f: { fileId: string }) => packed.get(f.fileId)!, { concurrency: 2 });
    const b = await loadFiles(scanOf(files), parser, { dbPath: asPacked, province });
    expect(a.outcome).toBe("loaded");
    expect(b.outcome).toBe("loaded");
    expect(b.rowsLoaded).toBe(a.rowsLoaded);
    const d = await dump(asPacked);
    expect(d).toEqual(await dump(asObjects));
    expect((d as { approved: { a: string }[] }).approved.map((x) => x.a)).toContain("12345678901234567.500000");
  });
});
