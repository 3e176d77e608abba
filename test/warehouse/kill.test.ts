// A killed load never leaves a half-loaded warehouse: after a SIGKILL at any point of a load the
// warehouse opens and equals either the state before that load or the state after it.
import { describe, expect, it } from "vitest";
import { spawn } from "node:child_process";
import { cpSync, existsSync, readlinkSync, symlinkSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { currentGeneration, gensDir, listGenerations, openCurrent } from "../../warehouse/generations.js";
import { openDb } from "../../warehouse/db.js";
import { tempDb } from "./helpers.js";

const here = dirname(fileURLToPath(import.meta.url));
const child = join(here, "kill-child.ts");

function runChild(db: string, variant: string, killAt = "", killAfterMs?: number): Promise<{ code: number | null; signal: string | null; out: string }> {
  return new Promise((res) => {
    const p = spawn(process.execPath, ["--import", "tsx", child, db, variant, killAt], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    p.stdout.on("data", (d) => (out += d));
    p.stderr.on("data", (d) => (out += d));
    const t = killAfterMs !== undefined ? setTimeout(() => p.kill("SIGKILL"), killAfterMs) : undefined;
    p.on("exit", (code, signal) => {
      if (t) clearTimeout(t);
      res({ code, signal, out });
    });
  });
}

async function dump(db: string): Promise<string> {
  const w = await openCurrent(db);
  try {
    const parts = await Promise.all(
      ["fact_task_funding", "fact_task_approved", "fact_indicator", "task", "indicator", "source_file"].map((t) =>
        w.all(`select * exclude (${t.startsWith("fact") ? "fact_id, run_id" : t === "source_file" ? "run_id, mtime" : "run_id"}) from ${t} order by all`),
      ),
    );
    return JSON.stringify(parts);
  } finally {
    w.close();
  }
}

describe("killed loads", () => {
  it("leave the warehouse as before or as after, at every named point and at seeded random moments", async () => {
    // before: variant A loaded; after: A then B loaded (computed once, on a copy, without kills)
    const { base, before, after } = await beforeAndAfter();

    // every point of a load in order: the facts' commit, the data tests on them and the run
    // record's commit come before the publishing, and a kill at any of them leaves "before"
    const points = [
      "copied", "opened", "parsed:1", "parsed:3", "checked", "committed-staging",
      "facts-committed", "data-tested", "run-recorded", "committed", "checkpointed",
    ];
    const outcomes: string[] = [];
    for (const point of points) {
      const db = copyOf(base);
      const r = await runChild(db, "B", point);
      expect(r.signal).toBe("SIGKILL");
      const d = await dump(db);
      expect([before, after]).toContain(d);
      outcomes.push(d === before ? "before" : "after");
      // the next load takes over the dead run's lock and finishes
      expect((await runChild(db, "B")).out).toContain("done");
      expect(await dump(db)).toEqual(after);
    }
    expect(outcomes.every((o) => o === "before")).toBe(true);

    // Seeded random moments from outside the process (process start included).
    const delays = fc.sample(fc.integer({ min: 50, max: 2500 }), { numRuns: 6, seed: 20241128 });
    for (const ms of delays) {
      const db = copyOf(base);
      await runChild(db, "B", "", ms);
      expect([before, after]).toContain(await dump(db));
    }
  }, 300_000);
});

describe("a load killed between its facts' commit and its run record's commit", () => {
  it("leaves its committed generation unpublished, the warehouse as it was, and the next load works", async () => {
    const { base, before, after } = await beforeAndAfter();
    const runsBefore = await runs(base);

    for (const point of ["facts-committed", "data-tested", "run-recorded"]) {
      const db = copyOf(base);
      expect((await runChild(db, "B", point)).signal).toBe("SIGKILL");
      // the new generation's file holds B's facts, committed, and no record of its run: the link
      // has not moved to it, so nobody reads it as the warehouse
      expect(listGenerations(db)).toEqual([1, 2]);
      expect(currentGeneration(db)!.number).toBe(1);
      // (which `--as-of 2` does not open: it is no generation yet)
      await expect(openCurrent(db, 2)).rejects.toThrow(/no warehouse generation for run 2 \(kept: 1\)/);
      const orphan = await openDb(join(gensDir(db), "000002.duckdb"), { readOnly: true });
      try {
        expect(await orphan.all("select count(*)::int n from fact_indicator")).toEqual([{ n: 1 }]);
        expect(await orphan.all("select run_id from load_run order by run_id")).toEqual([{ run_id: 1 }]);
      } finally {
        orphan.close();
      }
      expect(await dump(db)).toEqual(before);
      expect(await runs(db)).toEqual(runsBefore);
      // the next load removes it, takes over the dead run's lock and publishes the same number
      expect((await runChild(db, "B")).out).toContain("done");
      expect(listGenerations(db)).toEqual([1, 2]);
      expect(currentGeneration(db)!.number).toBe(2);
      expect(await dump(db)).toEqual(after);
      expect((await runs(db)).map((r) => r.run_id)).toEqual([1, 2]);
    }
  }, 120_000);
});

/** The current generation's run records. */
async function runs(db: string): Promise<Record<string, unknown>[]> {
  const w = await openCurrent(db);
  try {
    return await w.all("select run_id, command, outcome, files_loaded, rows_loaded, checksum from load_run order by run_id");
  } finally {
    w.close();
  }
}

/** Point `to` at the same generation number as `from` (its copied .gens folder). */
/**
 * Variant A loaded into a new warehouse (`base`), and its state (`before`); the state after A then B
 * (`after`), made once, on a copy, without kills.
 */
async function beforeAndAfter(): Promise<{ base: string; before: string; after: string }> {
  const base = tempDb();
  expect((await runChild(base, "A")).out).toContain("done");
  const before = await dump(base);
  const ref = copyOf(base);
  expect((await runChild(ref, "B")).out).toContain("done");
  const after = await dump(ref);
  expect(after).not.toEqual(before);
  return { base, before, after };
}

/** A new warehouse whose generations and link are a copy of `base`'s. */
function copyOf(base: string): string {
  const db = tempDb();
  cpSync(`${base}.gens`, `${db}.gens`, { recursive: true });
  copyLink(base, db);
  return db;
}

function copyLink(from: string, to: string) {
  if (existsSync(to)) return;
  symlinkSync(readlinkSync(from).replace(/^[^/]*\.gens/, `${to.split("/").pop()}.gens`), to);
}
