// Measures what issue 13 (finding 5) asks to show, on the real `phuluc serve` in its own process:
//   1. /api/health's answer time idle, then while five heavy JSON queries (100 columns × 20 000
//      rows each) run and are streamed to clients;
//   2. a 300 MB answer refused by the byte cap (413 QUERY_TOO_LARGE), and how long that took.
// Prints figures; asserts nothing (timings belong here, not in tests).
//   npx tsx scripts/api-load.ts [--port 3120] [--workers 2]
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { tryLock, writeGeneration } from "../warehouse/generations.js";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const { values } = parseArgs({ options: { port: { type: "string", default: "3120" }, workers: { type: "string", default: "2" } } });
const port = Number(values.port);
const base = `http://127.0.0.1:${port}`;
const key = randomBytes(32).toString("base64url");

const dir = mkdtempSync(join(tmpdir(), "phuluc-api-load-"));
const db = join(dir, "phuluc.duckdb");
const lock = tryLock(db);
if (!lock) throw new Error("writer lock held");
await writeGeneration(db, async ({ db: w, number }) => {
  await w.run("insert into province values ('80', 'Long An')");
  await w.run(
    `insert into load_run values ($run, now(), now(), 'etl load', 'loaded', 0, 0, 0, 'load-checksum', '{}'::json)`,
    { run: number },
  );
  return { publish: true, value: null };
});
lock.release();

const server = spawn(process.execPath, ["--import", "tsx", join(root, "cli", "main.ts"), "serve", "--db", db, "--host", "127.0.0.1", "--port", String(port)], {
  cwd: root,
  env: {
    ...process.env,
    PHULUC_API_KEY: key,
    PHULUC_HOME: join(dir, "home"),
    PHULUC_LOG_LEVEL: "silent",
    PHULUC_QUERY_WORKERS: values.workers,
    PHULUC_QUERY_TIMEOUT_MS: "180000",
  },
  stdio: ["ignore", "ignore", "inherit"],
});

const sleep = (ms: number) => new Promise((ok) => setTimeout(ok, ms));
const stats = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))];
  return `${s.length} answers: median ${q(0.5).toFixed(1)} ms, p95 ${q(0.95).toFixed(1)} ms, max ${s[s.length - 1].toFixed(1)} ms`;
};
async function health(): Promise<number> {
  const t0 = performance.now();
  const r = await fetch(`${base}/api/health`);
  await r.arrayBuffer();
  if (r.status !== 200) throw new Error(`health ${r.status}`);
  return performance.now() - t0;
}
async function query(sql: string): Promise<{ status: number; bytes: number; head: string }> {
  const r = await fetch(`${base}/api/query`, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: JSON.stringify({ sql }),
  });
  let bytes = 0;
  let head = "";
  for await (const chunk of r.body!) {
    if (head.length < 400) head += Buffer.from(chunk as Uint8Array).toString("utf8").slice(0, 400);
    bytes += (chunk as Uint8Array).length;
  }
  return { status: r.status, bytes, head };
}

try {
  for (let i = 0; ; i++) {
    try {
      await health();
      break;
    } catch {
      if (i > 300) throw new Error("the server did not start");
      await sleep(100);
    }
  }
  // the workers up
  for (let i = 0; (await query("select 1 as warm")).status !== 200; i++) if (i > 50) throw new Error("no worker");

  const idle: number[] = [];
  for (let i = 0; i < 40; i++) {
    idle.push(await health());
    await sleep(25);
  }
  console.log(`/api/health idle: ${stats(idle)}`);

  const cols = Array.from({ length: 100 }, (_, k) => `range * ${k + 1} as c${k + 1}`).join(", ");
  const heavy = `select ${cols} from range(20000)`;
  let done = 0;
  const t0 = performance.now();
  const heavies = Array.from({ length: 5 }, () => query(heavy).then((r) => (done++, r)));
  const busy: number[] = [];
  while (done < 5) {
    busy.push(await health());
    await sleep(50);
  }
  const answers = await Promise.all(heavies);
  console.log(
    `five heavy queries (100 columns × 20 000 rows, JSON): ${answers.map((a) => `${a.status} ${(a.bytes / 1e6).toFixed(1)} MB`).join(", ")} in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );
  console.log(`/api/health while they ran: ${stats(busy)}; ${busy.filter((t) => t < 200).length} of ${busy.length} under 200 ms`);

  const t1 = performance.now();
  const big = await query("select repeat('x', 3000) as s from range(100000)");
  console.log(
    `a 300 MB answer (100 000 rows × 3 000 characters): HTTP ${big.status} after ${((performance.now() - t1) / 1000).toFixed(1)} s, ${big.bytes} bytes sent: ${big.head}`,
  );
} finally {
  server.kill("SIGTERM");
  await new Promise((ok) => server.once("exit", ok));
  rmSync(dir, { recursive: true, force: true });
}
