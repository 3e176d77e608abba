// A load's data tests run on its facts once they are committed to the new generation, before its
// run record is written and committed: a failing one (an error) still leaves the warehouse exactly
// as it was — the same link, the same generation files, not a byte of them changed — and the
// report says which test failed where.
import { describe, expect, it } from "vitest";
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, readlinkSync } from "node:fs";
import { afterLoad } from "../../etl/commands.js";
import { loadFiles } from "../../warehouse/load.js";
import { currentGeneration, gensDir, openCurrent } from "../../warehouse/generations.js";
import { dumpWarehouse } from "../reliability/helpers.js";
import { file, inbox, task, tempDb } from "./helpers.js";

const province = { code: "80", name: "Long An" };
const clock = () => new Date("2024-06-30T08:00:00Z");

/** The link, the generation files and the current one's bytes. */
function state(db: string) {
  return {
    link: readlinkSync(db),
    files: readdirSync(gensDir(db)).sort(),
    sha: createHash("sha256").update(readFileSync(currentGeneration(db)!.path)).digest("hex"),
  };
}

const reg = (v: string, extra: Parameters<typeof task>[2] = {}) =>
  file("P.QLKH/dm.xlsx", { tasks: [task("NV-01", "B7"), task("NV-02", "B8", extra)] }, `reg-${v}`);
const fund = file("P.KHTC/kp.xlsx", {
  taskFunding: [{ taskCode: "NV-01", year: 2024, measure: "du_toan", source: "NSDP", amount: "50.5", at: { sheet: "KP", cell: "E9" } }],
});

describe("a load's data tests, on its committed facts", () => {
  it("a failing one leaves the warehouse exactly as it was, and the report says why", async () => {
    const db = tempDb();
    const first = inbox([reg("a"), fund]);
    const ok = await loadFiles(first.scan, first.parse, { dbPath: db, province, now: clock, afterLoad });
    expect([ok.outcome, ok.runId, ok.problems]).toEqual(["loaded", 1, []]);
    const before = state(db);
    const dump = await dumpWarehouse(db);

    // a task that ends before it starts: nothing but the data test task_period_order finds it
    const bad = inbox([reg("b", { start: "2024-12", end: "2023-01" }), fund]);
    const points: string[] = [];
    const r = await loadFiles(bad.scan, bad.parse, { dbPath: db, province, now: clock, afterLoad, checkpoint: (p) => points.push(p) });
    // the data tests ran after the facts' commit; no run record was written
    expect(points.slice(points.indexOf("committed-staging"))).toEqual(["committed-staging", "facts-committed", "data-tested"]);
    expect(r.outcome).toBe("rejected");
    expect(r.runId).toBeNull();
    expect(r.rowsLoaded).toBe(0);
    expect(r.files.map((f) => [f.fileId, f.status])).toEqual([["P.QLKH/dm.xlsx", "rejected"], ["P.KHTC/kp.xlsx", "unchanged"]]);
    expect(r.problems.map((p) => [p.code, p.severity, p.place])).toEqual([
      ["DATA_TEST_TASK_PERIOD_ORDER", "error", { file: "P.QLKH/dm.xlsx", sheet: "DM", cell: "B8" }],
    ]);
    expect(r.problems[0]!.vi).toBe("Nhiệm vụ có thời gian kết thúc trước thời gian bắt đầu — NV-02: 12/2024 - 01/2023");
    expect(r.problems[0]!.en).toBe("Task ends before it starts — NV-02: 12/2024 - 01/2023");

    // the generation its facts were committed to is gone, unpublished; the current one untouched
    expect(state(db)).toEqual(before);
    expect(existsSync(`${gensDir(db)}/000002.duckdb.wal`)).toBe(false);
    expect(await dumpWarehouse(db)).toEqual(dump);

    // and the next load works, as the second run
    const fixed = inbox([reg("c"), fund]);
    const next = await loadFiles(fixed.scan, fixed.parse, { dbPath: db, province, now: clock, afterLoad });
    expect([next.outcome, next.runId]).toEqual(["loaded", 2]);
    const w = await openCurrent(db);
    try {
      expect(await w.all("select run_id, outcome from load_run order by run_id")).toEqual([
        { run_id: 1, outcome: "loaded" },
        { run_id: 2, outcome: "loaded" },
      ]);
    } finally {
      w.close();
    }
  });
});
