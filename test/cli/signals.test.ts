// Stopping through npm: SIGTERM to the npm process (what a supervisor or Ctrl-C sends) stops the
// program under it — the server frees its port, the watcher stops, no child is left — for
// `npm run phuluc -- …`, `npm start` (the demo) and the compiled bin through `npx phuluc`.
// Bounded waits only; no duration is asserted.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { portFree } from "../../api/serve-command.js";
import { makeWarehouse, type TestWarehouse } from "../api/fixtures.js";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
const SAMPLE_CONFIG = join(ROOT, "sample", "phuluc.config.json");

let wh: TestWarehouse;
let dir: string;
const started: ChildProcess[] = [];

beforeAll(async () => {
  // the compiled bin (what `npx phuluc` runs), rebuilt only when a source changed
  const b = spawnSync(process.execPath, [join(ROOT, "scripts", "build.mjs"), "--if-stale"], { cwd: ROOT, stdio: "inherit" });
  expect(b.status).toBe(0);
  wh = await makeWarehouse();
  await wh.load();
  dir = mkdtempSync(join(tmpdir(), "phuluc-signals-"));
});
afterAll(() => {
  // a failed case must not leave its processes behind
  for (const c of started) if (c.pid && groupAlive(c.pid)) process.kill(-c.pid, "SIGKILL");
  wh?.cleanup();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Is any process of this process group still there? */
function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((ok) => s.listen(0, "127.0.0.1", () => ok()));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((ok) => s.close(() => ok()));
  return port;
}

/** Start `cmd` as the leader of its own process group (so that its children can be counted). */
function launch(cmd: string, args: string[], env: NodeJS.ProcessEnv = {}) {
  const clean = { ...process.env };
  for (const k of ["PORT", "PHULUC_CONFIG", "INIT_CWD"]) delete clean[k];
  const child = spawn(cmd, args, {
    cwd: ROOT,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...clean, PHULUC_API_KEY: "kJ8r2QpZ7vX4mN9tB3wL6yH1cF5sD0gAe7Ur", PHULUC_LOG_LEVEL: "silent", ...env },
  });
  started.push(child);
  let out = "";
  child.stdout!.on("data", (d) => (out += d));
  child.stderr!.on("data", (d) => (out += d));
  const exited = new Promise<number | null>((ok) => child.on("exit", (code, signal) => ok(code ?? (signal ? -1 : null))));
  return {
    child,
    output: () => out,
    exited,
    async waitFor(re: RegExp, tries = 1800): Promise<RegExpMatchArray> {
      for (let i = 0; i < tries; i++) {
        const m = re.exec(out);
        if (m) return m;
        if (child.exitCode !== null) break;
        await sleep(100);
      }
      throw new Error(`never printed ${re}:\n${out}`);
    },
  };
}

/** SIGTERM to the launcher (npm / npx); then the port is free and no process of the group is left. */
async function stopAndCheck(p: ReturnType<typeof launch>, port?: number): Promise<void> {
  const pgid = p.child.pid!;
  process.kill(pgid, "SIGTERM");
  await p.exited;
  for (let i = 0; i < 300 && groupAlive(pgid); i++) await sleep(100);
  expect(groupAlive(pgid), p.output()).toBe(false);
  if (port !== undefined) expect(await portFree(port, "127.0.0.1")).toBe(true);
}

/** `serve` gives the task pane it ships, with no build step of the user's. */
async function expectPane(port: number): Promise<void> {
  const r = await fetch(`http://127.0.0.1:${port}/`);
  expect(r.status).toBe(200);
  expect(await r.text()).toMatch(/<html/i);
  expect((await fetch(`http://127.0.0.1:${port}/pane.js`)).status).toBe(200);
}

describe("SIGTERM to npm stops the program under it", () => {
  it("npm run phuluc -- serve", async () => {
    const p = launch("npm", ["run", "phuluc", "--", "serve", "--db", wh.dbPath, "--port", "0"]);
    const port = Number((await p.waitFor(/at http:\/\/127\.0\.0\.1:(\d+)\//))[1]);
    expect(await portFree(port, "127.0.0.1")).toBe(false);
    await expectPane(port);
    await stopAndCheck(p, port);
  }, 240_000);

  it("npx phuluc serve (the compiled bin, a shell between npm and it)", async () => {
    const p = launch("npx", ["phuluc", "serve", "--db", wh.dbPath, "--port", "0"]);
    const port = Number((await p.waitFor(/at http:\/\/127\.0\.0\.1:(\d+)\//))[1]);
    expect(p.output()).toMatch(/task pane from .*dist[/\\]pane/);
    await expectPane(port);
    await stopAndCheck(p, port);
  }, 240_000);

  it("npm run phuluc -- etl watch", async () => {
    const inbox = join(dir, "inbox");
    mkdirSync(inbox, { recursive: true });
    const p = launch("npm", ["run", "phuluc", "--", "etl", "watch", inbox, "--db", join(dir, "w.duckdb"), "--every", "* * * * * *", "--settle", "0"], {
      PHULUC_CONFIG: SAMPLE_CONFIG,
    });
    await p.waitFor(/"msg":"watching"/);
    await stopAndCheck(p);
    expect(p.output()).toMatch(/"msg":"stopping"/);
  }, 240_000);

  it("npm start (the demo: load, fill, then the server)", async () => {
    const port = await freePort();
    const p = launch("npm", ["start"], { PORT: String(port) });
    await p.waitFor(new RegExp(`serving the warehouse .* at http://127\\.0\\.0\\.1:${port}/`), 3000);
    expect(p.output()).toMatch(/A deliberate case of the sample/);
    expect(p.output()).toMatch(/in a browser for the preview of the task pane; for Excel run `npm run addin`/);
    expect(p.output()).not.toMatch(/THANH_TRA\|/);
    await stopAndCheck(p, port);
  }, 480_000);
});
