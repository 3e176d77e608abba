// Hostile workbooks (issue 13, findings 1–4 and the ETL's part of 7): files that crashed, stalled or
// silently mis-read the ETL. Each is made at test time (small files; some inflate to hundreds of
// MB) and must become a located problem — or load — within 512 MB; the time each took is recorded,
// never asserted. Findings 3, 4 and 7 read each file in a child process of its own (read-one.ts:
// the reader in-process, as a worker runs it), so that its peak memory (maxRSS) is that file's.
// Finding 1 goes through `etl load` on the sample; finding 2 through a tick of `etl watch`.
import { spawn } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { unzipSync } from "fflate";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Problem } from "../../core/problem.js";
import { ConfigSchema } from "../../core/config.js";
import { etlLoad } from "../../etl/commands.js";
import { pooledParser } from "../../etl/read-pool.js";
import { runTick, type Logger } from "../../etl/watch/tick.js";
import { openCurrent } from "../../warehouse/generations.js";
import { CONFIG, copySampleInbox, editXlsx, FIXED_NOW, recordFigures, removeDir, ROOT, SAMPLE_INBOX, tempDir, wellFormed } from "./helpers.js";
import { sheetXml, SST_HEAD, SST_TAIL, STYLES, writeBook, writeZip, type Part } from "./hostile-files.js";

const MEMORY_GOAL_MB = 512;

interface Expect {
  /** codes any one of which refuses the file (a load that succeeds: "loads") */
  codes: string[] | "loads";
  sheet?: string;
  cell?: string;
}

interface Case {
  id: string;
  finding: number;
  what: string;
  make: (path: string) => Promise<unknown>;
  expect: Expect;
  limits?: Record<string, number>;
}

const row1 = (cells: string) => sheetXml(`<row r="1">${cells}</row>`);
const [SHEET_HEAD, SHEET_TAIL] = sheetXml("|").split("|") as [string, string];

/** The sample's TDC workbook with parts edited (text in, text out) and rewritten by writeZip. */
async function tdcWith(path: string, edit: (name: string, text: string) => string): Promise<void> {
  const src = join(SAMPLE_INBOX, "TDC", "Chi tieu TDC 6T2023.xlsx");
  const parts = unzipSync(new Uint8Array(readFileSync(src)));
  const out: Part[] = [];
  for (const [name, bytes] of Object.entries(parts)) {
    if (name.endsWith("/")) continue;
    const text = Buffer.from(bytes).toString("utf8");
    out.push({ name, text: name.endsWith(".xml") ? edit(name, text) : Buffer.from(bytes) });
  }
  await writeZip(path, out);
}

const CASES: Case[] = [
  // ---- finding 3: crashes without a place
  {
    id: "row-reference-past-2^31",
    finding: 3,
    what: "a row reference above 2^31",
    make: (p) => writeBook(p, { sheetParts: [sheetXml('<row r="2147483649"><c r="A2147483649"><v>1</v></c></row>')] }),
    expect: { codes: ["FILE_INVALID"], sheet: "Sheet1" },
  },
  {
    id: "150000-rows-each-a-problem",
    finding: 3,
    what: "150 000 rows that each raise a problem",
    make: (p) =>
      tdcWith(p, (name, t) =>
        name === "xl/worksheets/sheet1.xml"
          ? t.replace(
              "</sheetData>",
              Array.from({ length: 150_000 }, (_, i) => `<row r="${i + 11}"><c r="A${i + 11}" t="inlineStr"><is><t>${i + 100}</t></is></c><c r="B${i + 11}" t="s"><v>12</v></c><c r="C${i + 11}" t="inlineStr"><is><t>Chỉ tiêu ${i}</t></is></c><c r="D${i + 11}" t="s"><v>14</v></c><c r="E${i + 11}" t="inlineStr"><is><t>không phải số</t></is></c></row>`).join("") + "</sheetData>",
            )
          : t,
      ),
    expect: { codes: ["PROBLEMS_MORE"] },
  },
  {
    id: "20000-sheet-entries-one-part",
    finding: 3,
    what: "20 000 sheet entries pointing at one small sheet",
    make: (p) => writeBook(p, { sheets: Array.from({ length: 20_000 }, (_, i) => ({ name: `S${i}`, part: 1 })), sheetParts: [row1('<c r="A1"><v>1</v></c>')] }),
    expect: { codes: ["FILE_LIMIT_EXCEEDED"] },
  },
  {
    id: "two-sheet-entries-one-part",
    finding: 3,
    what: "two sheet entries reading one part",
    make: (p) => writeBook(p, { sheets: [{ name: "A", part: 1 }, { name: "B", part: 1 }], sheetParts: [row1('<c r="A1"><v>1</v></c>')] }),
    expect: { codes: ["FILE_INVALID"], sheet: "B" },
  },
  // ---- finding 4: memory and time from small files
  {
    id: "100MB-shared-string",
    finding: 4,
    what: "a 100 MB shared string",
    make: (p) => writeBook(p, { sheetParts: [row1('<c r="A1" t="s"><v>0</v></c>')], sharedStrings: { head: `${SST_HEAD}<si><t>`, body: "x", times: 100 * 1024 * 1024, tail: `</t></si>${SST_TAIL}` } }),
    expect: { codes: ["FILE_LIMIT_EXCEEDED"] },
  },
  {
    id: "150000x500-empty-cells",
    finding: 4,
    what: "150 000 rows × 500 empty cells",
    make: (p) => writeBook(p, { sheetParts: [{ head: SHEET_HEAD, body: "<row>" + "<c/>".repeat(500) + "</row>", times: 150_000, tail: SHEET_TAIL }] }),
    expect: { codes: ["FILE_LIMIT_EXCEEDED"], sheet: "Sheet1" },
  },
  {
    id: "40M-nested-in-shared-strings",
    finding: 4,
    what: "40 million nested elements in the shared strings",
    make: (p) => writeBook(p, { sheetParts: [row1('<c r="A1" t="s"><v>0</v></c>')], sharedStrings: { head: `${SST_HEAD}<si>`, body: "<a>", times: 40_000_000, tail: "" } }),
    expect: { codes: ["FILE_LIMIT_EXCEEDED"] },
  },
  {
    id: "20MB-string-in-10000-cells",
    finding: 4,
    what: "a 20 MB string used by 10 000 cells",
    make: (p) =>
      writeBook(p, {
        sheetParts: [sheetXml(Array.from({ length: 10_000 }, (_, i) => `<row r="${i + 1}"><c r="A${i + 1}" t="s"><v>0</v></c></row>`).join(""))],
        sharedStrings: { head: `${SST_HEAD}<si><t>`, body: "Tổng ", times: 4 * 1024 * 1024, tail: `</t></si>${SST_TAIL}` },
      }),
    expect: { codes: ["FILE_LIMIT_EXCEEDED"] },
  },
  {
    id: "32767-char-string-in-10000-cells",
    finding: 4,
    what: "a string at Excel's 32 767-character limit used by 10 000 cells (loads)",
    make: (p) =>
      writeBook(p, {
        sheetParts: [sheetXml(Array.from({ length: 10_000 }, (_, i) => `<row r="${i + 1}"><c r="A${i + 1}" t="s"><v>0</v></c><c r="B${i + 1}"><v>${i}</v></c></row>`).join(""))],
        sharedStrings: `${SST_HEAD}<si><t>${"Tổng cộng ".repeat(3276)}1234567</t></si>${SST_TAIL}`,
      }),
    expect: { codes: "loads" },
  },
  {
    id: "2000-sheets-one-100MB-part",
    finding: 4,
    what: "2 000 sheets pointing at one part that inflates to 100 MB",
    make: (p) =>
      writeBook(p, {
        sheets: Array.from({ length: 2000 }, (_, i) => ({ name: `S${i}`, part: 1 })),
        sheetParts: [{ head: `${SHEET_HEAD}<row r="1"><c r="A1"><v>1</v></c></row>`, body: " ", times: 100 * 1024 * 1024, tail: SHEET_TAIL }],
      }),
    expect: { codes: ["FILE_LIMIT_EXCEEDED", "FILE_INVALID"] },
  },
  {
    id: "inflate-budget-per-file",
    finding: 4,
    what: "10 sheets of 10 MB each against a 64 MB budget: the budget is the file's, not each sheet's",
    limits: { maxInflatedBytes: 64 * 1024 * 1024 },
    make: (p) => writeBook(p, { sheetParts: Array.from({ length: 10 }, () => ({ head: `${SHEET_HEAD}<row r="1"><c r="A1"><v>1</v></c></row>`, body: " ", times: 10 * 1024 * 1024, tail: SHEET_TAIL })) }),
    expect: { codes: ["FILE_TOO_LARGE"] },
  },
  {
    id: "200MB-unterminated-tag",
    finding: 4,
    what: "a 200 MB unterminated tag",
    make: (p) => writeBook(p, { sheetParts: [{ head: `${SHEET_HEAD}<row r="1"><c r="A1"><v>1</v></c></row><row r="2" x="`, body: "a", times: 200 * 1024 * 1024, tail: "" }] }),
    expect: { codes: ["FILE_LIMIT_EXCEEDED"], sheet: "Sheet1" },
  },
  {
    id: "100M-empty-si",
    finding: 4,
    what: "100 million empty <si/>",
    make: (p) => writeBook(p, { sheetParts: [row1('<c r="A1" t="s"><v>0</v></c>')], sharedStrings: { head: SST_HEAD, body: "<si/>", times: 100_000_000, tail: SST_TAIL } }),
    expect: { codes: ["FILE_LIMIT_EXCEEDED"] },
  },
  {
    id: "huge-style-table",
    finding: 4,
    what: "a style table of 5 million cell formats",
    make: (p) => writeBook(p, { sheetParts: [row1('<c r="A1"><v>1</v></c>')], styles: { head: `${STYLES.replace("</styleSheet>", "")}<cellXfs>`, body: '<xf numFmtId="0" fontId="0"/>', times: 5_000_000, tail: "</cellXfs></styleSheet>" } }),
    expect: { codes: ["FILE_LIMIT_EXCEEDED"] },
  },
  {
    id: "huge-merge-table",
    finding: 4,
    what: "5 million merged areas",
    make: (p) => writeBook(p, { sheetParts: [{ head: `${SHEET_HEAD.replace("<sheetData>", "")}<sheetData><row r="1"><c r="A1"><v>1</v></c></row></sheetData><mergeCells>`, body: '<mergeCell ref="A1:B2"/>', times: 5_000_000, tail: "</mergeCells></worksheet>" }] }),
    expect: { codes: ["FILE_LIMIT_EXCEEDED"], sheet: "Sheet1" },
  },
  {
    id: "deep-nesting-in-styles",
    finding: 4,
    what: "10 million nested elements in styles.xml",
    make: (p) => writeBook(p, { sheetParts: [row1('<c r="A1"><v>1</v></c>')], styles: { head: `${STYLES.replace("</styleSheet>", "")}`, body: "<x>", times: 10_000_000, tail: "" } }),
    expect: { codes: ["FILE_LIMIT_EXCEEDED"] },
  },
  {
    id: "deep-nesting-in-a-sheet",
    finding: 4,
    what: "10 million nested elements in a sheet (read without a stack: loads)",
    make: (p) => writeBook(p, { sheetParts: [{ head: `${SHEET_HEAD}<row r="1"><c r="A1"><v>1</v></c></row>`, body: "<x>", times: 10_000_000, tail: "</sheetData></worksheet>" }] }),
    expect: { codes: "loads" },
  },
  // ---- finding 7: silent guesses
  {
    id: "duplicate-zip-entries",
    finding: 7,
    what: "one part twice in the zip",
    make: (p) => writeBook(p, { sheetParts: [row1('<c r="A1"><v>1</v></c>')], extra: [{ name: "xl/worksheets/sheet1.xml", text: row1('<c r="A1"><v>2</v></c>') }] }),
    expect: { codes: ["FILE_INVALID"] },
  },
  {
    id: "cell-given-twice",
    finding: 7,
    what: "a cell given twice in a sheet",
    make: (p) => writeBook(p, { sheetParts: [row1('<c r="B1"><v>1</v></c><c r="A1"><v>2</v></c><c r="B1"><v>3</v></c>')] }),
    expect: { codes: ["FILE_INVALID"], sheet: "Sheet1", cell: "B1" },
  },
  {
    id: "row-given-twice",
    finding: 7,
    what: "a row given twice in a sheet",
    make: (p) => writeBook(p, { sheetParts: [sheetXml('<row r="1"><c r="A1"><v>1</v></c></row><row r="1"><c r="B1"><v>2</v></c></row>')] }),
    expect: { codes: ["FILE_INVALID"], sheet: "Sheet1", cell: "A1" },
  },
  {
    id: "hex-number",
    finding: 7,
    what: '"0x55" in a numeric cell',
    make: (p) => writeBook(p, { sheetParts: [row1('<c r="A1"><v>1</v></c><c r="C1"><v>0x55</v></c>')] }),
    expect: { codes: ["FILE_INVALID"], sheet: "Sheet1", cell: "C1" },
  },
  {
    id: "invalid-utf8-in-a-sheet",
    finding: 7,
    what: "bytes that are not UTF-8 in a sheet",
    make: (p) => writeBook(p, { sheetParts: [Buffer.concat([Buffer.from(SHEET_HEAD + '<row r="1"><c r="A1" t="inlineStr"><is><t>Ng'), Buffer.from([0xc3, 0x28]), Buffer.from("n</t></is></c></row>" + SHEET_TAIL)])] }),
    expect: { codes: ["FILE_INVALID"], sheet: "Sheet1" },
  },
  {
    id: "invalid-utf8-in-shared-strings",
    finding: 7,
    what: "bytes that are not UTF-8 in the shared strings",
    make: (p) => writeBook(p, { sheetParts: [row1('<c r="A1" t="s"><v>0</v></c>')], sharedStrings: Buffer.concat([Buffer.from(`${SST_HEAD}<si><t>Ng`), Buffer.from([0xff, 0xfe]), Buffer.from(`n</t></si>${SST_TAIL}`)]) }),
    expect: { codes: ["FILE_INVALID"] },
  },
  {
    id: "fffe-in-a-cell",
    finding: 7,
    what: "&#xFFFE; in a cell's text",
    make: (p) => writeBook(p, { sheetParts: [row1('<c r="A1"><v>1</v></c><c r="D1" t="inlineStr"><is><t>a&#xFFFE;b</t></is></c>')] }),
    expect: { codes: ["FILE_INVALID"], sheet: "Sheet1", cell: "D1" },
  },
  {
    id: "control-char-in-a-cell",
    finding: 7,
    what: "a raw control character (U+0001) in a cell's text",
    make: (p) => writeBook(p, { sheetParts: [row1('<c r="A1"><v>1</v></c><c r="E1" t="str"><v>a\u0001b</v></c>')] }),
    expect: { codes: ["FILE_INVALID"], sheet: "Sheet1", cell: "E1" },
  },
  {
    id: "fffe-in-a-shared-string",
    finding: 7,
    what: "&#xFFFE; in a shared string",
    make: (p) => writeBook(p, { sheetParts: [row1('<c r="A1" t="s"><v>0</v></c>')], sharedStrings: `${SST_HEAD}<si><t>a&#xFFFE;b</t></si>${SST_TAIL}` }),
    expect: { codes: ["FILE_INVALID"] },
  },
];

interface Measured {
  problems?: Problem[];
  threw?: string;
  ms: number;
  maxRssMb: number;
}

function readInChild(path: string, fileId: string, limits?: Record<string, number>): Promise<Measured> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", join(ROOT, "test", "reliability", "read-one.ts"), path, fileId, ...(limits ? [JSON.stringify(limits)] : [])], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (err += d));
    child.on("close", (code) => {
      try {
        resolve(JSON.parse(out.trim().split("\n").pop()!));
      } catch {
        reject(new Error(`read-one exited ${code}: ${err.slice(-2000)}`));
      }
    });
  });
}

const figures = {
  attempts: 0,
  held: 0,
  broken: 0,
  byFinding: {} as Record<string, { attempts: number; held: number; broken: number }>,
  worst: { memory: { id: "", maxRssMb: 0, ms: 0 }, time: { id: "", maxRssMb: 0, ms: 0 } },
  memoryGoalMb: MEMORY_GOAL_MB,
  perCase: {} as Record<string, { finding: number; what: string; held: boolean; outcome: string; place?: string; ms?: number; maxRssMb?: number; fileKb?: number }>,
};

function tally(id: string, finding: number, what: string, held: boolean, outcome: string, extra: { place?: string; ms?: number; maxRssMb?: number; fileKb?: number } = {}): void {
  figures.attempts++;
  const f = (figures.byFinding[String(finding)] ??= { attempts: 0, held: 0, broken: 0 });
  f.attempts++;
  if (held) {
    figures.held++;
    f.held++;
  } else {
    figures.broken++;
    f.broken++;
  }
  figures.perCase[id] = { finding, what, held, outcome, ...extra };
  if (extra.maxRssMb !== undefined && extra.maxRssMb > figures.worst.memory.maxRssMb) figures.worst.memory = { id, maxRssMb: Math.round(extra.maxRssMb), ms: Math.round(extra.ms ?? 0) };
  if (extra.ms !== undefined && extra.ms > figures.worst.time.ms) figures.worst.time = { id, maxRssMb: Math.round(extra.maxRssMb ?? 0), ms: Math.round(extra.ms) };
}

let work = "";
beforeAll(() => {
  work = tempDir("hostile");
});
afterAll(() => {
  recordFigures("hostile", figures);
  removeDir(work);
});

describe("hostile files (findings 3, 4, 7): a located problem, or a load, within 512 MB", () => {
  for (const c of CASES) {
    it(`${c.id}: ${c.what}`, { timeout: 180_000 }, async () => {
      const dir = join(work, c.id, "Hostile");
      mkdirSync(dir, { recursive: true });
      const path = join(dir, `${c.id}.xlsx`);
      await c.make(path);
      const fileId = `Hostile/${c.id}.xlsx`;
      const m = await readInChild(path, fileId, c.limits);
      const fileKb = Math.round(readFileSync(path).length / 1024);
      let held = false;
      let outcome = m.threw ? `threw: ${m.threw.split("\n")[0]}` : "";
      let place: string | undefined;
      try {
        expect(m.threw).toBeUndefined();
        const ps = m.problems!;
        for (const p of ps) expect(wellFormed(p)).toBeNull();
        if (c.expect.codes === "loads") {
          // an unrecognised sheet gives FILE_NO_DATA: read to its end, nothing thrown, no limit hit
          expect(ps.filter((p) => ["FILE_LIMIT_EXCEEDED", "FILE_INVALID", "FILE_TOO_LARGE", "FILE_TRUNCATED"].includes(p.code))).toEqual([]);
          outcome = `read to the end (${ps.map((p) => p.code).join(", ") || "no problem"})`;
        } else {
          const hit = ps.find((p) => (c.expect.codes as string[]).includes(p.code));
          expect(hit, JSON.stringify(ps.slice(0, 3))).toBeDefined();
          expect(hit!.place.file).toBe(fileId);
          if (c.expect.sheet) expect(hit!.place.sheet).toBe(c.expect.sheet);
          if (c.expect.cell) expect(hit!.place.cell).toBe(c.expect.cell);
          expect(ps.length).toBeLessThanOrEqual(1001);
          place = [hit!.place.sheet, hit!.place.cell].filter(Boolean).join("!") || "(file)";
          outcome = `${hit!.code} ${place}: ${hit!.en.replace(`${fileId} › `, "").replace(`${fileId}: `, "").slice(0, 160)}`;
        }
        expect(m.maxRssMb).toBeLessThan(MEMORY_GOAL_MB);
        held = true;
      } finally {
        tally(c.id, c.finding, c.what, held, outcome, { place, ms: m.ms, maxRssMb: m.maxRssMb, fileKb });
      }
    });
  }
});

describe("finding 1: ordinary figures of 10^9 đồng and more load; only what cannot fit is refused, located", () => {
  const TDC = "TDC/Chi tieu TDC 6T2023.xlsx";
  // G8: the inspection fines of the first half of 2023, in đồng (3 500 000 in the sample)
  const withFine = (v: string, tag: string): string => {
    const inbox = copySampleInbox(tag);
    editXlsx(join(inbox, TDC), (name, t) => (name === "xl/worksheets/sheet1.xml" ? t.replace("<v>3500000</v>", `<v>${v}</v>`) : t));
    return inbox;
  };
  const cases: [string, string, string | null][] = [
    ["1.5e9", "1500000000", "1500000000"],
    ["1e13", "10000000000000", "10000000000000"],
    ["1e18", "1000000000000000000", "1000000000000000000"],
    ["1e25", "1E+25", null],
  ];
  for (const [tag, v, stored] of cases) {
    it(`a fine of ${v} đồng ${stored ? "loads exactly" : "is refused at its cell, the run logged"}`, async () => {
      const inbox = withFine(v, `fine-${tag}`);
      const dir = tempDir(`fine-${tag}`);
      const db = join(dir, "phuluc.duckdb");
      let held = false;
      let outcome = "";
      try {
        const report = join(dir, "report.json");
        const code = await etlLoad({ inbox, db, quiet: true, config: CONFIG, report });
        const r = JSON.parse(readFileSync(report, "utf8")) as { outcome: string; problems: Problem[] };
        const log = readFileSync(`${db}.runs.jsonl`, "utf8").trim().split("\n").map((l) => JSON.parse(l) as { outcome: string });
        expect(log).toHaveLength(1);
        if (stored) {
          expect(code).toBe(0);
          const w = await openCurrent(db);
          try {
            const got = await w.all<{ v: string }>("select value::varchar v from fact_indicator where file_id = $f and cell = 'G8'", { f: TDC });
            expect(got.map((x) => x.v.replace(/\.0+$/, ""))).toEqual([stored]);
            // and the analysts' views and the appendix that shows it (PL06) compute with it
            const stg = await w.all<{ v: string }>("select value::varchar v from stg_fact_indicator where file_id = $f and cell = 'G8'", { f: TDC });
            expect(stg.map((x) => x.v.replace(/\.0+$/, ""))).toEqual([stored]);
            const pl06 = [...(await w.all<Record<string, unknown>>("select * from pl06(2023)")), ...(await w.all<Record<string, unknown>>("select * from pl06(2024)"))];
            expect(pl06.some((r) => Object.values(r).some((x) => x !== null && String(x).replace(/\.0+$/, "") === stored))).toBe(true);
          } finally {
            w.close();
          }
          outcome = `loaded, stored ${stored}`;
        } else {
          expect(code).toBe(1);
          expect(log[0]!.outcome).toBe("rejected");
          const p = r.problems.find((x) => x.code === "VALUE_TOO_LARGE");
          expect(p?.place).toMatchObject({ file: TDC, sheet: "Chi tieu 6T 2023", cell: "G8" });
          outcome = `rejected: ${p!.en}`;
        }
        held = true;
      } finally {
        tally(`fine-${tag}`, 1, `a fine of ${v} đồng`, held, outcome);
        removeDir(dir);
        removeDir(join(inbox, ".."));
      }
    });
  }
});

describe("finding 2 (etl load): a file that makes the loader throw rejects the run with a report, logged; the warehouse is as it was", () => {
  it("etl-load-loader-throws", { timeout: 120_000 }, async () => {
    const inbox = copySampleInbox("load-throws");
    mkdirSync(join(inbox, "Hostile"));
    await writeBook(join(inbox, "Hostile", "hong.xlsx"), { sheetParts: [row1('<c r="A1"><v>1</v></c>')] });
    const dir = tempDir("load-throws");
    const db = join(dir, "phuluc.duckdb");
    let held = false;
    let outcome = "";
    try {
      const pooled = pooledParser(CONFIG);
      const parser: typeof pooled = (f) => (f.fileId.startsWith("Hostile/") ? Promise.reject(new Error("the loader's own failure")) : pooled(f));
      const report = join(dir, "report.json");
      const code = await etlLoad({ inbox, db, quiet: true, config: CONFIG, report, parser });
      expect(code).toBe(1);
      const r = JSON.parse(readFileSync(report, "utf8")) as { outcome: string; problems: Problem[] };
      expect(r.outcome).toBe("rejected");
      const p = r.problems.find((x) => x.code === "FILE_LOAD_FAILED");
      expect(p?.place).toEqual({ file: "Hostile/hong.xlsx" });
      expect(wellFormed(p!)).toBeNull();
      const log = readFileSync(`${db}.runs.jsonl`, "utf8").trim().split("\n").map((l) => JSON.parse(l) as { outcome: string });
      expect(log.map((l) => l.outcome)).toEqual(["rejected"]);
      expect(existsSync(db)).toBe(false); // no generation was published
      outcome = `rejected run, logged: ${p!.en}`;
      held = true;
    } finally {
      tally("etl-load-loader-throws", 2, "etl load: a file whose load throws", held, outcome);
      removeDir(dir);
      removeDir(join(inbox, ".."));
    }
  });
});

describe("finding 2: under etl watch a file that kills its reader, or makes the loader throw, is set aside; the others load in the same tick", () => {
  const silent = (): Logger & { lines: { msg?: string; obj: object }[] } => {
    const lines: { msg?: string; obj: object }[] = [];
    const rec = (obj: object, msg?: string) => void lines.push({ obj, msg });
    return { lines, info: rec, warn: rec, error: rec };
  };
  const twoGoodOffices = (tag: string): { dir: string; inbox: string; db: string } => {
    const dir = tempDir(tag);
    const inbox = join(dir, "inbox");
    mkdirSync(inbox);
    cpSync(join(SAMPLE_INBOX, "P.QLKH"), join(inbox, "P.QLKH"), { recursive: true });
    cpSync(join(SAMPLE_INBOX, "Huyen"), join(inbox, "Huyen"), { recursive: true });
    mkdirSync(join(inbox, "Hostile"));
    return { dir, inbox, db: join(dir, "w.duckdb") };
  };

  const variants: { id: string; what: string; heapMb: number; make: (p: string) => Promise<unknown>; parserThrows?: boolean; code: string }[] = [
    {
      id: "watch-worker-out-of-memory",
      what: "a file whose read passes the worker's heap limit (48 MB here)",
      heapMb: 48,
      make: (p) => writeBook(p, { sheetParts: [{ head: SHEET_HEAD, body: "<row>" + "<c/>".repeat(500) + "</row>", times: 150_000, tail: SHEET_TAIL }] }),
      code: "FILE_READ_OUT_OF_MEMORY",
    },
    {
      id: "watch-limit-refused",
      what: "a hostile file refused by a reading limit (default heap)",
      heapMb: 768,
      make: (p) => writeBook(p, { sheetParts: [row1('<c r="A1" t="s"><v>0</v></c>')], sharedStrings: { head: `${SST_HEAD}<si><t>`, body: "x", times: 100 * 1024 * 1024, tail: `</t></si>${SST_TAIL}` } }),
      code: "FILE_LIMIT_EXCEEDED",
    },
    {
      id: "watch-loader-throws",
      what: "a file whose load throws",
      heapMb: 768,
      make: (p) => writeBook(p, { sheetParts: [row1('<c r="A1"><v>1</v></c>')] }),
      parserThrows: true,
      code: "FILE_LOAD_FAILED",
    },
  ];
  for (const v of variants) {
    it(`${v.id}: ${v.what}`, { timeout: 180_000 }, async () => {
      const w = twoGoodOffices(v.id);
      await v.make(join(w.inbox, "Hostile", "hong.xlsx"));
      const config = ConfigSchema.parse({ province: { code: "80", name: "Long An" }, limits: { readHeapMb: v.heapMb } });
      const pooled = pooledParser(config, { size: 2, heapMb: v.heapMb });
      const parser: typeof pooled = v.parserThrows ? (f) => (f.fileId.startsWith("Hostile/") ? Promise.reject(new Error("the loader's own failure")) : pooled(f)) : pooled;
      const log = silent();
      let held = false;
      let outcome = "";
      try {
        const r = await runTick({ inbox: w.inbox, db: w.db, config, settleMs: 0, seen: new Map(), once: true, now: FIXED_NOW, log, parser });
        expect(r.status).toBe("ran");
        expect(r.runId).toBe(1);
        expect(r.report!.outcome).toBe("partial");
        const byFile = Object.fromEntries(r.report!.files.map((f) => [f.fileId, f.status]));
        expect(byFile).toEqual({ "Huyen/NV KHCN cap huyen 2023.xlsx": "loaded", "P.QLKH/Danh muc nhiem vu KHCN (ban cuoi).xlsx": "loaded", "Hostile/hong.xlsx": "rejected" });
        const p = r.report!.problems.find((x) => x.place.file === "Hostile/hong.xlsx" && x.code === v.code);
        expect(p, JSON.stringify(r.report!.problems.filter((x) => x.place.file === "Hostile/hong.xlsx"))).toBeDefined();
        expect(existsSync(join(w.inbox, "rejected", "run-000001", "Hostile", "hong.xlsx.problems.txt"))).toBe(true);
        const db = await openCurrent(w.db);
        try {
          expect(await db.all("select count(*)::int n from task")).toEqual([{ n: 35 }]);
        } finally {
          db.close();
        }
        // the next tick runs as usual: nothing left, nothing stuck
        expect((await runTick({ inbox: w.inbox, db: w.db, config, settleMs: 0, seen: new Map(), once: true, now: FIXED_NOW, log, parser })).status).toBe("idle");
        outcome = `2 good files loaded in run 1, the hostile one set aside: ${p!.en}`;
        held = true;
      } finally {
        tally(v.id, 2, v.what, held, outcome);
        removeDir(w.dir);
      }
    });
  }
});
