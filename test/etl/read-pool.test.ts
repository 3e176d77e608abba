// A file read in a worker comes back with its facts, tasks and indicators packed in columns whose
// buffers were transferred (warehouse/pack.ts), the same the reader gives on this thread; the parser
// tells the loader how many files to keep in flight (a core is left to the main thread).
import { describe, expect, it } from "vitest";
import { join } from "node:path";
import { statSync } from "node:fs";
import { ConfigSchema } from "../../core/config.js";
import { availableParallelism } from "node:os";
import { pooledParser, readWorkersStarted } from "../../etl/read-pool.js";
import { readInboxFile } from "../../etl/read.js";
import { unpacked } from "./unpack.js";
import { packFacts } from "../../warehouse/pack.js";

const config = ConfigSchema.parse({ province: { code: "80", name: "Long An" } });
const parser = pooledParser(config, { size: 3 });

describe("reading in the pool", () => {
  it("hands back packed facts equal to a read on this thread, and reads one file at once per worker but one", async () => {
    expect(parser.concurrency).toBe(2);
    expect(pooledParser(config, { size: 2 }).concurrency).toBe(1);
    for (const name of ["P.KHTC/Du toan KHCN 2024 - KHTC.xlsx", "P.QLKH/Danh muc nhiem vu KHCN (ban cuoi).xlsx", "TDC/Chi tieu TDC 6T2023.xlsx"]) {
      const path = join("sample", "inbox", name);
      const st = statSync(path);
      const pooled = await parser({ fileId: name, office: name.split("/")[0]!, path, size: st.size, mtimeMs: st.mtimeMs });
      const here = await readInboxFile(path, name, name.split("/")[0]!, { limits: config.limits, province: "80" });
      expect(pooled.problems).toEqual(here.problems);
      // the tasks and indicators cross packed too (the register's approved amounts as facts)
      expect(pooled.tasks).toEqual([]);
      expect(pooled.indicators).toEqual([]);
      expect(pooled.taskFunding).toEqual([]);
      expect(pooled.indicatorFacts).toEqual([]);
      expect(pooled.packed!.kind).toBeInstanceOf(Int32Array);
      expect(pooled.packed!.tasks.ids).toBeInstanceOf(Int32Array);
      expect(pooled.packed!.tasks.n + pooled.packed!.indicators.n).toBe(here.tasks.length + here.indicators.length);
      // the parse wrote the facts as columns: the very packing of the same facts as objects
      const expected = packFacts(unpacked(here));
      expect(expected.n).toBeGreaterThan(0);
      expect(here.packed).toEqual(expected);
      expect(pooled.packed).toEqual(expected);
    }
  });

  it("queues a file asked for beyond its readers instead of starting a worker for it", async () => {
    const shared = pooledParser(config);
    expect(shared.concurrency).toBe(Math.max(1, availableParallelism() - 1));
    expect(shared.queued).toBe(1);
    const before = readWorkersStarted();
    const names = ["P.KHTC/Du toan KHCN 2024 - KHTC.xlsx", "TDC/Chi tieu TDC 6T2023.xlsx", "P.QLKH/Danh muc nhiem vu KHCN (ban cuoi).xlsx"];
    const all = await Promise.all(
      names.map((name) => {
        const path = join("sample", "inbox", name);
        const st = statSync(path);
        return shared({ fileId: name, office: name.split("/")[0]!, path, size: st.size, mtimeMs: st.mtimeMs });
      }),
    );
    expect(all.map((p) => p.fileId)).toEqual(names);
    expect(all.every((p) => p.problems.every((x) => x.severity !== "error"))).toBe(true);
    // three files at once, read by the readers it has: no worker started for the one queued
    expect(readWorkersStarted() - before).toBeLessThanOrEqual(shared.concurrency!);
  });
});
