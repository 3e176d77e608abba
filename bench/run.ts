// `npm run bench [-- --quick]`: speed and memory, measured side by side in one run, each
// measurement in its own process (its peak memory is its own), written to bench/results.json
// and printed as a table with each ratio against its goal.
//   full:  a national inbox of ≥ 1 000 000 data rows (63 provinces × 10 years); peers on a fixed
//          subset of ≥ 100 000 rows; median of 3 where time allows.
// The ETL is set against a floor of two parts measured alone (reading: inflate + one scan;
// writing: DuckDB's own bulk ingest of the same facts with their lineage) and against two peers
// (LibreOffice's CSV conversion + read_csv; exceljs streaming into a DuckDB appender).
//   quick: ~100 000 rows (6 provinces), one run each but for the ETL's rounds (the ETL, its floor
//          and its peers: three, as in the full run) and the fill and its round trip (three
//          processes each, alternating) — about two minutes on 2 cores.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { cpus, totalmem } from "node:os";
import { generateNational, type GenerateResult } from "./generate.js";

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, "..");
const quick = process.argv.includes("--quick");
const work = join(here, "work");
mkdirSync(work, { recursive: true });

const size = quick
  ? { rows: 100_000, provinces: 6, repeat: 1, rounds: 3, pl03: 5000, requests: 40 }
  : { rows: 1_000_000, provinces: 63, repeat: 3, rounds: 3, pl03: 5000, requests: 200 };

type M = Record<string, number | string | null | Record<string, number>>;

/** Run one measurement in a child process; returns its JSON, or throws with its stderr. */
function measure(kind: string, args: object): M {
  const r = spawnSync(process.execPath, ["--import", "tsx", join(here, "measure.ts"), kind, JSON.stringify(args)], {
    cwd: root,
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
    // the ETL runs with Node's defaults, as `npm run phuluc` does: its peak memory is the real one
    env: kind === "etl" ? process.env : { ...process.env, NODE_OPTIONS: "--max-old-space-size=4096" },
  });
  if (r.status !== 0) throw new Error(`${kind} failed:\n${r.stderr.slice(-3000)}`);
  const last = r.stdout.trim().split("\n").pop()!;
  const m = JSON.parse(last) as M;
  process.stderr.write(`  ${kind}: ${JSON.stringify(m).slice(0, 200)}\n`);
  return m;
}

function medianOf(kind: string, args: object, n: number): M {
  return medianRun(Array.from({ length: n }, () => measure(kind, args)));
}

/** The median run of several (its phases, peak and all), with every run's seconds beside it. */
function medianRun(ms: M[]): M {
  const runs = [...ms].sort((a, b) => Number(a.seconds) - Number(b.seconds));
  return { ...runs[Math.floor(runs.length / 2)]!, runs: Object.fromEntries(runs.map((r, i) => [String(i), Number(r.seconds)])) };
}

/** Measurements of one kind in several processes: the median of all their runs, the largest peak. */
function pooled(ms: M[]): M {
  const runs = ms.flatMap((m) => m.runs as unknown as number[]).sort((a, b) => a - b);
  return { ...ms[0], seconds: runs[Math.floor(runs.length / 2)]!, runs: Object.fromEntries(runs.map((r, i) => [String(i), r])), peakRssMb: Math.max(...ms.map((m) => Number(m.peakRssMb))) };
}

function xlsxFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...xlsxFiles(p));
    else if (/\.xlsx$/i.test(e.name)) out.push(p);
  }
  return out.sort();
}

const hasSoffice = spawnSync("soffice", ["--version"], { encoding: "utf8" }).status === 0;

async function main(): Promise<void> {
  const t0 = Date.now();
  // 1. the national inbox, generated once per size and seed (deterministic: same bytes)
  const natDir = join(work, `national-${size.rows}-${size.provinces}`);
  const marker = join(natDir, "generated.json");
  let gen: GenerateResult;
  if (existsSync(marker)) gen = JSON.parse(readFileSync(marker, "utf8")) as GenerateResult;
  else {
    process.stderr.write(`generating ${size.rows} rows over ${size.provinces} provinces…\n`);
    gen = await generateNational({ dir: natDir, provinces: size.provinces, targetRows: size.rows, seed: 1 });
    writeFileSync(marker, JSON.stringify(gen));
  }
  // the fixed subset: whole provinces, in order, until ≥ 100 000 rows
  const subset: typeof gen.provinces = [];
  let subsetRows = 0;
  for (const p of gen.provinces) {
    if (subsetRows >= 100_000) break;
    subset.push(p);
    subsetRows += p.rows;
  }
  const subsetFiles = subset.flatMap((p) => xlsxFiles(p.dir));
  const subsetBytes = subsetFiles.reduce((s, f) => s + statSync(f).size, 0);
  process.stderr.write(`inbox: ${gen.rows} rows in ${gen.files} files; subset ${subsetRows} rows in ${subsetFiles.length} files\n`);

  // 2. ETL and its peers
  // --quick: the subset is the whole inbox, so the one ETL run serves as both
  const subsetIsAll = subset.length === gen.provinces.length && size.repeat === 1;
  const etlAll = measure("etl", { inboxes: gen.provinces.map((p) => ({ dir: p.dir, province: p.province })), dbDir: join(work, subsetIsAll ? "etl-sub" : "etl-all") });
  // The ETL on the subset, its floor's two parts, the reader alone and the naive peer: a round of
  // each after the other, `rounds` rounds, each figure the median of its runs. Measured kind after
  // kind instead, a slow spell of the shared machine fell on one side of a ratio (the ETL's runs
  // 12.9–15.5 s in one full run, 8.5–10.6 s minutes later, against a floor measured at another moment).
  // Three rounds in the quick run too: with one run of each, its ratio_to_floor moved between
  // 2.29 and 2.52 in one afternoon with no change to the code.
  const etlRuns: M[] = subsetIsAll ? [etlAll] : [];
  const floorRuns: M[] = [];
  const ingestRuns: M[] = [];
  const fastRuns: M[] = [];
  const naiveRuns: M[] = [];
  let csv: M | null = null;
  for (let i = 0; i < size.rounds; i++) {
    if (!subsetIsAll || i > 0) etlRuns.push(measure("etl", { inboxes: subset.map((p) => ({ dir: p.dir, province: p.province })), dbDir: join(work, "etl-sub") }));
    // the floor, in two parts: reading (inflate every sheet, scan it once) and writing (DuckDB's own
    // bulk ingest of the facts this run loaded, from Parquet files written beforehand: bench/floor-ingest.ts)
    floorRuns.push(measure("floor", { files: subsetFiles }));
    ingestRuns.push(measure("floor-ingest", { dbDir: join(work, "etl-sub"), workDir: join(work, "floor-ingest") }));
    fastRuns.push(measure("fast", { files: subsetFiles }));
    naiveRuns.push(measure("naive", { files: subsetFiles, workDir: join(work, "naive") }));
    // the CSV route once (a dozen seconds a run), in the middle round
    if (hasSoffice && i === Math.floor(size.rounds / 2)) csv = measure("csv-route", { files: subsetFiles, outDir: join(work, "csv-route") });
  }
  const etlSub = medianRun(etlRuns);
  const floor = medianRun(floorRuns);
  const ingest = medianRun(ingestRuns);
  const fast = medianRun(fastRuns);
  const naive = medianRun(naiveRuns);
  // the profile: the JavaScript half alone (read + recognise + validate, nothing loaded), and what
  // the lineage columns cost the write of the subset's facts (written again with and without them)
  const parse = medianOf("parse", { files: subsetFiles }, size.repeat);
  const parsePooled = medianOf("parse-pooled", { files: subsetFiles }, size.repeat);
  const lineage = measure("lineage", { dbDir: join(work, "etl-sub"), repeat: size.repeat });
  const exceljs = medianOf("exceljs", { files: subsetFiles }, size.repeat);
  // the whole inbox only parsed by exceljs, beside the whole ETL (issue: the same files, same run)
  const allFiles = gen.provinces.flatMap((p) => xlsxFiles(p.dir));
  const exceljsAll = subsetIsAll ? exceljs : measure("exceljs", { files: allFiles });

  // 3. the fill: a 5 000-row PL03, headless and through the Office.js back end
  const setup = measure("pl03-setup", { dir: join(work, "pl03"), tasks: size.pl03, template: join(root, "sample", "template.xlsx") });
  // The fill and its round trip alternate, process by process, and each figure is the median of
  // all their runs: a machine that slows down or speeds up during the run (a shared 2-core VM
  // does, by a third) weighs on both alike instead of on whichever ran at the bad moment.
  const fills: M[] = [];
  const trips: M[] = [];
  for (let i = 0; i < 3; i++) {
    fills.push(measure("fill", { db: setup.db, template: setup.workbook, year: 2024, repeat: size.repeat, ...(i === 0 ? { out: join(work, "pl03", "refilled.xlsx") } : {}) }));
    trips.push(measure("roundtrip", { template: setup.workbook, repeat: size.repeat }));
  }
  const fill = pooled(fills);
  const roundtrip = pooled(trips);
  const office = measure("office", { db: setup.db, template: setup.workbook, year: 2024 });

  // 4. the API beside the bare query
  const api = measure("api", { db: setup.db, form: "pl03", year: 2024, requests: size.requests });

  const n = (x: unknown) => Number(x);
  const r3 = (x: number) => Math.round(x * 1000) / 1000;
  const cores = cpus().length;
  const subsetCpu = Object.values((etlSub.phasesCpu ?? {}) as Record<string, number>).reduce((a, b) => a + b, 0);
  const results = {
    mode: quick ? "quick" : "full",
    machine: { cores, memory_gb: Math.round(totalmem() / 2 ** 30), node: process.version },
    wall_seconds: Math.round((Date.now() - t0) / 1000),
    etl: {
      input_rows: gen.rows,
      input_files: gen.files,
      seconds: r3(n(etlAll.seconds)),
      rows_per_second: Math.round(n(etlAll.rows) / n(etlAll.seconds)),
      rows_loaded: n(etlAll.rows),
      exceljs_stream_all_seconds: r3(n(exceljsAll.seconds)),
      peak_rss_mb: n(etlAll.peakRssMb),
      subset_rows: subsetRows,
      subset_files: subsetFiles.length,
      subset_bytes: subsetBytes,
      subset_seconds: r3(n(etlSub.seconds)),
      phases_seconds: Object.fromEntries(Object.entries(etlSub.phases as Record<string, number>).map(([k, v]) => [k, r3(v)])),
      // the process's CPU in each phase (all threads), and the cores it kept busy on average
      phases_cpu_seconds: Object.fromEntries(Object.entries((etlSub.phasesCpu ?? {}) as Record<string, number>).map(([k, v]) => [k, r3(v)])),
      phases_cores_busy: Object.fromEntries(
        Object.entries((etlSub.phasesCpu ?? {}) as Record<string, number>).map(([k, v]) => [k, r3(v / Math.max(1e-9, n((etlSub.phases as Record<string, number>)[k] ?? 0)))]),
      ),
      // the load's work in CPU seconds (every thread), and the least wall time that work takes on
      // this machine's cores however it is spread
      subset_cpu_seconds: r3(subsetCpu),
      subset_cores_bound_seconds: r3(subsetCpu / cores),
      parse_seconds: r3(n(parse.seconds)),
      write_seconds_with_lineage: r3(n(lineage.withSeconds)),
      write_seconds_without_lineage: r3(n(lineage.withoutSeconds)),
      lineage_write_seconds: r3(n(lineage.withSeconds) - n(lineage.withoutSeconds)),
      lineage_share_of_etl: r3((n(lineage.withSeconds) - n(lineage.withoutSeconds)) / n(etlSub.seconds)),
      lineage_share_of_bytes: r3(1 - n(lineage.bytesWithout) / n(lineage.bytesWith)),
      // the profile's other halves: the JavaScript half less the reader is recognise + validate;
      // the first phase less the JavaScript half is what staging adds (parsing overlaps it by a file)
      // the JavaScript half as the ETL runs it: in the read pool, files at once, facts packed
      parse_pooled_seconds: r3(n(parsePooled.seconds)),
      parse_pooled_speedup: r3(n(parse.seconds) / n(parsePooled.seconds)),
      reader_seconds_in_parse: r3(n(fast.seconds)),
      recognise_validate_seconds: r3(n(parse.seconds) - n(fast.seconds)),
      // what staging adds to the first phase beyond the pooled parse it overlaps
      staging_beyond_parse_seconds: r3(n((etlSub.phases as Record<string, number>)["read, parse, stage"] ?? 0) - n(parsePooled.seconds)),
      // how many threads parsed: the read pool's workers (os.availableParallelism())
      workers: etlSub.workers === undefined ? 1 : n(etlSub.workers),
      floor_read_seconds: r3(n(floor.seconds)),
      floor_ingest_seconds: r3(n(ingest.seconds)),
      floor_ingest_rows: n(ingest.rows),
      // of the ingest, its commit and checkpoint (beside the load's own "commit facts" phase)
      floor_ingest_commit_seconds: r3(n(ingest.commitSeconds)),
      // the same ingest from CSV, every amount cast from text by DuckDB: not the floor, the record of why
      floor_ingest_csv_seconds: r3(n(ingest.csvSeconds)),
      // the floor's ingest stores the strings as a load does (no FSST); with DuckDB's default
      // storage instead, for the record (a floor that compresses more than the ETL would flatter it)
      floor_ingest_default_storage_seconds: r3(n(ingest.defaultStorageSeconds)),
      ratio_to_floor_default_storage: r3(n(etlSub.seconds) / (n(floor.seconds) + n(ingest.defaultStorageSeconds))),
      floor_seconds: r3(n(floor.seconds) + n(ingest.seconds)),
      // the floor's work in CPU seconds (every thread): what no load of these facts avoids
      floor_cpu_seconds: r3(n(floor.cpuSeconds) + n(ingest.cpuSeconds)),
      fast_reader_seconds: r3(n(fast.seconds)),
      ratio_to_floor: r3(n(etlSub.seconds) / (n(floor.seconds) + n(ingest.seconds))),
      exceljs_stream_seconds: r3(n(exceljs.seconds)),
      speedup_vs_exceljs_stream: r3(n(exceljs.seconds) / n(etlSub.seconds)),
      peer_naive_seconds: r3(n(naive.seconds)),
      peer_naive_rows: n(naive.rows),
      speedup_vs_naive: r3(n(naive.seconds) / n(etlSub.seconds)),
      peer_csv_route_seconds: csv ? r3(n(csv.seconds)) : null,
      peer_csv_convert_seconds: csv ? r3(n(csv.convertSeconds)) : null,
      speedup_vs_csv_route: csv ? r3(n(csv.seconds) / n(etlSub.seconds)) : null,
      // the read path alone (what the peers do: read, no validation, no load), against the read floor
      reader_ratio_to_floor: r3(n(fast.seconds) / n(floor.seconds)),
      reader_speedup_vs_exceljs_stream: r3(n(exceljs.seconds) / n(fast.seconds)),
      reader_speedup_vs_csv_route: csv ? r3(n(csv.seconds) / n(fast.seconds)) : null,
    },
    fill: {
      forms: n(fill.forms),
      pl03_rows: n(setup.rows),
      headless_seconds: r3(n(fill.seconds)),
      roundtrip_floor_seconds: r3(n(roundtrip.seconds)),
      ratio_to_roundtrip: r3(n(fill.seconds) / n(roundtrip.seconds)),
      office_syncs_per_form_max: n(office.syncsPerFormMax),
      office_max_request_bytes: n(office.maxRequestBytes),
      peak_rss_mb: n(fill.peakRssMb),
    },
    api: {
      requests: n(api.requests),
      form: "pl03",
      appendix_p50_ms: r3(n(api.apiP50)),
      appendix_p95_ms: r3(n(api.apiP95)),
      bare_query_p50_ms: r3(n(api.bareP50)),
      bare_query_p95_ms: r3(n(api.bareP95)),
      ratio: r3(n(api.apiP50) / n(api.bareP50)),
    },
  };
  // A missed ETL goal says why, from this run's own figures: the time the goal asks for, the
  // least wall time the ETL's work (its CPU seconds, every thread) takes on this machine's cores,
  // and the phase that holds most of it. Below the bound, no spreading of the same work over the
  // cores meets the goal; below the floor, no load that checks anything does.
  const e = results.etl;
  const [top] = Object.entries(e.phases_seconds).sort((a, b) => b[1] - a[1]);
  const holds = top ? `; the phase that holds most of it: ${top[0]}, ${top[1]} s (${e.phases_cpu_seconds[top[0]] ?? "—"} CPU s)` : "";
  // the phases after the reading (the load's order): the part of the run the reading worker
  // cannot share, and how many cores it kept busy
  const order = Object.keys(e.phases_seconds);
  const after = order.slice(order.indexOf("read, parse, stage") + 1);
  const afterSeconds = r3(after.reduce((a, k) => a + (e.phases_seconds[k] ?? 0), 0));
  const afterCores = r3(after.reduce((a, k) => a + (e.phases_cpu_seconds[k] ?? 0), 0) / Math.max(1e-9, afterSeconds));
  const etlWithin = (target: number) => {
    const floor = target < e.floor_seconds ? `, less than the floor itself (${e.floor_seconds} s: read + ingest, no checks)` : "";
    const need = r3(e.subset_cpu_seconds / target);
    const work =
      need > cores
        ? `, less than its work takes on ${cores} cores (${e.subset_cpu_seconds} CPU s, the floor's ${e.floor_cpu_seconds}: ≥ ${e.subset_cores_bound_seconds} s)`
        : `: its work (${e.subset_cpu_seconds} CPU s, the floor's ${e.floor_cpu_seconds}) with ${need} of ${cores} cores busy throughout, where it kept ${r3(e.subset_cpu_seconds / e.subset_seconds)} busy and the phases after reading ${afterCores} (${afterSeconds} s)`;
    return `needs the ETL within ${r3(target)} s (it took ${e.subset_seconds} s)${floor}${work}${holds}`;
  };
  const goals: Goal[] = [
    goal("etl.ratio_to_floor", e.ratio_to_floor, "≤ 2.5 (floor: read + ingest, stored as a load stores)", e.ratio_to_floor <= 2.5, () => etlWithin(2.5 * e.floor_seconds)),
    goal("etl.speedup_vs_csv_route", e.speedup_vs_csv_route, "≥ 2", e.speedup_vs_csv_route === null ? null : e.speedup_vs_csv_route >= 2, () => etlWithin((e.peer_csv_route_seconds ?? 0) / 2)),
    goal("etl.speedup_vs_naive", e.speedup_vs_naive, "≥ 3 (exceljs stream + appender)", e.speedup_vs_naive >= 3, () => etlWithin(e.peer_naive_seconds / 3)),
    goal("etl.reader_ratio_to_floor", e.reader_ratio_to_floor, "≤ 2 (× inflate + scan)", e.reader_ratio_to_floor <= 2, () => `needs the reader within ${r3(2 * e.floor_read_seconds)} s (it took ${e.fast_reader_seconds} s)`),
    goal("etl.peak_rss_mb", e.peak_rss_mb, `≤ 512 (for ${e.input_rows} rows)`, e.peak_rss_mb <= 512),
    goal("fill.ratio_to_roundtrip", results.fill.ratio_to_roundtrip, "≤ 1.5", results.fill.ratio_to_roundtrip <= 1.5),
    goal("fill.office_syncs_per_form_max", results.fill.office_syncs_per_form_max, "≤ 3", results.fill.office_syncs_per_form_max <= 3),
    goal("fill.office_max_request_bytes", results.fill.office_max_request_bytes, "≤ 5 242 880", results.fill.office_max_request_bytes <= 5 * 1024 * 1024),
    goal("api.ratio", results.api.ratio, "≤ 1.5", results.api.ratio <= 1.5),
  ];
  const out = { ...results, goals: Object.fromEntries(goals.map((g) => [g.key, { value: g.value, goal: g.target, met: g.met, ...(g.why ? { why: g.why } : {}) }])) };
  const file = join(here, quick ? "results-quick.json" : "results.json");
  writeFileSync(file, JSON.stringify(out, null, 2) + "\n");
  if (!quick) writeFileSync(join(here, "results.json"), JSON.stringify(out, null, 2) + "\n");

  const rows: [string, string][] = [];
  const flat = (prefix: string, o: object): void => {
    for (const [k, v] of Object.entries(o)) {
      if (v !== null && typeof v === "object") flat(`${prefix}.${k}`, v as object);
      else rows.push([`${prefix}.${k}`, v === null ? "—" : String(v)]);
    }
  };
  flat("etl", results.etl);
  flat("fill", results.fill);
  flat("api", results.api);
  console.log(`\nphuluc bench (${results.mode}, ${results.machine.cores} cores, ${results.wall_seconds} s)`);
  for (const [k, v] of rows) console.log(`  ${k.padEnd(34)} ${v}`);
  console.log("\ngoals");
  for (const g of goals) {
    console.log(`  ${g.met === null ? "n/a " : g.met ? "MET " : "MISS"} ${g.key.padEnd(34)} ${g.value ?? "—"}  (goal ${g.target})`);
    if (g.why) console.log(`       why: ${g.why}`);
  }
  console.log(`\nwritten: ${file}`);
  updateDoc(results.mode, rows, goals, results.machine, results.wall_seconds);
}

interface Goal {
  key: string;
  value: number | null;
  target: string;
  met: boolean | null;
  /** for a missed goal: what it asks for against this run's bounds */
  why?: string;
}

function goal(key: string, value: number | null, target: string, met: boolean | null, why?: () => string): Goal {
  return met === false && why ? { key, value, target, met, why: why() } : { key, value, target, met };
}

/** docs/benchmarks.md holds the table of the last full and quick runs between markers. */
function updateDoc(
  mode: string,
  rows: [string, string][],
  goals: Goal[],
  machine: { cores: number; memory_gb: number; node: string },
  wall: number,
): void {
  const doc = join(root, "docs", "benchmarks.md");
  if (!existsSync(doc)) return;
  const table = [
    `Run: \`npm run bench${mode === "quick" ? " -- --quick" : ""}\` on ${machine.cores} cores, ${machine.memory_gb} GB, Node ${machine.node}; ${wall} s in all.`,
    "",
    "| goal | value | target | |",
    "|---|--:|---|---|",
    ...goals.map((g) => `| \`${g.key}\` | ${g.value ?? "—"} | ${g.target} | ${g.met === null ? "n/a" : g.met ? "met" : "**missed**"} |`),
    ...(goals.some((g) => g.why) ? ["", "Why, from this run's figures:", "", ...goals.filter((g) => g.why).map((g) => `- \`${g.key}\` ${g.why}.`)] : []),
    "",
    "<details><summary>every figure</summary>",
    "",
    "| figure | value |",
    "|---|--:|",
    ...rows.map(([k, v]) => `| \`${k}\` | ${v} |`),
    "",
    "</details>",
  ].join("\n");
  const start = `<!-- ${mode}:start -->`;
  const end = `<!-- ${mode}:end -->`;
  const text = readFileSync(doc, "utf8");
  const a = text.indexOf(start);
  const b = text.indexOf(end);
  if (a < 0 || b < a) return;
  writeFileSync(doc, text.slice(0, a + start.length) + "\n" + table + "\n" + text.slice(b));
}

main().catch((e) => {
  console.error((e as Error).message);
  process.exit(1);
});
