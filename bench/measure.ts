// One measurement, in its own process so that its peak memory is its own:
//   node --import tsx bench/measure.ts <kind> '<json args>'
// prints one JSON line { seconds, peakRssMb, ... }. Called by bench/run.ts.
import { execFileSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { performance } from "node:perf_hooks";

const [kind, rawArgs] = process.argv.slice(2);
const args = JSON.parse(rawArgs ?? "{}") as Record<string, unknown>;

/** A province's configuration with limits wide enough for the generated national workbooks. */
function benchConfig(schema: typeof import("../core/config.js").ConfigSchema, province: string) {
  return schema.parse({ province: { code: province, name: province }, limits: { maxRows: 2_000_000, maxFileBytes: 500 * 1024 * 1024, maxInflatedBytes: 4 * 1024 * 1024 * 1024, maxColumns: 500,
    // the bench's files are as large as it is told to make them: the hostile-file limits (cells,
    // shared strings, the reading worker's heap and deadline) must not be what it measures
    maxCellsPerSheet: 200_000_000, maxSharedStrings: 100_000_000, readHeapMb: 16_384, readTimeoutMs: 24 * 3_600_000 } });
}

const peakRssMb = () => Math.round(process.resourceUsage().maxRSS / 1024);

async function time<T>(fn: () => Promise<T>): Promise<{ seconds: number; value: T }> {
  const t0 = performance.now();
  const value = await fn();
  return { seconds: (performance.now() - t0) / 1000, value };
}

async function main(): Promise<Record<string, unknown>> {
  switch (kind) {
    case "etl": {
      // Each province's inbox into its own warehouse (one province per warehouse), sequentially.
      const { runLoad } = await import("../etl/commands.js");
      const { ConfigSchema } = await import("../core/config.js");
      const inboxes = args.inboxes as { dir: string; province: string }[];
      const dbDir = args.dbDir as string;
      rmSync(dbDir, { recursive: true, force: true });
      mkdirSync(dbDir, { recursive: true });
      let rows = 0;
      let files = 0;
      let rejected = 0;
      // the load's phases, summed over the provinces: each point the loader names ends a phase
      const ENDS: Record<string, string> = {
        copied: "copy generation",
        opened: "open, migrate",
        checked: "cross-file rules",
        "committed-staging": "unit jumps, diff, write facts",
        "facts-committed": "commit facts",
        "data-tested": "views, data tests",
        "run-recorded": "checksum, run record",
        committed: "commit run record",
        checkpointed: "checkpoint, close",
      };
      const phases: Record<string, number> = {};
      // and the process's CPU in each (every thread: the main one, the reading workers, DuckDB's
      // and V8's): against the wall time, how many of the cores a phase kept busy
      const phasesCpu: Record<string, number> = {};
      let last = 0;
      let lastCpu = process.cpuUsage();
      const mark = (phase: string) => {
        const t = performance.now();
        const cpu = process.cpuUsage();
        phases[phase] = (phases[phase] ?? 0) + (t - last) / 1000;
        phasesCpu[phase] = (phasesCpu[phase] ?? 0) + (cpu.user - lastCpu.user + cpu.system - lastCpu.system) / 1e6;
        last = t;
        lastCpu = cpu;
      };
      const checkpoint = (point: string) => mark(point.startsWith("parsed:") ? "read, parse, stage" : (ENDS[point] ?? point));
      // warm-up, untimed: the bundled sample inbox into a scratch warehouse (module loading, JIT),
      // with the bench's limits, so that the read pool it starts is the one the timed loads use
      {
        const config = benchConfig(ConfigSchema, "00");
        await runLoad({ inbox: join("sample", "inbox"), db: join(dbDir, "warm-up", "w.duckdb"), config, quiet: true, acceptPartial: true });
        rmSync(join(dbDir, "warm-up"), { recursive: true, force: true });
      }
      const { seconds } = await time(async () => {
        for (const ib of inboxes) {
          last = performance.now();
          lastCpu = process.cpuUsage();
          const config = benchConfig(ConfigSchema, ib.province);
          const r = await runLoad({ inbox: ib.dir, db: join(dbDir, `${basename(ib.dir)}.duckdb`), config, quiet: true, acceptPartial: true, checkpoint });
          mark("fsync, publish");
          rows += r.rowsLoaded;
          files += r.files.length;
          rejected += r.files.filter((f) => f.status === "rejected").length;
        }
      });
      // the threads that parsed: the pool's workers (started for the warm-up, reused after)
      const { readWorkersStarted } = await import("../etl/read-pool.js");
      return { seconds, rows, files, rejected, phases, phasesCpu, workers: readWorkersStarted(), peakRssMb: peakRssMb() };
    }
    case "lineage": {
      const { measureLineage } = await import("./lineage.js");
      const dir = args.dbDir as string;
      const dbs = readdirSync(dir).filter((f) => f.endsWith(".duckdb")).map((f) => join(dir, f));
      const m = await measureLineage(dbs, args.repeat as number);
      return { seconds: m.withSeconds, ...m, peakRssMb: peakRssMb() };
    }
    case "parse": {
      // read + recognise + validate every file, loading nothing: the ETL's JavaScript half
      const { readInboxFile } = await import("../etl/read.js");
      const { ConfigSchema } = await import("../core/config.js");
      const config = benchConfig(ConfigSchema, "00");
      let rows = 0;
      const { seconds } = await time(async () => {
        for (const f of args.files as string[]) {
          const p = await readInboxFile(f, basename(f), "bench", { limits: config.limits, province: config.province.code });
          // the facts are columns (etl/read.ts packs them as it parses): counted there, approved amounts aside as before
          const k = p.packed;
          const approved = k ? k.small.indexOf("task_approved") + 1 : 0;
          let facts = p.taskFunding.length + p.budgetLines.length + p.indicatorFacts.length;
          if (k) for (let i = 0; i < k.n; i++) if (k.kind[i] !== approved) facts++;
          rows += facts + p.tasks.length + p.indicators.length;
        }
      });
      return { seconds, rows, peakRssMb: peakRssMb() };
    }
    case "parse-pooled": {
      // the same, as the ETL runs it: in the read pool's workers (as many files at once as it
      // has workers), the facts packed and transferred back; nothing loaded
      const { pooledParser, readWorkersStarted } = await import("../etl/read-pool.js");
      const { ConfigSchema } = await import("../core/config.js");
      const { statSync } = await import("node:fs");
      const config = benchConfig(ConfigSchema, "00");
      const parse = pooledParser(config);
      const files = args.files as string[];
      // untimed: every worker started and its modules loaded (one file each, at once), as the
      // ETL's warm-up load starts them before its timed loads
      await Promise.all(files.slice(0, parse.concurrency ?? 1).map((f, i) => parse({ fileId: `warm-up-${i}`, office: "bench", path: f, size: 0, mtimeMs: 0 })));
      let rows = 0;
      const { seconds } = await time(async () => {
        const window = parse.concurrency ?? 1;
        let next = 0;
        const one = async (): Promise<void> => {
          while (next < files.length) {
            const f = files[next++]!;
            const p = await parse({ fileId: basename(f), office: "bench", path: f, size: statSync(f).size, mtimeMs: 0 });
            // (the tasks and indicators cross packed too)
            rows += p.packed ? p.packed.n + p.packed.tasks.n + p.packed.indicators.n : 0;
          }
        };
        await Promise.all(Array.from({ length: window }, one));
      });
      return { seconds, rows, workers: readWorkersStarted(), peakRssMb: peakRssMb() };
    }
    case "floor":
    case "fast":
    case "exceljs": {
      const { measureParse } = await import("./xlsx-floor.js");
      const m = await measureParse(args.files as string[], kind);
      return { ...m, peakRssMb: peakRssMb() };
    }
    case "floor-ingest": {
      // the write half of the floor: DuckDB's bulk ingest of the facts the ETL loaded (bench/floor-ingest.ts)
      const { measureIngest } = await import("./floor-ingest.js");
      const dir = args.dbDir as string;
      const dbs = readdirSync(dir).filter((f) => f.endsWith(".duckdb")).map((f) => join(dir, f));
      const m = await measureIngest(dbs, args.workDir as string);
      return { ...m, peakRssMb: peakRssMb() };
    }
    case "naive": {
      // the peer a developer would write: exceljs streaming into a DuckDB appender (bench/naive.ts)
      const { measureNaive } = await import("./naive.js");
      const m = await measureNaive(args.files as string[], args.workDir as string);
      return { ...m, peakRssMb: peakRssMb() };
    }
    case "csv-route": {
      // What users do today: LibreOffice converts every sheet of every file to CSV in one batch,
      // then DuckDB reads the CSVs into tables.
      const files = args.files as string[];
      const out = args.outDir as string;
      rmSync(out, { recursive: true, force: true });
      mkdirSync(out, { recursive: true });
      const profile = join(out, "..", "lo-profile");
      const { seconds: convert } = await time(async () => {
        execFileSync(
          "soffice",
          [
            `-env:UserInstallation=file://${profile}`,
            "--headless",
            "--convert-to",
            // 44 = comma, 34 = quote, 76 = UTF-8, … , -1 = every sheet (one CSV per sheet)
            'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1',
            "--outdir",
            out,
            ...files,
          ],
          { stdio: "ignore" },
        );
      });
      const { openMemory } = await import("../warehouse/db.js");
      const db = await openMemory();
      let tables = 0;
      const { seconds: load } = await time(async () => {
        for (const f of readdirSync(out).filter((x) => x.endsWith(".csv"))) {
          await db.run(`create table t${tables++} as select * from read_csv($f, header = false, all_varchar = true, null_padding = true)`, { f: join(out, f) });
        }
      });
      db.close();
      return { seconds: convert + load, convertSeconds: convert, loadSeconds: load, csvFiles: tables, peakRssMb: peakRssMb() };
    }
    case "fill": {
      const { fillWorkbook } = await import("../fill/fill.js");
      const { openCurrent } = await import("../warehouse/generations.js");
      const template = readFileSync(args.template as string);
      const db = await openCurrent(args.db as string);
      const runs: number[] = [];
      let forms = 0;
      // one untimed warm-up (module loading, JIT), as for the round trip it is compared with
      await fillWorkbook({ db, year: args.year as number, template });
      for (let i = 0; i < (args.repeat as number); i++) {
        const { seconds, value } = await time(() => fillWorkbook({ db, year: args.year as number, template }));
        runs.push(seconds);
        forms = value.plan.forms.length;
        if (i === 0 && args.out) writeFileSync(args.out as string, value.bytes);
      }
      db.close();
      return { seconds: median(runs), runs, forms, peakRssMb: peakRssMb() };
    }
    case "roundtrip": {
      const ExcelJS = (await import("exceljs")).default;
      const bytes = readFileSync(args.template as string);
      const runs: number[] = [];
      const roundtrip = async () => {
        const wb = new ExcelJS.Workbook();
        await wb.xlsx.load(bytes as unknown as ArrayBuffer);
        await wb.xlsx.writeBuffer();
      };
      await roundtrip(); // one untimed warm-up, as for the fill
      for (let i = 0; i < (args.repeat as number); i++) {
        const { seconds } = await time(roundtrip);
        runs.push(seconds);
      }
      return { seconds: median(runs), runs, peakRssMb: peakRssMb() };
    }
    case "pl03-setup": {
      // A warehouse with `tasks` provincial tasks that all have a plan-year figure, and a workbook
      // whose PL03 already holds them (the bundled template filled once): what the fill bench refills.
      const { setupPl03 } = await import("./pl03.js");
      const { seconds, value } = await time(() => setupPl03(args as { dir: string; tasks: number; template: string }));
      return { seconds, ...value, peakRssMb: peakRssMb() };
    }
    case "office": {
      // The Office.js back end under office-addin-mock, applying the refill's plan.
      const { fillWorkbook } = await import("../fill/fill.js");
      const { openCurrent } = await import("../warehouse/generations.js");
      const { measureOfficeFill } = await import("../test/doubles/office-measure.js");
      const db = await openCurrent(args.db as string);
      const { plan } = await fillWorkbook({ db, year: args.year as number, template: readFileSync(args.template as string) });
      db.close();
      const m = await measureOfficeFill(plan);
      return { seconds: 0, ...m, forms: plan.forms.length, peakRssMb: peakRssMb() };
    }
    case "api": {
      // The appendix route through the real server on 127.0.0.1, beside the bare DuckDB query
      // (the form's own SQL) for the same figures, in the same process, interleaved.
      const { startServer } = await import("../api/serve-command.js");
      const { openCurrent } = await import("../warehouse/generations.js");
      const { computeForm } = await import("../queries/compute.js");
      const key = "bench-key-0123456789abcdefghijklmnop";
      const srv = await startServer({ db: args.db as string, host: "127.0.0.1", port: 0 }, { ...process.env, PHULUC_API_KEY: key, PHULUC_LOG_LEVEL: "silent" }, () => undefined);
      const db = await openCurrent(args.db as string);
      const form = args.form as string;
      const year = args.year as number;
      const n = args.requests as number;
      const api: number[] = [];
      const bare: number[] = [];
      const one = async () => {
        const t0 = performance.now();
        const r = await fetch(new URL(`api/forms/${form}?year=${year}`, srv.url.endsWith("/") ? srv.url : srv.url + "/"), { headers: { authorization: `Bearer ${key}` } });
        if (r.status !== 200) throw new Error(`api answered ${r.status}`);
        await r.json();
        api.push(performance.now() - t0);
        const t1 = performance.now();
        await computeForm(db, form, year, db.generation);
        bare.push(performance.now() - t1);
      };
      for (let i = 0; i < 5; i++) await one(); // warm-up
      api.length = 0;
      bare.length = 0;
      for (let i = 0; i < n; i++) await one();
      db.close();
      await srv.close();
      const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;
      return { seconds: 0, requests: n, apiP50: pct(api, 50), apiP95: pct(api, 95), bareP50: pct(bare, 50), bareP95: pct(bare, 95), peakRssMb: peakRssMb() };
    }
    default:
      throw new Error(`unknown measurement ${kind}`);
  }
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

if (kind) {
  main().then(
    (r) => {
      process.stdout.write(JSON.stringify(r) + "\n");
      process.exit(0);
    },
    (e) => {
      process.stderr.write(String((e as Error).stack ?? e) + "\n");
      process.exit(1);
    },
  );
}
