import { describe, expect, it } from "vitest";
import { loadFiles, forgetFile } from "../../warehouse/load.js";
import { openCurrent, currentGeneration } from "../../warehouse/generations.js";
import { file, inbox, task, tempDb } from "./helpers.js";

const province = { code: "80", name: "Long An" };
const clock = () => new Date("2024-06-30T08:00:00Z");

async function dump(dbPath: string): Promise<unknown> {
  const db = await openCurrent(dbPath);
  try {
    return {
      tasks: await db.all("select task_code, title, file_id, cell from task order by all"),
      funding: await db.all("select task_code, year, measure_code, source_code, amount::varchar a, file_id, sheet, cell from fact_task_funding order by all"),
      approved: await db.all("select task_code, source_code, amount::varchar a from fact_task_approved order by all"),
    };
  } finally {
    db.close();
  }
}

const reg = file("P.QLKH/dm.xlsx", { tasks: [task("NV-01", "B7"), task("NV-02", "B8")] });
const fund = file("P.KHTC/kp.xlsx", {
  taskFunding: [
    { taskCode: "NV-01", year: 2024, measure: "de_xuat", source: "NSDP", amount: "50.5", at: { sheet: "KP", cell: "E9" } },
    { taskCode: "NV-02", year: 2024, measure: "de_xuat", source: "NSDP", amount: "20", at: { sheet: "KP", cell: "E10" } },
  ],
});

describe("loadFiles", () => {
  it("loads, keeps lineage, and is idempotent", async () => {
    const db = tempDb();
    const { scan, parse } = inbox([reg, fund]);
    const r = await loadFiles(scan, parse, { dbPath: db, province, now: clock });
    expect(r.outcome).toBe("loaded");
    expect(r.runId).toBe(1);
    expect(r.problems).toEqual([]);
    const d = (await dump(db)) as { funding: unknown[] };
    expect(d.funding).toContainEqual({ task_code: "NV-01", year: 2024, measure_code: "de_xuat", source_code: "NSDP", a: "50.500000", file_id: "P.KHTC/kp.xlsx", sheet: "KP", cell: "E9" });
    const again = await loadFiles(scan, parse, { dbPath: db, province, now: clock });
    expect(again.outcome).toBe("unchanged");
    expect(again.runId).toBeNull();
    expect(currentGeneration(db)!.number).toBe(1);
  });

  it("replaces what a changed file gave and lists old → new", async () => {
    const db = tempDb();
    const { scan, parse } = inbox([reg, fund]);
    await loadFiles(scan, parse, { dbPath: db, province, now: clock });
    const fund2 = file("P.KHTC/kp.xlsx", { taskFunding: [{ ...fund.taskFunding[0]!, amount: "60" }] }, "h2");
    const b = inbox([reg, fund2]);
    const r = await loadFiles(b.scan, b.parse, { dbPath: db, province, now: clock });
    expect(r.outcome).toBe("loaded");
    expect(r.changes.map((c) => [c.kind, c.key, c.old, c.new])).toEqual([
      ["updated", "NV-01 2024 de_xuat NSDP", "50.500000", "60.000000"],
      ["removed", "NV-02 2024 de_xuat NSDP", "20.000000", null],
    ]);
  });

  it("rejects a key given by two files, naming both places, and leaves the warehouse as it was", async () => {
    const db = tempDb();
    const a = inbox([reg, fund]);
    await loadFiles(a.scan, a.parse, { dbPath: db, province, now: clock });
    const before = await dump(db);
    const dup = file("P.KHTC/kp2.xlsx", { taskFunding: [{ ...fund.taskFunding[0]!, at: { sheet: "X", cell: "C3" } }] });
    const b = inbox([reg, fund, dup]);
    const r = await loadFiles(b.scan, b.parse, { dbPath: db, province, now: clock });
    expect(r.outcome).toBe("rejected");
    const p = r.problems.find((x) => x.code === "KEY_DUPLICATE")!;
    expect(p.place).toMatchObject({ file: "P.KHTC/kp2.xlsx", sheet: "X", cell: "C3", other: { file: "P.KHTC/kp.xlsx", sheet: "KP", cell: "E9" } });
    expect(await dump(db)).toEqual(before);
    // --accept-partial sets the offending file aside and loads the rest
    const c = await loadFiles(b.scan, b.parse, { dbPath: db, province, now: clock, acceptPartial: true });
    expect(c.files.find((f) => f.fileId === "P.KHTC/kp2.xlsx")!.status).toBe("rejected");
    // a file set aside for several figures given twice counts each of them (issue 15: it said 1)
    const many = file("P.KHTC/kp3.xlsx", { taskFunding: fund.taskFunding.map((x, i) => ({ ...x, at: { sheet: "X", cell: `C${i + 3}` } })) });
    expect(fund.taskFunding.length).toBeGreaterThan(1);
    const m = inbox([reg, fund, many]);
    const d = await loadFiles(m.scan, m.parse, { dbPath: db, province, now: clock, acceptPartial: true });
    const set = d.files.find((f) => f.fileId === "P.KHTC/kp3.xlsx")!;
    expect([set.status, set.errors]).toEqual(["rejected", fund.taskFunding.length]);
    expect(d.problems.filter((p) => p.code === "KEY_DUPLICATE" && p.place.file === "P.KHTC/kp3.xlsx")).toHaveLength(fund.taskFunding.length);
  });

  it("with --accept-partial, a changed file set aside keeps what its earlier version gave, and one seen first leaves nothing", async () => {
    // The run's staged rows sit in the warehouse's own tables (run_id = the run) until the run
    // commits: setting a file aside must drop exactly those, and never its earlier version's.
    const db = tempDb();
    const district = file("Huyen/dm.xlsx", { tasks: [task("NV-03", "C4")] });
    const first = inbox([reg, fund, district]);
    await loadFiles(first.scan, first.parse, { dbPath: db, province, now: clock });
    const before = await dump(db);
    // the register changed and now also lists NV-03, which the district's register (already in the
    // warehouse) has; a file seen first registers NV-01 again, which the register has either way
    const reg2 = file("P.QLKH/dm.xlsx", { tasks: [task("NV-01", "B7"), task("NV-02", "B8", { title: "đổi" }), task("NV-03", "B9")] }, "h2");
    const again = file("TDC/dm.xlsx", { tasks: [task("NV-01", "D4")] });
    const line = file("P.KHTC/dt.xlsx", {
      budgetLines: [{ line: "07", year: 2024, measure: "du_toan", source: "NSDP", amount: "12", at: { sheet: "B", cell: "C9" } }],
    });
    const b = inbox([reg2, fund, district, again, line]);
    const r = await loadFiles(b.scan, b.parse, { dbPath: db, province, now: clock, acceptPartial: true });
    expect(r.outcome).toBe("partial");
    expect(r.files.map((f) => [f.fileId, f.status])).toEqual([
      ["P.QLKH/dm.xlsx", "rejected"],
      ["P.KHTC/kp.xlsx", "unchanged"],
      ["Huyen/dm.xlsx", "unchanged"],
      ["TDC/dm.xlsx", "rejected"],
      ["P.KHTC/dt.xlsx", "loaded"],
    ]);
    expect(await dump(db)).toEqual(before);
    const w = await openCurrent(db);
    try {
      expect(await w.all("select file_id, count(*)::integer n from task group by all order by all")).toEqual([
        { file_id: "Huyen/dm.xlsx", n: 1 },
        { file_id: "P.QLKH/dm.xlsx", n: 2 },
      ]);
      expect(await w.all("select file_id, sha256 from source_file order by all")).toEqual([
        { file_id: "Huyen/dm.xlsx", sha256: "h-Huyen/dm.xlsx" },
        { file_id: "P.KHTC/dt.xlsx", sha256: "h-P.KHTC/dt.xlsx" },
        { file_id: "P.KHTC/kp.xlsx", sha256: "h-P.KHTC/kp.xlsx" },
        { file_id: "P.QLKH/dm.xlsx", sha256: "h-P.QLKH/dm.xlsx" },
      ]);
      expect(await w.all("select line_code, amount::varchar a, run_id from fact_budget_line")).toEqual([{ line_code: "07", a: "12.000000", run_id: 2 }]);
    } finally {
      w.close();
    }
  });

  it("rejects funding for an unknown task and a task code registered twice", async () => {
    const db = tempDb();
    const f0 = fund.taskFunding[0]!;
    const orphan = file("P.KHTC/kp.xlsx", { taskFunding: [{ ...f0, taskCode: "NV-99", codeAt: { sheet: f0.at.sheet, cell: "A" + f0.at.cell.replace(/^[A-Z]+/, "") } }] });
    const twice = file("Huyen/dm.xlsx", { tasks: [task("NV-01", "C4")] });
    const { scan, parse } = inbox([reg, orphan, twice]);
    const r = await loadFiles(scan, parse, { dbPath: db, province, now: clock });
    expect(r.outcome).toBe("rejected");
    expect(r.problems.map((p) => p.code).sort()).toEqual(["FUNDING_UNKNOWN_TASK", "TASK_CODE_DUPLICATE"]);
    // at the cell holding the unknown code, which is what a person corrects (issue 15)
    const unknown = r.problems.find((p) => p.code === "FUNDING_UNKNOWN_TASK")!;
    expect(unknown.place).toEqual({ file: "P.KHTC/kp.xlsx", sheet: "KP", cell: "A9" });
    expect(unknown.en).toContain("KP!A9");
    expect(currentGeneration(db)).toBeNull();
  });

  it("warns on a figure 1 000 times its previous year's", async () => {
    const db = tempDb();
    const f = file("P.KHTC/bl.xlsx", {
      budgetLines: [
        { line: "07", year: 2022, measure: "du_toan", source: "NSDP", amount: "39.5", at: { sheet: "B", cell: "C9" } },
        { line: "07", year: 2023, measure: "du_toan", source: "NSDP", amount: "39500", at: { sheet: "B", cell: "D9" } },
      ],
    });
    const { scan, parse } = inbox([f]);
    const r = await loadFiles(scan, parse, { dbPath: db, province, now: clock });
    expect(r.outcome).toBe("loaded");
    expect(r.problems.find((p) => p.code === "UNIT_JUMP_1000X")?.place).toMatchObject({ file: "P.KHTC/bl.xlsx", cell: "D9" });
  });

  it("reads the first file before the warehouse is opened, and runs prepare before any file is staged, inside the run", async () => {
    const db = tempDb();
    const { scan, parse } = inbox([reg, fund]);
    const events: string[] = [];
    const r = await loadFiles(scan, (f) => (events.push(`parse ${f.fileId}`), parse(f)), {
      dbPath: db,
      province,
      now: clock,
      checkpoint: (p) => events.push(p),
      prepare: async (w) => {
        events.push(`prepare, staged files: ${(await w.all<{ n: number }>("select count(*)::int n from ld_file"))[0]!.n}`);
        await w.run("create view prepared_here as select 1 as x");
      },
    });
    expect(r.outcome).toBe("loaded");
    // the parser's window (one file here) opens first; prepare runs once the warehouse is open
    expect(events.slice(0, 2)).toEqual(["parse P.QLKH/dm.xlsx", "copied"]);
    expect(events.indexOf("prepare, staged files: 0")).toBeGreaterThan(events.indexOf("opened"));
    expect(events.indexOf("prepare, staged files: 0")).toBeLessThan(events.indexOf("parsed:1"));
    // what prepare did is part of the generation the run published …
    const w = await openCurrent(db);
    try {
      expect(await w.all("select x from prepared_here")).toEqual([{ x: 1 }]);
    } finally {
      w.close();
    }
    // … and of nothing when the run is rejected: the warehouse stays as it was
    const bad = file("P.KHTC/kp9.xlsx", { taskFunding: [{ ...fund.taskFunding[0]!, taskCode: "NV-99", at: { sheet: "KP", cell: "E20" } }] });
    const b = inbox([reg, fund, bad]);
    const rejected = await loadFiles(b.scan, b.parse, { dbPath: db, province, now: clock, prepare: async (x) => x.run("create view rejected_here as select 1 as x") });
    expect(rejected.outcome).toBe("rejected");
    const after = await openCurrent(db);
    try {
      expect(await after.all("select count(*)::int n from duckdb_views() where view_name = 'rejected_here'")).toEqual([{ n: 0 }]);
    } finally {
      after.close();
    }
  });

  it("forgets a file, refusing while other files' funding needs its tasks", async () => {
    const db = tempDb();
    const { scan, parse } = inbox([reg, fund]);
    await loadFiles(scan, parse, { dbPath: db, province, now: clock });
    const refused = await forgetFile("P.QLKH/dm.xlsx", { dbPath: db, province, now: clock });
    expect(refused.outcome).toBe("rejected");
    expect(refused.problems[0]!.code).toBe("FUNDING_UNKNOWN_TASK");
    const ok = await forgetFile("P.KHTC/kp.xlsx", { dbPath: db, province, now: clock });
    expect(ok.outcome).toBe("loaded");
    expect(ok.changeCounts.removed).toBe(2);
    expect(((await dump(db)) as { funding: unknown[] }).funding).toEqual([]);
  });
});
