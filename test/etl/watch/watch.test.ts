import { afterAll, describe, expect, it } from "vitest";
import { spawn } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import ExcelJS from "exceljs";
import { ConfigSchema } from "../../../core/config.js";
import { splitReady, type Seen } from "../../../etl/watch/stability.js";
import { runTick, type Logger } from "../../../etl/watch/tick.js";
import { problemsText } from "../../../etl/watch/quality.js";
import { problem } from "../../../core/problem.js";
import type { LoadReport } from "../../../warehouse/load.js";
import { tryLock } from "../../../warehouse/generations.js";
import { openCurrent } from "../../../warehouse/generations.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
const sample = join(root, "sample", "inbox");
const config = ConfigSchema.parse({ province: { code: "80", name: "Long An" } });

function silent(): Logger & { lines: { msg?: string; obj: object }[] } {
  const lines: { msg?: string; obj: object }[] = [];
  const rec = (obj: object, msg?: string) => void lines.push({ obj, msg });
  return { lines, info: rec, warn: rec, error: rec };
}

// the workspaces made, removed after the file's tests (left behind, each run kept its warehouses)
const made: string[] = [];
afterAll(() => {
  for (const d of made.splice(0)) rmSync(d, { recursive: true, force: true });
});

function workspace() {
  const dir = mkdtempSync(join(tmpdir(), "phuluc-watch-"));
  made.push(dir);
  const inbox = join(dir, "inbox");
  mkdirSync(inbox);
  return { dir, inbox, db: join(dir, "w.duckdb") };
}

describe("splitReady (injected clock)", () => {
  const f = (fileId: string, size: number, mtimeMs: number) => ({ fileId, office: "chung", path: fileId, size, mtimeMs });
  it("waits for a file until it is unchanged since the last look and older than the settle time", () => {
    const seen: Seen = new Map();
    expect(splitReady([f("a.xlsx", 10, 80_000)], seen, 100_000, 30_000).ready).toEqual([]); // first look, 20 s old
    expect(splitReady([f("a.xlsx", 20, 90_000)], seen, 100_000, 30_000).waiting[0]!.why).toMatch(/changed/); // growing
    expect(splitReady([f("a.xlsx", 20, 90_000)], seen, 100_000, 30_000).waiting[0]!.why).toMatch(/recently/); // too young
    expect(splitReady([f("a.xlsx", 20, 90_000)], seen, 130_000, 30_000).ready.map((x) => x.fileId)).toEqual(["a.xlsx"]);
  });
  it("a first look (the start of etl watch) at files untouched for longer than the settle time reads them, and never says they changed", () => {
    // issue 15: every start warned "changed since the last look (still being copied?)" about files untouched for minutes
    const seen: Seen = new Map();
    const first = splitReady([f("old.xlsx", 10, 1000), f("young.xlsx", 10, 95_000)], seen, 100_000, 30_000);
    expect(first.ready.map((x) => x.fileId)).toEqual(["old.xlsx"]);
    expect(first.waiting).toEqual([{ fileId: "young.xlsx", why: "modified too recently" }]);
    // young.xlsx untouched since: read at the next look once old enough
    expect(splitReady([f("young.xlsx", 10, 95_000)], seen, 130_000, 30_000).ready.map((x) => x.fileId)).toEqual(["young.xlsx"]);
    // with no settle time there is no age to go by: the first look waits for a second one, and says so
    const noSettle = splitReady([f("a.xlsx", 10, 1000)], new Map(), 100_000, 0);
    expect(noSettle.waiting[0]!.why).not.toMatch(/changed/);
    expect(noSettle.waiting[0]!.why).toMatch(/first seen/);
  });
  it("--once decides on age alone", () => {
    expect(splitReady([f("a.xlsx", 10, 1000)], new Map(), 100_000, 30_000, true).ready).toHaveLength(1);
  });
});

describe("the note beside a rejected file", () => {
  it("counts its errors and warnings, and says to keep the name or forget the old copy (issue 15)", () => {
    const id = "P.KHTC/Cap phat kinh phi.xlsx";
    const err = (i: number) => problem("KEY_DUPLICATE", "error", { file: id, sheet: "Cap phat", cell: `B${i + 2}`, other: { file: "P.KHTC/kp cu.xlsx", sheet: "Cap phat", cell: `B${i + 2}` } }, `số liệu ${i}`, `figure ${i}`);
    const report = {
      runId: 7,
      finishedAt: "2026-12-02T08:00:00.000Z",
      files: [{ fileId: id, office: "P.KHTC", sha256: "", status: "rejected", rows: 0, errors: 24, warnings: 1 }],
      problems: [
        ...Array.from({ length: 24 }, (_, i) => err(i)),
        problem("ROW_HIDDEN", "warning", { file: id, sheet: "Cap phat", cell: "A9" }, "dòng 9 ẩn", "row 9 hidden"),
        problem("VALUE_NEGATIVE", "error", { file: "other.xlsx", sheet: "S", cell: "B2" }, "âm", "negative"),
      ],
    } as unknown as LoadReport;
    const t = problemsText(report, id);
    expect(t).toContain("24 lỗi, 1 cảnh báo / 24 errors, 1 warning");
    expect(t.split("\n").filter((l) => l.startsWith("- ["))).toHaveLength(25);
    expect(t).toContain("GIỮ NGUYÊN TÊN TỆP");
    expect(t).toContain("UNDER THE SAME NAME");
    expect(t).toContain(`phuluc etl forget "${id}"`);
    expect(t).not.toContain("drop it into the inbox again.");
  });
});

describe("runTick", () => {
  it("loads good files, sets a bad one aside with its report, moves both, writes the quality workbook", async () => {
    const w = workspace();
    cpSync(join(sample, "P.QLKH"), join(w.inbox, "P.QLKH"), { recursive: true });
    cpSync(join(sample, "Huyen"), join(w.inbox, "Huyen"), { recursive: true });
    mkdirSync(join(w.inbox, "P.KHTC"));
    writeFileSync(join(w.inbox, "P.KHTC", "hong.xlsx"), "STT,Ten\n1,abc\n"); // a CSV named .xlsx
    const log = silent();
    const r = await runTick({ inbox: w.inbox, db: w.db, config, settleMs: 0, seen: new Map(), once: true, now: () => new Date(), log });
    expect(r.status).toBe("ran");
    expect(r.runId).toBe(1);
    expect(r.report!.outcome).toBe("partial");
    const processed = join(w.inbox, "processed", "run-000001");
    expect(existsSync(join(processed, "Huyen", "NV KHCN cap huyen 2023.xlsx"))).toBe(true);
    expect(existsSync(join(processed, "P.QLKH", "Danh muc nhiem vu KHCN (ban cuoi).xlsx"))).toBe(true);
    const rejected = join(w.inbox, "rejected", "run-000001", "P.KHTC");
    expect(readdirSync(rejected).sort()).toEqual(["hong.xlsx", "hong.xlsx.problems.txt"]);
    expect(readFileSync(join(rejected, "hong.xlsx.problems.txt"), "utf8")).toContain("FILE_NOT_XLSX");
    // the lock file stays in the inbox root: not read, not moved
    expect(existsSync(join(w.inbox, "P.QLKH", "~$Danh muc nhiem vu KHCN (ban cuoi).xlsx"))).toBe(true);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(`${w.db}.reports/run-000001.xlsx`);
    expect(wb.worksheets.map((s) => s.name)).toEqual(["Vấn đề - Problems", "Thay đổi - Changes", "Theo đơn vị - By office"]);
    const problems = wb.getWorksheet("Vấn đề - Problems")!;
    const codes: string[] = [];
    problems.eachRow((row, n) => void (n > 1 && codes.push(String(row.getCell(2).value))));
    expect(codes).toContain("FILE_NOT_XLSX");
    // issue 15: a first load's Changes sheet says why it lists no old → new, with the count, and
    // lists the files it added; every sheet prints like an appendix
    const changes = wb.getWorksheet("Thay đổi - Changes")!;
    const texts: string[] = [];
    changes.eachRow((row) => row.eachCell((c) => void texts.push(String(c.value))));
    const added = r.report!.changeCounts.added;
    expect(added).toBeGreaterThan(0);
    expect(texts.some((t) => t.includes(`all of their ${added} figures are new`) && t.includes(`cả ${added} số liệu`))).toBe(true);
    expect(texts).toEqual(expect.arrayContaining(["Huyen/NV KHCN cap huyen 2023.xlsx", "P.QLKH/Danh muc nhiem vu KHCN (ban cuoi).xlsx"]));
    for (const ws of wb.worksheets) {
      const ps = ws.pageSetup;
      expect([ps.orientation, ps.fitToPage, ps.fitToWidth, ps.fitToHeight, ps.paperSize], ws.name).toEqual(["landscape", true, 1, 0, 9]);
      const head = Number(/^(\d+):\1$/.exec(ps.printTitlesRow ?? "")?.[1]);
      expect(head, ws.name).toBeGreaterThan(1);
      ws.getRow(head).eachCell((c) => {
        expect(c.alignment?.wrapText, `${ws.name} ${c.address}`).toBe(true);
        expect(c.font?.name).toBe("Times New Roman");
        expect(c.border?.bottom?.style).toBe("thin");
        // wide enough for its longest word, high enough for its lines
        const words = String(c.value).split(/\s+/);
        expect(ws.getColumn(c.col).width! + 0.5).toBeGreaterThanOrEqual(Math.max(...words.map((x) => x.length)));
      });
      expect(ws.getRow(head).height).toBeGreaterThanOrEqual(15);
      expect(ws.getCell(1, 1).font?.name).toBe("Times New Roman");
      expect(ws.getCell(1, 1).font?.bold).toBe(true);
    }
    const db = await openCurrent(w.db);
    expect(await db.all("select count(*)::int n from task")).toEqual([{ n: 35 }]);
    db.close();
    // nothing left to do on the next tick
    expect((await runTick({ inbox: w.inbox, db: w.db, config, settleMs: 0, seen: new Map(), once: true, now: () => new Date(), log })).status).toBe("idle");
  });

  it("skips the tick when another run holds the warehouse (never overlaps)", async () => {
    const w = workspace();
    cpSync(join(sample, "Huyen"), join(w.inbox, "Huyen"), { recursive: true });
    const lock = tryLock(w.db)!;
    const r = await runTick({ inbox: w.inbox, db: w.db, config, settleMs: 0, seen: new Map(), once: true, now: () => new Date(), log: silent() });
    lock.release();
    expect(r.status).toBe("busy");
    expect(existsSync(join(w.inbox, "Huyen", "NV KHCN cap huyen 2023.xlsx"))).toBe(true);
  });
});

describe("etl watch on a real schedule", () => {
  it("picks up a dropped file, logs JSON lines, and stops on SIGTERM", async () => {
    const w = workspace();
    const child = spawn(process.execPath, ["--import", "tsx", join(root, "cli", "main.ts"), "etl", "watch", w.inbox, "--db", w.db, "--every", "* * * * * *", "--settle", "0"], {
      cwd: root,
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, PHULUC_CONFIG: join(root, "sample", "phuluc.config.json") },
    });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (out += d));
    const exited = new Promise<number | null>((res) => child.on("exit", (c) => res(c)));
    try {
      // bounded wait for the watcher to start, then drop a file
      for (let i = 0; i < 200 && !out.includes("watching"); i++) await new Promise((r) => setTimeout(r, 100));
      cpSync(join(sample, "P.QLKH", "Danh muc nhiem vu KHCN (ban cuoi).xlsx"), join(w.inbox, "dm.xlsx"));
      const target = join(w.inbox, "processed", "run-000001", "dm.xlsx");
      for (let i = 0; i < 300 && !existsSync(target); i++) await new Promise((r) => setTimeout(r, 100));
      expect(existsSync(target)).toBe(true);
    } finally {
      child.kill("SIGTERM");
    }
    expect(await exited).toBe(0);
    const lines = out.trim().split("\n").map((l) => JSON.parse(l) as { msg: string });
    expect(lines.map((l) => l.msg)).toEqual(expect.arrayContaining(["watching", "run", "stopping"]));
  }, 90_000);
});
