import { describe, expect, it } from "vitest";
import { spawn } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import ExcelJS from "exceljs";
import { ConfigSchema } from "../../core/config.js";
import { splitReady, type Seen } from "../../etl/watch/stability.js";
import { runTick, type Logger } from "../../etl/watch/tick.js";
import { tryLock } from "../../warehouse/generations.js";
import { openCurrent } from "../../warehouse/generations.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const sample = join(root, "sample", "inbox");
const config = ConfigSchema.parse({ province: { code: "80", name: "Long An" } });

function silent(): Logger & { lines: { msg?: string; obj: object }[] } {
  const lines: { msg?: string; obj: object }[] = [];
  const rec = (obj: object, msg?: string) => void lines.push({ obj, msg });
  return { lines, info: rec, warn: rec, error: rec };
}

function workspace() {
  const dir = mkdtempSync(join(tmpdir(), "phuluc-watch-"));
  const inbox = join(dir, "inbox");
  mkdirSync(inbox);
  return { dir, inbox, db: join(dir, "w.duckdb") };
}

describe("splitReady (injected clock)", () => {
  const f = (fileId: string, size: number, mtimeMs: number) => ({ fileId, office: "chung", path: fileId, size, mtimeMs });
  it("waits for a file until it is unchanged since the last look and older than the settle time", () => {
    const seen: Seen = new Map();
    expect(splitReady([f("a.xlsx", 10, 1000)], seen, 100_000, 30_000).ready).toEqual([]); // first look
    expect(splitReady([f("a.xlsx", 20, 90_000)], seen, 100_000, 30_000).waiting[0]!.why).toMatch(/changed/); // growing
    expect(splitReady([f("a.xlsx", 20, 90_000)], seen, 100_000, 30_000).waiting[0]!.why).toMatch(/recently/); // too young
    expect(splitReady([f("a.xlsx", 20, 90_000)], seen, 130_000, 30_000).ready.map((x) => x.fileId)).toEqual(["a.xlsx"]);
  });
  it("--once decides on age alone", () => {
    expect(splitReady([f("a.xlsx", 10, 1000)], new Map(), 100_000, 30_000, true).ready).toHaveLength(1);
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
