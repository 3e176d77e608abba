// How close the xlsx read path is to the physical floor (issue "benchmarks"): (a) the floor,
// inflating every sheet XML and scanning it once for '<', building nothing; (b) the fast reader
// iterating all rows; (c) exceljs's streaming reader iterating all rows. Not a test: a script.
//
//   npx tsx bench/xlsx-floor.ts [file.xlsx …]     (no files: generates 20 × 5 000 rows × 10 cols)
//   npx tsx bench/xlsx-floor.ts --files 1 --rows 1000000 --only fast   (a generated set of that shape,
//                                                 one reader: its peak RSS alone)
//
// measureParse() is exported so the benchmark harness can run one measurement in its own process.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import ExcelJS from "exceljs";
import { openFastXlsx } from "../xlsx/fast.js";
import { InflateBudget, ZipFile } from "../xlsx/zip.js";
import type { ReaderLimits } from "../xlsx/types.js";

export type ParseWhich = "floor" | "fast" | "exceljs";

export interface ParseMeasure {
  which: ParseWhich;
  files: number;
  rows: number;
  cells: number;
  seconds: number;
  /** user + system CPU time of the process: steadier than wall time on a shared machine */
  cpuSeconds: number;
  rowsPerSecond: number;
  /** the process's peak resident set size so far, in MB (ru_maxrss): run one measure per process for a clean figure */
  peakRssMb: number;
}

const LIMITS: ReaderLimits = { maxFileBytes: 2 ** 31, maxInflatedBytes: 2 ** 40, maxColumns: 16384, maxRows: 1_048_576 };

async function floorFile(path: string): Promise<{ rows: number; cells: number }> {
  const zip = await ZipFile.open(path);
  let lt = 0;
  try {
    for (const [name, entry] of zip.entries) {
      if (!/^xl\/worksheets\/[^/]+\.xml$/.test(name)) continue;
      for await (const chunk of zip.inflate(entry, new InflateBudget(LIMITS.maxInflatedBytes))) {
        for (let i = 0; i < chunk.length; i++) if (chunk[i] === 60) lt++;
      }
    }
  } finally {
    await zip.close();
  }
  // the floor builds nothing: report tags seen as "cells" so the figure is not optimised away
  return { rows: 0, cells: lt };
}

async function fastFile(path: string): Promise<{ rows: number; cells: number }> {
  const r = await openFastXlsx(path, LIMITS);
  let rows = 0;
  let cells = 0;
  try {
    const info = await r.info();
    for (const s of info.sheets) {
      // in the reader's batches, as the ETL takes its rows (etl/read.ts)
      for await (const batch of r.rowBatches!(s.index)) {
        rows += batch.length;
        for (const row of batch) cells += row.cells.length;
      }
    }
  } finally {
    await r.close();
  }
  return { rows, cells };
}

async function exceljsFile(path: string): Promise<{ rows: number; cells: number }> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(path, {
    sharedStrings: "cache",
    styles: "cache",
    hyperlinks: "ignore",
    worksheets: "emit",
    entries: "ignore",
  });
  let rows = 0;
  let cells = 0;
  for await (const ws of reader) {
    for await (const row of ws as AsyncIterable<ExcelJS.Row>) {
      rows++;
      cells += row.cellCount;
    }
  }
  return { rows, cells };
}

export async function measureParse(files: string[], which: ParseWhich): Promise<ParseMeasure> {
  const each = which === "floor" ? floorFile : which === "fast" ? fastFile : exceljsFile;
  let rows = 0;
  let cells = 0;
  const c0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  for (const f of files) {
    const r = await each(f);
    rows += r.rows;
    cells += r.cells;
  }
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpu = process.cpuUsage(c0);
  return {
    which,
    files: files.length,
    rows,
    cells,
    seconds,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    rowsPerSecond: rows / seconds,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
  };
}

/** Writes `files` workbooks of `rows` × `cols` (text, integers, decimals, dates) with exceljs. */
export async function generateBenchSet(dir: string, files = 20, rows = 5000, cols = 10): Promise<string[]> {
  const out: string[] = [];
  for (let f = 0; f < files; f++) {
    const path = join(dir, `bench-${f}.xlsx`);
    const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path, useSharedStrings: true, useStyles: true });
    const ws = wb.addWorksheet("Dữ liệu");
    ws.addRow(["Mã nhiệm vụ", "Tên nhiệm vụ", ...Array.from({ length: cols - 2 }, (_, i) => `Dự toán ${2020 + i}`)]).commit();
    for (let r = 0; r < rows; r++) {
      const values: (string | number | Date)[] = [`NV-${f}-${r}`, `Nhiệm vụ số ${r % 997} về khoa học & công nghệ`];
      for (let c = 2; c < cols; c++) values.push(c === cols - 1 ? new Date(Date.UTC(2020, r % 12, 1)) : (r * 31 + c * 7) % 100000 / (c % 3 === 0 ? 1 : 1000));
      const row = ws.addRow(values);
      row.getCell(cols).numFmt = "mm/yyyy";
      row.commit();
    }
    ws.commit();
    await wb.commit();
    out.push(path);
  }
  return out;
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      files: { type: "string", default: "20" },
      rows: { type: "string", default: "5000" },
      cols: { type: "string", default: "10" },
      only: { type: "string" },
      repeat: { type: "string", default: "1" },
    },
  });
  let files = positionals;
  let dir: string | null = null;
  if (!files.length) {
    dir = await mkdtemp(join(tmpdir(), "phuluc-bench-"));
    files = await generateBenchSet(dir, Number(values.files), Number(values.rows), Number(values.cols));
  }
  try {
    // each measure in the same process, exceljs last (its memory would inflate the others' RSS);
    // with --repeat N each is run N times and the fastest run is kept (the machine is shared)
    const order: ParseWhich[] = values.only ? [values.only as ParseWhich] : ["floor", "fast", "exceljs"];
    const results: ParseMeasure[] = [];
    for (const which of order) {
      let best: ParseMeasure | null = null;
      for (let k = 0; k < Number(values.repeat); k++) {
        const m = await measureParse(files, which);
        if (!best || m.seconds < best.seconds) best = m;
      }
      results.push(best!);
    }
    for (const r of results) {
      console.log(
        `${r.which.padEnd(8)} ${r.seconds.toFixed(3)} s (cpu ${r.cpuSeconds.toFixed(3)} s)  ${Math.round(r.rowsPerSecond).toLocaleString("en")} rows/s  ` +
          `rows ${r.rows}  cells ${r.cells}  peak RSS ${r.peakRssMb.toFixed(0)} MB`,
      );
    }
    if (results.length === 3) {
      const [floor, fast, exceljs] = results;
      console.log(`fast / floor = ${(fast.seconds / floor.seconds).toFixed(2)}   exceljs / fast = ${(exceljs.seconds / fast.seconds).toFixed(2)}  (wall)`);
      console.log(`fast / floor = ${(fast.cpuSeconds / floor.cpuSeconds).toFixed(2)}   exceljs / fast = ${(exceljs.cpuSeconds / fast.cpuSeconds).toFixed(2)}  (cpu)`);
    }
  } finally {
    if (dir) await rm(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  main().catch((e) => {
    console.error(e);
    process.exitCode = 1;
  });
}
