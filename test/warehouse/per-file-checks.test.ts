// The cross-file checks, unit jumps and diff are made file by file as the files are staged (while
// the reading worker parses the next one) and only read at the run's end. They must give exactly
// what the same checks over the whole run give (perFileChecks: false): the same problems in the
// same order, cut at the same 1 000th, the same changes — against staged files before and after,
// the warehouse, and warehouse files the run replaces (whose pairs found early must be dropped).
import { copyFileSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { factsChecksum, KEYED, loadFiles, type LoadReport } from "../../warehouse/load.js";
import { currentGeneration, openCurrent, publish } from "../../warehouse/generations.js";
import type { BudgetLineFact, ParsedFile, TaskFundingFact } from "../../warehouse/model.js";
import { file, inbox, task, tempDb } from "./helpers.js";
import { StagedJumps } from "../../warehouse/jumps.js";
import { fixedDecimal } from "../../core/money.js";
import { packFacts } from "../../warehouse/pack.js";

const province = { code: "80", name: "Long An" };
const clock = () => new Date("2024-06-30T08:00:00Z");

const funding = (taskCode: string, year: number, amount: string, cell: string, sheet = "KP"): TaskFundingFact => ({
  taskCode, year, measure: "de_xuat", source: "NSDP", amount, at: { sheet, cell },
});
const line = (code: string, year: number, amount: string, cell: string, sheet = "B"): BudgetLineFact => ({
  line: code, year, measure: "du_toan", source: "NSDP", amount, at: { sheet, cell },
});
const indicator = (key: string, year: number, value: string, cell: string) => ({ key, year, measure: "thuc_hien" as const, value, at: { sheet: "CT", cell } });

/** Many budget lines: with three files giving them, more than 1 000 pairs (the cut). */
const many = (year: number, col: string): BudgetLineFact[] =>
  Array.from({ length: 700 }, (_, i) => line(`L${String(i + 1).padStart(4, "0")}`, year, String(i + 1), `${col}${i + 5}`, "BIG"));

// the warehouse before the runs compared
const reg = file("P.QLKH/dm.xlsx", { tasks: [task("NV-01", "B7"), task("NV-02", "B8"), task("NV-03", "B9")] });
const kp = file("P.KHTC/kp.xlsx", {
  taskFunding: [
    funding("NV-01", 2023, "10", "D7"), funding("NV-01", 2024, "20", "E7"),
    funding("NV-02", 2023, "10", "D8"), funding("NV-02", 2024, "20", "E8"),
    funding("NV-03", 2023, "10", "D9"), funding("NV-03", 2024, "20", "E9"),
  ],
});
const dt = file("P.KHTC/dt.xlsx", { budgetLines: [line("07", 2023, "5", "C7"), line("08", 2023, "7", "C8"), line("12", 2023, "1", "C12")] });
const w = file("W/w.xlsx", { budgetLines: [line("11", 2023, "2", "C11"), ...many(2025, "D")], indicatorFacts: [indicator("CT-01", 2023, "3", "C3")] });

async function warehouse(): Promise<string> {
  const db = tempDb();
  const { scan, parse } = inbox([reg, kp, dt, w]);
  const r = await loadFiles(scan, parse, { dbPath: db, province, now: clock });
  expect([r.outcome, r.problems]).toEqual(["loaded", []]);
  return db;
}

/** A second warehouse exactly like the first (its generation copied, the link pointing at it). */
function twin(db: string): string {
  const other = tempDb();
  const cur = currentGeneration(db)!;
  mkdirSync(`${other}.gens`, { recursive: true });
  copyFileSync(cur.path, join(`${other}.gens`, cur.path.slice(dirname(cur.path).length + 1)));
  publish(other, cur.number);
  return other;
}

async function facts(db: string, code = province.code): Promise<unknown> {
  if (!currentGeneration(db)) return null;
  const c = await openCurrent(db);
  try {
    return {
      lines: await c.all("select line_code, year, amount::varchar a, file_id, cell, run_id from fact_budget_line order by all"),
      funding: await c.all("select task_code, year, amount::varchar a, file_id, cell, run_id from fact_task_funding order by all"),
      tasks: await c.all("select task_code, file_id, cell, run_id from task order by all"),
      files: await c.all("select file_id, sha256, run_id from source_file order by all"),
      // the checksum summed file by file as the run went is the one of the facts as they are
      checksums: await c.all("select run_id, checksum from load_run order by all"),
      now: await factsChecksum(c, code),
    };
  } finally {
    c.close();
  }
}

/** The same run on two like warehouses, file by file and over the whole run: the reports must be one. */
async function both(files: ParsedFile[], acceptPartial = false, empty = false, prov = province): Promise<LoadReport> {
  const a = empty ? tempDb() : await warehouse();
  const b = empty ? tempDb() : twin(a);
  const run = (db: string, perFileChecks: boolean) => {
    const { scan, parse } = inbox(files);
    return loadFiles(scan, parse, { dbPath: db, province: prov, now: clock, acceptPartial, perFileChecks });
  };
  const perFile = await run(a, true);
  const whole = await run(b, false);
  expect(perFile).toEqual(whole);
  const fa = (await facts(a, prov.code)) as { checksums: { checksum: string }[]; now: string } | null;
  expect(fa).toEqual(await facts(b, prov.code));
  if (perFile.runId !== null) expect(fa!.checksums.at(-1)!.checksum).toBe(fa!.now);
  return perFile;
}

// Files of a run with problems across files. In this order: new1 meets the warehouse's dt.xlsx,
// which the run replaces after it (that pair goes; the new dt.xlsx meets new1 itself), and kp.xlsx,
// which stays; late.xlsx meets new1 and kp.xlsx; big and big2 meet each other and w.xlsx.
const new1 = file("A/new1.xlsx", {
  tasks: [task("NV-02", "B4"), task("NV-50", "B5"), task("NV-60", "B6")],
  taskFunding: [funding("NV-01", 2024, "1", "C4", "N")],
  budgetLines: [line("07", 2023, "1", "C5", "N"), line("12", 2023, "1", "C6", "N")],
  indicatorFacts: [indicator("CT-01", 2023, "4", "D3")],
});
const bigA = file("B/big.xlsx", { budgetLines: many(2025, "E") });
const dt2 = file("P.KHTC/dt.xlsx", { budgetLines: [line("07", 2023, "4", "C7"), line("07", 2024, "5000", "D7"), line("08", 2024, "8", "D8")] }, "h2-dt");
const reg2 = file("P.QLKH/dm.xlsx", { tasks: [task("NV-01", "B7"), task("NV-02", "B8"), task("NV-03", "B9"), task("NV-60", "B10")] }, "h2-dm");
const bigB = file("C/big2.xlsx", { budgetLines: many(2025, "F") });
const late = file("Z/late.xlsx", {
  tasks: [task("NV-50", "B3")],
  taskFunding: [funding("NV-01", 2024, "2", "C9", "L"), funding("NV-50", 2024, "2", "C10", "L")],
  indicatorFacts: [indicator("CT-01", 2023, "5", "E3")],
});

describe("checks made file by file as the files are staged", () => {
  it("give the problems of the checks over the whole run, in their order and cut at the same 1 000th", async () => {
    const r = await both([new1, bigA, dt2, reg2, bigB, late]);
    expect(r.outcome).toBe("rejected");
    const dups = r.problems.filter((p) => p.code === "KEY_DUPLICATE");
    expect(dups).toHaveLength(1000);
    // the first ones, in the order the problems have always had (by the reported fact's place)
    expect(dups.slice(0, 5).map((p) => [p.place.file, p.place.cell, p.place.other!.file, p.place.other!.cell])).toEqual([
      ["A/new1.xlsx", "D3", "W/w.xlsx", "C3"],
      ["A/new1.xlsx", "D3", "Z/late.xlsx", "E3"],
      ["A/new1.xlsx", "C4", "P.KHTC/kp.xlsx", "E7"],
      ["A/new1.xlsx", "C4", "Z/late.xlsx", "C9"],
      ["A/new1.xlsx", "C5", "P.KHTC/dt.xlsx", "C7"],
    ]);
    // no pair with the warehouse's dt.xlsx, which the run replaces: its line 12 is no one's twice
    expect(dups.some((p) => p.place.other!.file === "P.KHTC/dt.xlsx" && p.place.other!.cell === "C12")).toBe(false);
    // each of big.xlsx's lines twice (the cells in text order): against big2.xlsx, then against w.xlsx
    expect(dups.slice(5, 7).map((p) => [p.place.file, p.place.cell, p.place.other!.file])).toEqual([
      ["B/big.xlsx", "E10", "C/big2.xlsx"],
      ["B/big.xlsx", "E10", "W/w.xlsx"],
    ]);
    const tasks = r.problems.filter((p) => p.code === "TASK_CODE_DUPLICATE").map((p) => [p.place.file, p.place.cell, p.place.other!.file, p.place.other!.cell]);
    // NV-60 against the register's new version (staged after), not its earlier one (replaced)
    expect(tasks).toEqual([
      ["A/new1.xlsx", "B4", "P.QLKH/dm.xlsx", "B8"],
      ["A/new1.xlsx", "B5", "Z/late.xlsx", "B3"],
      ["A/new1.xlsx", "B6", "P.QLKH/dm.xlsx", "B10"],
    ]);
  });

  it("the same in a province's first load (an empty warehouse: only the staged files are read)", async () => {
    const r = await both([reg, new1, kp, w, late], false, true);
    expect(r.outcome).toBe("rejected");
    expect(r.problems.map((p) => [p.code, p.place.file, p.place.cell, p.place.other?.file, p.place.other?.cell])).toEqual([
      ["KEY_DUPLICATE", "A/new1.xlsx", "D3", "W/w.xlsx", "C3"],
      ["KEY_DUPLICATE", "A/new1.xlsx", "D3", "Z/late.xlsx", "E3"],
      ["KEY_DUPLICATE", "A/new1.xlsx", "C4", "P.KHTC/kp.xlsx", "E7"],
      ["KEY_DUPLICATE", "A/new1.xlsx", "C4", "Z/late.xlsx", "C9"],
      ["KEY_DUPLICATE", "P.KHTC/kp.xlsx", "E7", "Z/late.xlsx", "C9"],
      ["KEY_DUPLICATE", "W/w.xlsx", "C3", "Z/late.xlsx", "E3"],
      ["TASK_CODE_DUPLICATE", "A/new1.xlsx", "B4", "P.QLKH/dm.xlsx", "B8"],
      ["TASK_CODE_DUPLICATE", "A/new1.xlsx", "B5", "Z/late.xlsx", "B3"],
    ]);
    const ok = await both([reg, w, file("A/a.xlsx", { budgetLines: [line("11", 2024, "8000", "C11")] }), kp], false, true);
    expect(ok.problems.map((p) => [p.code, p.place.file, p.place.cell])).toEqual([["UNIT_JUMP_1000X", "A/a.xlsx", "C11"]]);
  });

  it("the same when many files of one kind make the run go over to the checks over the whole run", async () => {
    // each file meets every earlier one of its kind: past a few, the checks are made once at the end
    const make = (twice: boolean) =>
      Array.from({ length: 8 }, (_, i) =>
        file(`M${i}/m.xlsx`, {
          budgetLines: [...(twice ? [line("L0001", 2025, String(i + 1), `C${i + 2}`)] : []), line(`X${i}`, 2024, "1", "D2"), line(`X${i}`, 2025, "5000", "E2")],
        }),
      );
    const files = make(true);
    const r = await both(files);
    expect(r.problems.filter((p) => p.code === "KEY_DUPLICATE")).toHaveLength(8 + (8 * 7) / 2);
    const partial = await both(make(true), true);
    expect(partial.files.filter((f) => f.status === "loaded").map((f) => f.fileId)).toEqual([]);
    const clean = await both(make(false));
    expect(clean.problems.map((p) => [p.code, p.place.file, p.place.cell])).toEqual(files.map((_, i) => ["UNIT_JUMP_1000X", `M${i}/m.xlsx`, "E2"]));
  });

  it("with --accept-partial: the same files set aside, problems, changes and warehouse", async () => {
    const r = await both([new1, bigA, dt2, reg2, bigB, late], true);
    expect(r.outcome).toBe("partial");
    expect(r.files.filter((f) => f.status === "loaded").map((f) => f.fileId)).toEqual(["P.KHTC/dt.xlsx", "P.QLKH/dm.xlsx"]);
    expect(r.problems.some((p) => p.code === "UNIT_JUMP_1000X" && p.place.cell === "D7")).toBe(true);
    expect(r.changes.length).toBeGreaterThan(0);
  });

  it("give the unit jumps and changes of the whole run: within a file, across staged files, against the warehouse", async () => {
    // a.xlsx, staged first: line 10 jumps against the year before in dt.xlsx, staged after it;
    // line 11 against w.xlsx, which stays; line 12 against the warehouse's dt.xlsx only, which
    // the run replaces with a version without line 12 — no jump
    const a = file("A/a.xlsx", { budgetLines: [line("10", 2024, "9000", "C10"), line("11", 2024, "8000", "C11"), line("12", 2024, "6000", "C12")] });
    const dt3 = file("P.KHTC/dt.xlsx", {
      budgetLines: [line("07", 2023, "4", "C7"), line("07", 2024, "5000", "D7"), line("08", 2024, "7000", "D8"), line("10", 2023, "3", "C10")],
    }, "h3-dt");
    const kp2 = file("P.KHTC/kp.xlsx", {
      taskFunding: [funding("NV-01", 2024, "25", "E7"), funding("NV-01", 2025, "25000", "F7"), funding("NV-03", 2023, "10", "D9"), funding("NV-03", 2024, "20000", "E9")],
    }, "h2-kp");
    const ind = file("T/ct.xlsx", { indicatorFacts: [indicator("CT-01", 2024, "3000", "D3")] });
    const r = await both([a, dt3, kp2, ind]);
    expect(r.outcome).toBe("loaded");
    expect(r.problems.map((p) => [p.code, p.place.file, p.place.cell])).toEqual([
      ["UNIT_JUMP_1000X", "A/a.xlsx", "C10"],
      ["UNIT_JUMP_1000X", "A/a.xlsx", "C11"],
      ["UNIT_JUMP_1000X", "P.KHTC/dt.xlsx", "D7"],
      ["UNIT_JUMP_1000X", "P.KHTC/kp.xlsx", "E9"],
      ["UNIT_JUMP_1000X", "P.KHTC/kp.xlsx", "F7"],
      ["UNIT_JUMP_1000X", "T/ct.xlsx", "D3"],
    ]);
    expect(r.changes.map((c) => [c.kind, c.fileId, c.key, c.old, c.new])).toEqual([
      ["updated", "P.KHTC/dt.xlsx", "07 2023 du_toan NSDP", "5.000000", "4.000000"],
      ["added", "P.KHTC/dt.xlsx", "07 2024 du_toan NSDP", null, "5000.000000"],
      ["removed", "P.KHTC/dt.xlsx", "08 2023 du_toan NSDP", "7.000000", null],
      ["added", "P.KHTC/dt.xlsx", "08 2024 du_toan NSDP", null, "7000.000000"],
      ["added", "P.KHTC/dt.xlsx", "10 2023 du_toan NSDP", null, "3.000000"],
      ["removed", "P.KHTC/dt.xlsx", "12 2023 du_toan NSDP", "1.000000", null],
      ["removed", "P.KHTC/kp.xlsx", "NV-01 2023 de_xuat NSDP", "10.000000", null],
      ["updated", "P.KHTC/kp.xlsx", "NV-01 2024 de_xuat NSDP", "20.000000", "25.000000"],
      ["added", "P.KHTC/kp.xlsx", "NV-01 2025 de_xuat NSDP", null, "25000.000000"],
      ["removed", "P.KHTC/kp.xlsx", "NV-02 2023 de_xuat NSDP", "10.000000", null],
      ["removed", "P.KHTC/kp.xlsx", "NV-02 2024 de_xuat NSDP", "20.000000", null],
      ["updated", "P.KHTC/kp.xlsx", "NV-03 2024 de_xuat NSDP", "20.000000", "20000.000000"],
    ]);
    // the first loads' figures are counted as additions, not listed
    expect(r.changeCounts).toEqual({ added: 4 + 3 + 1, updated: 3, removed: 5 });
  });

  it("find the unit jumps between staged files as DuckDB's join does, to the last digit of the rule's edge", async () => {
    // figures exactly 1 000 × the year before, a micro-unit either side, tiny and large ones, zero
    // and negative ones; each year's figures in another file, staged in no year order, and two
    // years in one file for some lines. The jumps between staged files come from jumps.ts, the
    // whole run's from SQL: the reports must be one.
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648), seed / 2147483648);
    const base = () => [1n, 3n, 7n, 100_003n, 999_999n, 1_234_567n, 3_000_000_000n, 4_503_599_627n][Math.floor(rnd() * 8)]!;
    const years = [2023, 2022, 2025, 2024];
    const byYear = new Map<number, BudgetLineFact[]>(years.map((y) => [y, []]));
    for (let i = 0; i < 120; i++) {
      let m = base() * BigInt(1 + Math.floor(rnd() * 3));
      for (const y of [2022, 2023, 2024, 2025]) {
        const row = i + 5;
        byYear.get(y)!.push(line(`J${i}`, y, fixedDecimal(m), `${"CDEF"[y - 2022]}${row}`, "J"));
        const r = rnd();
        m = r < 0.3 ? m * 1000n : r < 0.45 ? m * 1000n - 1n : r < 0.6 ? m * 1000n + 1n : r < 0.7 ? 0n : r < 0.75 ? -m : m * 999n;
        if (m > 4_000_000_000_000_000n || m < -4_000_000_000_000_000n) m = base();
      }
    }
    const files = years.map((y, k) => file(`Y${k}/y.xlsx`, { budgetLines: byYear.get(y)! }));
    // line J0's entity code under another kind, measure or source, ≥ 1 000 × its 2023 figures:
    // each is another key, so no jump
    files.push(file("K/k.xlsx", {
      budgetLines: [{ ...line("J0", 2024, "5000000000", "C3", "K"), source: "NSTW" }, { ...line("J0", 2024, "5000000000", "C4", "K"), measure: "thuc_hien" }],
      tasks: [task("J0", "B5")],
      taskFunding: [funding("J0", 2024, "5000000000", "C5", "K")],
      indicatorFacts: [indicator("J0", 2024, "5000000000", "C6")],
    }));
    // two years of some lines in one file: the jump inside the file
    files.push(file("Z/two.xlsx", { budgetLines: [line("T1", 2024, "0.000003", "C3", "T"), line("T1", 2025, "0.003", "D3", "T"), line("T2", 2024, "0.1", "C4", "T"), line("T2", 2025, "100", "D4", "T")] }));
    const r = await both(files, false, true);
    const jumps = r.problems.filter((p) => p.code === "UNIT_JUMP_1000X");
    expect(jumps.length).toBeGreaterThan(50);
    expect(r.problems.length).toBe(jumps.length);
    // and the index gave them (it did not give up): a file meets the files before it
    const idx = new StagedJumps(KEYED);
    const found = files.map((f) => idx.add(f.fileId, "", packFacts(f)));
    expect(found.every((x) => x !== null)).toBe(true);
    expect(found.reduce((n, x) => n + x!.length, 0)).toBe(jumps.length);
  });

  it("go back to SQL for the rest of the run at a figure DuckDB would not make the same double (≥ 2^53 micro-units)", async () => {
    const huge = "9007199254.740993"; // 2^53 + 1 micro-units
    const files = [
      // line 14: 0.009 is not 1 000 × 0.000009 as doubles (9e-6 × 1 000 = 0.009000000000000001)
      file("A/a.xlsx", { budgetLines: [line("10", 2023, "0.000009", "C10"), line("11", 2024, "9", "C11"), line("14", 2023, "0.000009", "C14")] }),
      file("B/b.xlsx", { budgetLines: [line("10", 2024, "0.009001", "D10"), line("12", 2023, "9007199.25474", "C12"), line("14", 2024, "0.009", "D14")] }),
      file("C/c.xlsx", { budgetLines: [line("12", 2024, huge, "D12"), line("11", 2023, "0.009", "C11")] }),
      file("D/d.xlsx", { budgetLines: [line("13", 2023, "0.004", "C13"), line("11", 2025, "9000", "E11")] }),
      file("E/e.xlsx", { budgetLines: [line("13", 2024, "4", "D13")] }),
    ];
    const r = await both(files, false, true);
    expect(r.problems.map((p) => [p.code, p.place.file, p.place.cell, p.data?.previous])).toEqual([
      ["UNIT_JUMP_1000X", "A/a.xlsx", "C11", "0.009000"],
      ["UNIT_JUMP_1000X", "B/b.xlsx", "D10", "0.000009"],
      ["UNIT_JUMP_1000X", "C/c.xlsx", "D12", "9007199.254740"],
      ["UNIT_JUMP_1000X", "D/d.xlsx", "E11", "9.000000"],
      ["UNIT_JUMP_1000X", "E/e.xlsx", "D13", "0.004000"],
    ]);
    const idx = new StagedJumps(KEYED);
    expect(files.map((f) => idx.add(f.fileId, "", packFacts(f))?.length ?? null)).toEqual([0, 1, null, null, null]);
    // and past its limit of figures kept (memory the join did not need)
    const small = new StagedJumps(KEYED, 5);
    expect(files.slice(0, 2).map((f) => small.add(f.fileId, "", packFacts(f))?.length ?? null)).toEqual([0, null]);
    // a figure past int64 in micro-units (staged as DECIMAL(38,6)), in a run checked file by file to
    // its end: its jump and its part of the running checksum as the whole run's
    // a merged department's former provinces: the same line and year are two keys, one each
    const merged = await both([
      file("80 Long An/a.xlsx", { budgetLines: [line("30", 2023, "1", "C30")] }),
      file("72 Tay Ninh/b.xlsx", { budgetLines: [line("30", 2024, "5000", "D30")] }),
      file("80 Long An/c.xlsx", { budgetLines: [line("30", 2024, "4000", "D30")] }),
    ], false, true, { code: "80", name: "Tây Ninh" });
    expect(merged.problems.map((p) => [p.code, p.place.file, p.place.cell])).toEqual([["UNIT_JUMP_1000X", "80 Long An/c.xlsx", "D30"]]);
    const wide = await both([
      file("A/a.xlsx", { budgetLines: [line("15", 2023, "10000000000", "C15")] }),
      file("B/b.xlsx", { budgetLines: [line("15", 2024, "10000000000000.5", "D15"), line("16", 2024, "1", "D16")] }),
    ], false, true);
    expect(wide.problems.map((p) => [p.code, p.place.cell, p.data?.amount])).toEqual([["UNIT_JUMP_1000X", "D15", "10000000000000.500000"]]);
  });

  it("leave the parsed file as the parser gave it: a file of a former province not taken in is refused each time once", async () => {
    // Tây Ninh (72) took Long An (80) in; Đồng Nai did not take Tây Ninh's former folder
    const f = file("72 Tay Ninh/b.xlsx", { budgetLines: [line("30", 2024, "5", "D30")] });
    const before = [...f.problems];
    const dongNai = { code: "75", name: "Đồng Nai" };
    for (let i = 0; i < 2; i++) {
      const r = await both([f], false, true, dongNai);
      expect([r.outcome, r.problems.map((p) => [p.code, p.place.file])]).toEqual(["rejected", [["FOLDER_NOT_FORMER_UNIT", "72 Tay Ninh/b.xlsx"]]]);
      expect(r.files.map((x) => [x.status, x.errors])).toEqual([["rejected", 1]]);
    }
    expect(f.problems).toEqual(before);
  });
});
