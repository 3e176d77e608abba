// The command line as a new user meets it: `phuluc init`, loads that refuse without a
// configuration, one-line refusals (busy port, missing warehouse) without stack traces, and
// relative paths that mean the folder the command was typed in (also through `npm run`).
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findFormer, findProvince, initCommand, listProvinces } from "../../cli/init.js";
import { makeWarehouse, type TestWarehouse } from "../api/fixtures.js";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
const SAMPLE = join(ROOT, "sample");
const TSX = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The CLI from source, in `cwd`, with no configuration unless env gives one. */
function phuluc(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<Run> {
  return run(process.execPath, ["--import", TSX, join(ROOT, "cli", "main.ts"), ...args], cwd, env);
}

function run(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<Run> {
  const clean = { ...process.env };
  for (const k of ["PHULUC_CONFIG", "PHULUC_DEBUG", "INIT_CWD", "npm_lifecycle_event", "PORT"]) delete clean[k];
  return new Promise((ok) => {
    const child = spawn(cmd, args, { cwd, env: { ...clean, PHULUC_LOG_LEVEL: "silent", ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), 120_000);
    child.on("exit", (code) => {
      clearTimeout(timer);
      ok({ code, stdout, stderr });
    });
  });
}

let dir: string;
let wh: TestWarehouse;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "phuluc-cli-"));
  wh = await makeWarehouse();
  await wh.load();
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  wh?.cleanup();
});

describe("phuluc init", () => {
  it("finds provinces by code or name among today's 34 units; a former one gives the unit that took it in", () => {
    expect(listProvinces()).toHaveLength(34);
    expect(listProvinces().map((p) => p.code)).toEqual([...listProvinces().map((p) => p.code)].sort());
    expect(findProvince("80")).toEqual({ code: "80", name: "Tây Ninh" });
    expect(findProvince("1")).toEqual({ code: "01", name: "Hà Nội" });
    expect(findProvince("tỉnh tây ninh")?.code).toBe("80");
    expect(findProvince("Ho Chi Minh")?.code).toBe("79");
    expect(findProvince("tp. hồ chí minh")?.code).toBe("79");
    expect(findProvince("99")).toBeUndefined();
    // former provinces are not offered, but are recognised
    expect(findProvince("long an")).toBeUndefined();
    expect(findProvince("72")).toBeUndefined();
    expect(findFormer("long an")).toEqual({ former: { code: "80", name: "Long An" }, current: { code: "80", name: "Tây Ninh" } });
    expect(findFormer("72")).toEqual({ former: { code: "72", name: "Tây Ninh" }, current: { code: "80", name: "Tây Ninh" } });
    expect(findFormer("Hà Giang")?.current).toEqual({ code: "08", name: "Tuyên Quang" });
    expect(findFormer("Atlantis")).toBeUndefined();
  });

  it("writes phuluc.config.json where the command runs; refuses to overwrite; asks on a terminal", async () => {
    const here = mkdtempSync(join(dir, "init-"));
    const r = await phuluc(["init", "--province", "86"], here);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Vĩnh Long \(86\)/);
    expect(JSON.parse(readFileSync(join(here, "phuluc.config.json"), "utf8"))).toEqual({ province: { code: "86", name: "Vĩnh Long" } });
    const again = await phuluc(["init", "--province", "80"], here);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/already exists; --force/);
    expect((await phuluc(["init", "--province", "80", "--force"], here)).code).toBe(0);
    expect(JSON.parse(readFileSync(join(here, "phuluc.config.json"), "utf8")).province).toEqual({ code: "80", name: "Tây Ninh" });
    // a former province: the unit that took it in, said so
    const former = await phuluc(["init", "--province", "Long An", "--force"], here);
    expect(former.code).toBe(0);
    expect(former.stdout).toMatch(/Long An \(80\) is part of Tây Ninh \(80\) since 1 July 2025/);
    expect(JSON.parse(readFileSync(join(here, "phuluc.config.json"), "utf8")).province).toEqual({ code: "80", name: "Tây Ninh" });
    const list = await phuluc(["init", "--list"], here);
    expect(list.stdout).toMatch(/80 Tây Ninh/);
    expect(list.stdout).not.toMatch(/Long An|Bình Dương/);
    expect(list.stdout.match(/\b\d{2} \S/g)).toHaveLength(34);
    // without --province and without a terminal: a usage error naming the flag
    const none = await phuluc(["init"], mkdtempSync(join(dir, "init-")));
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/--province <code>/);
    const bad = await phuluc(["init", "--province", "Atlantis"], mkdtempSync(join(dir, "init-")));
    expect(bad.code).toBe(2);
    // the question on a terminal (the answer injected)
    const asked = join(mkdtempSync(join(dir, "init-")), "phuluc.config.json");
    const log = console.log;
    console.log = () => undefined;
    try {
      expect(await initCommand({ path: asked, ask: async () => "cần thơ" })).toBe(0);
    } finally {
      console.log = log;
    }
    expect(JSON.parse(readFileSync(asked, "utf8")).province).toEqual({ code: "92", name: "Cần Thơ" });
  });

  it("without a configuration a load refuses and says phuluc init; with one, the summary names province and file", async () => {
    const here = mkdtempSync(join(dir, "load-"));
    const db = join(here, "w.duckdb");
    const refused = await phuluc(["etl", "load", join(SAMPLE, "inbox"), "--db", db, "--quiet"], here);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/phuluc init/);
    expect(refused.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(existsSync(db)).toBe(false);
    const watch = await phuluc(["etl", "watch", join(SAMPLE, "inbox"), "--db", db, "--once"], here);
    expect(watch.code).toBe(1);
    expect(watch.stderr).toMatch(/phuluc init/);
    writeFileSync(join(here, "phuluc.config.json"), JSON.stringify({ province: { code: "80", name: "Long An" } }));
    const loaded = await phuluc(["etl", "load", join(SAMPLE, "inbox"), "--db", "w.duckdb", "--quiet"], here);
    expect(loaded.code).toBe(0);
    expect(loaded.stdout.split("\n")[0]).toBe(
      `province Long An (80) — configuration ${join(here, "phuluc.config.json")} / tỉnh Long An, cấu hình ${join(here, "phuluc.config.json")}`,
    );
    expect(existsSync(db)).toBe(true);
  }, 180_000);
});

describe("refusals in one line", () => {
  let busy: Server;
  let port: number;
  beforeAll(async () => {
    busy = createServer();
    await new Promise<void>((ok) => busy.listen(0, "127.0.0.1", () => ok()));
    port = (busy.address() as { port: number }).port;
  });
  afterAll(() => new Promise<void>((ok) => busy.close(() => ok())));

  it("serve on a busy port names the port and how to choose another (exit 1, no stack)", async () => {
    const r = await phuluc(["serve", "--db", wh.dbPath, "--port", String(port)], dir, { PHULUC_API_KEY: "kJ8r2QpZ7vX4mN9tB3wL6yH1cF5sD0gAe7Ur" });
    expect(r.code).toBe(1);
    const lines = r.stderr.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^phuluc: port ${port} on 127\\.0\\.0\\.1 is in use: choose another with --port <n> or PORT=<n>`));
    const viaEnv = await phuluc(["serve", "--db", wh.dbPath], dir, { PHULUC_API_KEY: "kJ8r2QpZ7vX4mN9tB3wL6yH1cF5sD0gAe7Ur", PORT: String(port) });
    expect(viaEnv.code).toBe(1);
    expect(viaEnv.stderr.trim().split("\n")).toHaveLength(1);
  });

  it("a missing warehouse is refused by serve and query; an unexpected error has no stack without --debug", async () => {
    const gone = join(dir, "nowhere.duckdb");
    for (const args of [["serve", "--db", gone, "--port", "0"], ["query", "--db", gone, "-e", "select 1"]]) {
      const r = await phuluc(args, dir, { PHULUC_API_KEY: "kJ8r2QpZ7vX4mN9tB3wL6yH1cF5sD0gAe7Ur" });
      expect(r.code).toBe(1);
      expect(r.stderr.trim().split("\n")).toEqual([`phuluc: warehouse not found: ${gone} — make it with \`phuluc etl load <inbox> --db <file>\``]);
    }
    const cfg = join(dir, "broken.json");
    writeFileSync(cfg, "{ not json");
    const broken = await phuluc(["etl", "load", join(SAMPLE, "inbox"), "--db", join(dir, "b.duckdb")], dir, { PHULUC_CONFIG: cfg });
    expect(broken.code).toBe(1);
    expect(broken.stderr).not.toMatch(/\n\s+at /);
    expect(broken.stderr).toMatch(/--debug/);
    const debug = await phuluc(["etl", "load", join(SAMPLE, "inbox"), "--db", join(dir, "b.duckdb"), "--debug"], dir, { PHULUC_CONFIG: cfg });
    expect(debug.stderr).toMatch(/\n\s+at /);
  });
});

describe("paths", () => {
  it("`npm run phuluc -- … --out x.csv` writes where the user typed the command, not the repository", async () => {
    const here = mkdtempSync(join(dir, "npm-"));
    const r = await run("npm", ["--prefix", ROOT, "run", "--silent", "phuluc", "--", "query", "--db", wh.dbPath, "-e", "select 1.500000::decimal(18,6) as a", "--format", "csv", "--out", "x.csv"], here);
    expect(r.code).toBe(0);
    expect(readFileSync(join(here, "x.csv"), "utf8")).toBe("\uFEFFa\r\n1.5\r\n");
    expect(existsSync(join(ROOT, "x.csv"))).toBe(false);
  }, 120_000);
});
