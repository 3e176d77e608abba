// A file read in a worker crosses to the loader packed (warehouse/pack.ts: its facts, tasks and
// indicators in columns, their repeated strings in the file's own dictionary), and its tasks and
// indicators are staged with their file's number, not its identity and hash on every row. The
// same inbox read on this thread, as objects the loader packs itself, must give the very same
// warehouse: every task, indicator and fact, in the same order, with the same lineage.
import { afterAll, describe, expect, it } from "vitest";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { ConfigSchema } from "../../core/config.js";
import { parserFor, runLoad } from "../../etl/commands.js";
import { pooledParser } from "../../etl/read-pool.js";
import { openCurrent } from "../../warehouse/generations.js";
import type { FileParser } from "../../warehouse/load.js";
import { unpacked } from "./unpack.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "sample");
const dir = mkdtempSync(join(tmpdir(), "phuluc-worker-objects-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const now = () => new Date("2024-06-30T08:00:00Z");

async function dump(db: string): Promise<Record<string, unknown[]>> {
  const w = await openCurrent(db);
  try {
    const out: Record<string, unknown[]> = {};
    // every column, in the tables' row order (a task's and a fact's order is the file's)
    for (const t of ["task", "indicator", "source_file", "fact_task_approved", "fact_task_funding", "fact_budget_line", "fact_indicator"]) {
      out[t] = await w.all(`select * exclude (${t === "source_file" ? "sheets_json" : "province_code"}) from ${t} order by rowid`);
    }
    out.sheets = await w.all("select file_id, sheets_json::varchar s from source_file order by rowid");
    out.lineage = await w.all("select * from pl01_lineage(2024) order by all");
    return out;
  } finally {
    w.close();
  }
}

describe("a file through the reading worker and the same file as objects", () => {
  for (const [name, folder] of [["the sample inbox", ""], ["a merged department's inbox (former provinces' folders)", "tay-ninh"]] as const) {
    it(`give the same warehouse rows: ${name}`, async () => {
      const base = join(root, folder);
      const config = ConfigSchema.parse(JSON.parse(readFileSync(join(base, "phuluc.config.json"), "utf8")));
      const inbox = join(base, "inbox");
      const viaWorker = join(dir, `${folder || "sample"}-worker`, "w.duckdb");
      const asObjects = join(dir, `${folder || "sample"}-objects`, "w.duckdb");
      const a = await runLoad({ inbox, db: viaWorker, config, quiet: true, acceptPartial: true, now, parser: pooledParser(config, { size: 2 }) });
      // read on this thread, its facts turned back into objects (the parse writes them as columns): the loader packs them
      const inProcess = parserFor(config, { inProcess: true });
      const objects: FileParser = async (f) => unpacked(await inProcess(f));
      const b = await runLoad({ inbox, db: asObjects, config, quiet: true, acceptPartial: true, now, parser: objects });
      expect(a.runId).not.toBeNull();
      expect(a.files.filter((f) => f.status === "loaded").length).toBeGreaterThan(1);
      expect(a).toEqual(b);
      const d = await dump(viaWorker);
      expect(d.task!.length).toBeGreaterThan(0);
      if (!folder) expect(d.indicator!.length).toBeGreaterThan(0);
      expect(d).toEqual(await dump(asObjects));
    });
  }
});
