// Issue 13, finding 5: the API's memory and event loop under big and many analysts' queries.
// Every case runs the real server on 127.0.0.1 with a real sandbox pool, with small limits
// injected (byte cap, time limit, queue, idle time) so that outcomes — not durations — are what
// the cases assert:
//   - an answer over the byte cap is refused (413 QUERY_TOO_LARGE, saying how to narrow it);
//   - beyond the queue bound a request is refused at once (503 QUERY_BUSY with Retry-After);
//   - the time limit counts from arrival: a request that waited its whole limit in the queue
//     is not run afterwards;
//   - answers are streamed from the worker's file: unread answers do not sit in the server's
//     memory, and a client that reads nothing is dropped;
//   - /api/health answers while heavy queries run (the figure is printed, not asserted).
import { connect, type Socket } from "node:net";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiError } from "../../api/errors.js";
import { queryCommand } from "../../api/query-command.js";
import type { SandboxOptions } from "../../api/sandbox/runner.js";
import { recordFigures, removeDir, type WarehouseDir } from "./helpers.js";
import { serveWarehouse, smallWarehouse, type Running } from "./server.js";

const KEY = "reliability-api-limits-key-0123456789abcdef";
const SLOW = "select count(*) as n from range(300000) a, range(300000) b where a.range + b.range = -1";

// A full collection before each memory reading, so that what is compared is what is held.
setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

const figures = {
  attempts: 0,
  held: 0,
  refusedOverByteCap: 0,
  refusedQueueFull: 0,
  expiredInQueue: 0,
  slowClientsDropped: 0,
  /** health answers while five heavy queries ran (their times are printed, never recorded) */
  healthAnsweredDuringHeavy: 0,
};

let w: WarehouseDir;
const running: Running[] = [];

async function serve(pool: Partial<SandboxOptions>, app: { answerIdleMs?: number } = {}): Promise<Running> {
  const r = await serveWarehouse({ db: w.db, key: KEY, pool, app: { queryPerMinute: 100_000, ...app } });
  running.push(r);
  // the workers up and the warehouse open: a case's time limit is not spent on start-up
  for (let i = 0; ; i++) {
    const warm = await post(r.base, { sql: "select 1 as warm" });
    if (warm.status === 200) break;
    if (warm.json.error?.code !== "QUERY_BUSY" || i >= 30) throw new Error(`warm-up: ${warm.text}`);
  }
  return r;
}

/** Wait (polling, no time asserted) until the pool is in the state a case needs. */
async function until(what: () => boolean): Promise<void> {
  for (let i = 0; !what(); i++) {
    if (i > 3000) throw new Error("the pool never got there");
    await new Promise((ok) => setTimeout(ok, 10));
  }
}

async function post(base: string, body: Record<string, unknown>) {
  const res = await fetch(`${base}/api/query`, {
    method: "POST",
    headers: { authorization: `Bearer ${KEY}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  let json: { error?: { code: string; message: string }; rows?: unknown[]; rowCount?: number } = {};
  try {
    json = JSON.parse(text);
  } catch {
    /* a binary answer */
  }
  return { status: res.status, headers: res.headers, text, json };
}

beforeAll(async () => {
  w = await smallWarehouse("api-limits", "limits-checksum");
}, 60_000);

afterAll(async () => {
  for (const r of running) await r.close().catch(() => undefined);
  if (w) removeDir(w.dir);
  recordFigures("api-limits", figures);
});

describe("API limits (issue 13, finding 5)", () => {
  it("refuses an answer over the byte cap with 413 QUERY_TOO_LARGE saying how to narrow it, in every format", async () => {
    const s = await serve({ maxBytes: 1_000_000, timeLimitMs: 20_000 });
    // 3 000 rows × 1 000 characters: about 3 MB, well under the row cap
    const big = "select repeat('x', 1000) as s, range as i from range(3000)";
    for (const format of ["json", "csv", "arrow", "xlsx", "parquet"]) {
      figures.attempts++;
      const r = await post(s.base, { sql: big, format });
      expect(r.status, `${format}: ${r.text.slice(0, 200)}`).toBe(413);
      expect(r.json.error?.code).toBe("QUERY_TOO_LARGE");
      expect(r.json.error?.message).toMatch(/thu hẹp.*\/.*narrow/);
      expect(r.json.error?.message).toMatch(/WHERE/);
      figures.refusedOverByteCap++;
      figures.held++;
    }
    // the same query, narrowed, is answered
    const ok = await post(s.base, { sql: "select repeat('x', 1000) as s, range as i from range(300)" });
    expect(ok.status).toBe(200);
    expect(ok.json.rowCount).toBe(300);
    expect(ok.json.rows).toHaveLength(300);
    // the query command has the same cap
    figures.attempts++;
    const lines: string[] = [];
    const orig = console.error;
    console.error = (...a: unknown[]) => void lines.push(a.map(String).join(" "));
    try {
      const code = await queryCommand({ db: w.db, execute: big, format: "json", runner: s.pool });
      expect(code).toBe(1);
    } finally {
      console.error = orig;
    }
    expect(lines.join("\n")).toContain("QUERY_TOO_LARGE");
    figures.held++;
  }, 120_000);

  it("refuses an xlsx answer of more cells than the worker can build (30 columns × 100 000 rows) with QUERY_TOO_LARGE", async () => {
    // xlsx is built whole in the worker's memory: its own cap in cells, well under the bytes
    // (before: 30 columns × 100 000 small numbers ran the worker out of memory, a 500)
    const s = await serve({ timeLimitMs: 60_000 });
    figures.attempts++;
    const cols = Array.from({ length: 30 }, (_, k) => `range * ${k + 1} as c${k + 1}`).join(", ");
    const wide = await post(s.base, { sql: `select ${cols} from range(100000)`, format: "xlsx" });
    expect(wide.status, wide.text.slice(0, 200)).toBe(413);
    expect(wide.json.error?.code).toBe("QUERY_TOO_LARGE");
    expect(wide.json.error?.message).toMatch(/xlsx.*csv.*parquet/);
    figures.refusedOverByteCap++;
    figures.held++;
    // the same as csv is answered
    const csv = await post(s.base, { sql: `select ${cols} from range(100000)`, format: "csv" });
    expect(csv.status).toBe(200);
    expect(csv.headers.get("x-phuluc-row-count")).toBe("100000");
  }, 120_000);

  it("refuses a request beyond the queue bound at once, with Retry-After", async () => {
    const s = await serve({ workers: 1, queueLimit: 1, timeLimitMs: 4000 });
    figures.attempts++;
    const order: string[] = [];
    const slow = post(s.base, { sql: SLOW }).then((r) => (order.push("slow"), r));
    await until(() => s.pool.pids({ busy: true }).length === 1);
    const waiting = post(s.base, { sql: "select 1 as a" }).then((r) => (order.push("waiting"), r));
    await until(() => s.pool.queued === 1);
    const beyond = await post(s.base, { sql: "select 2 as a" });
    order.push("beyond");
    expect(beyond.status, beyond.text.slice(0, 200)).toBe(503);
    expect(beyond.json.error?.code).toBe("QUERY_BUSY");
    expect(Number(beyond.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(s.pool.refusedQueueFull).toBe(1);
    // refused before the query ahead of it was done, not after waiting for it
    expect(order[0]).toBe("beyond");
    figures.refusedQueueFull++;
    figures.held++;
    await Promise.all([slow, waiting]);
  }, 60_000);

  it("takes a request out of the queue when its client goes away, making room for the next", async () => {
    const s = await serve({ workers: 1, queueLimit: 1, timeLimitMs: 4000 });
    figures.attempts++;
    const slow = post(s.base, { sql: SLOW });
    await until(() => s.pool.pids({ busy: true }).length === 1);
    const gone = new AbortController();
    const queued = fetch(`${s.base}/api/query`, {
      method: "POST",
      headers: { authorization: `Bearer ${KEY}`, "content-type": "application/json" },
      body: JSON.stringify({ sql: "select 1 as a" }),
      signal: gone.signal,
    }).catch(() => "aborted");
    await until(() => s.pool.queued === 1);
    gone.abort();
    expect(await queued).toBe("aborted");
    await until(() => s.pool.queued === 0);
    // before: the departed request kept its place, and this one was refused as beyond the queue
    const refusedBefore = s.pool.refusedQueueFull;
    const next = await post(s.base, { sql: "select 2 as a" });
    // it took the free place in the queue: not refused as beyond it…
    expect(s.pool.refusedQueueFull).toBe(refusedBefore);
    // …and then either runs, or — on a loaded machine, where the slow query's worker is replaced
    // after its limit — runs out of its own limit counted from arrival: different, correct answers
    if (next.status === 200) expect(next.json.rows).toEqual([{ a: 2 }]);
    else if (next.json.error?.code === "QUERY_BUSY") expect(next.json.error.message).toMatch(/waited/);
    else expect(next.json.error?.code, next.text.slice(0, 200)).toBe("QUERY_TIMEOUT");
    expect((await slow).json.error?.code).toBe("QUERY_TIMEOUT");
    figures.held++;
  }, 60_000);

  it("counts the time limit from arrival: a request that waited its whole limit in the queue is not run", async () => {
    const s = await serve({ workers: 1, queueLimit: 8, timeLimitMs: 3000 });
    figures.attempts++;
    const order: string[] = [];
    // the worker busy with a query that runs to its limit…
    const slow = s.pool.run({ sql: SLOW, format: "json" }).then(
      () => order.push("slow answered"),
      (e: ApiError) => order.push(`slow ${e.code}`),
    );
    await until(() => s.pool.pids({ busy: true }).length === 1);
    // …and a request that arrived 2.7 s ago (its wait before the queue counts too)
    const late = await s.pool.run({ sql: "select 42 as a", format: "json" }, { arrivedAt: Date.now() - 2700 }).then(
      () => "answered",
      (e: ApiError) => e,
    );
    order.push("late done");
    // before: it waited for the slow query to be killed, then ran and answered
    expect(late).toBeInstanceOf(ApiError);
    expect((late as ApiError).code).toBe("QUERY_BUSY");
    expect((late as ApiError).retryAfter).toBeGreaterThan(0);
    await slow;
    expect(order).toEqual(["late done", "slow QUERY_TIMEOUT"]);
    figures.expiredInQueue++;
    figures.held++;
  }, 60_000);

  it("counts the time limit from arrival over HTTP: a body sent slower than the limit is not run, no worker killed", async () => {
    const s = await serve({ workers: 1, timeLimitMs: 1000 });
    figures.attempts++;
    const pids = s.pool.pids();
    const body = JSON.stringify({ sql: "select 42 as a" });
    const { port } = new URL(s.base);
    const answer = await new Promise<string>((ok, fail) => {
      const sock = connect(Number(port), "127.0.0.1");
      let text = "";
      sock.on("data", (d) => (text += d.toString("utf8")));
      sock.on("end", () => ok(text));
      sock.on("error", fail);
      sock.write(
        `POST /api/query HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${KEY}\r\nConnection: close\r\n` +
          `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body.slice(0, 5)}`,
      );
      setTimeout(() => sock.write(body.slice(5)), 2000);
    });
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
    expect(answer).toContain("QUERY_TIMEOUT");
    // the worker was not killed for it: it never ran
    expect(s.pool.pids()).toEqual(pids);
    figures.held++;
  }, 60_000);

  it("streams answers: unread answers are not held in the server's memory, and a client that reads nothing is dropped", async () => {
    const s = await serve({ workers: 1, timeLimitMs: 60_000, queueLimit: 8 }, { answerIdleMs: 1500 });
    figures.attempts++;
    // about 25 MB of JSON each
    const sql = "select repeat('y', 2500) as s, range as i from range(10000)";
    const body = JSON.stringify({ sql });
    const { port } = new URL(s.base);
    const mem = () => {
      gc();
      const m = process.memoryUsage();
      return m.heapUsed + m.external + m.arrayBuffers;
    };
    const before = mem();
    const sockets: Socket[] = [];
    const received: number[] = [];
    const ended: Promise<void>[] = [];
    // five clients that read the first bytes of their answer and then nothing
    await Promise.all(
      Array.from({ length: 5 }, (_, k) => {
        const sock = connect(Number(port), "127.0.0.1");
        sockets.push(sock);
        received[k] = 0;
        ended.push(new Promise<void>((ok) => sock.once("close", () => ok())));
        sock.on("error", () => undefined);
        return new Promise<void>((ok) => {
          sock.once("data", (d) => {
            expect(d.toString("latin1")).toMatch(/^HTTP\/1\.1 200/);
            sock.pause();
            sock.on("data", (more) => (received[k] += more.length));
            ok();
          });
          sock.write(
            `POST /api/query HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${KEY}\r\n` +
              `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
          );
        });
      }),
    );
    const held = mem() - before;
    console.log(`five unread 25 MB answers: the server holds ${(held / 1e6).toFixed(1)} MB more than before`);
    // before: each answer whole in the server (5 × 25 MB as rows, as a string and as a buffer)
    expect(held).toBeLessThan(50e6);
    // A client that reads nothing is dropped (answerIdleMs): when these read again, well after
    // it, their answers end short of the 25 MB.
    await new Promise((ok) => setTimeout(ok, 6000));
    for (const sock of sockets) sock.resume();
    await Promise.all(ended);
    for (const n of received) expect(n).toBeLessThan(25_000_000);
    figures.slowClientsDropped += sockets.length;
    figures.held++;
    // the server goes on
    const ok = await post(s.base, { sql: "select 1 as a" });
    expect(ok.status).toBe(200);
  }, 120_000);

  it("answers /api/health while five heavy queries run (the time is printed, not asserted)", async () => {
    const s = await serve({ workers: 2, timeLimitMs: 120_000, queueLimit: 8 });
    figures.attempts++;
    // 100 columns × 20 000 rows of JSON, five times
    const cols = Array.from({ length: 100 }, (_, k) => `range * ${k + 1} as c${k + 1}`).join(", ");
    const heavy = `select ${cols} from range(20000)`;
    let done = 0;
    // the answers are read and counted, not parsed: this process is also the server's
    const queries = Array.from({ length: 5 }, async () => {
      const res = await fetch(`${s.base}/api/query`, {
        method: "POST",
        headers: { authorization: `Bearer ${KEY}`, "content-type": "application/json" },
        body: JSON.stringify({ sql: heavy }),
      });
      let bytes = 0;
      for await (const chunk of res.body!) bytes += (chunk as Uint8Array).length;
      done++;
      return { status: res.status, rows: res.headers.get("x-phuluc-row-count"), bytes, length: Number(res.headers.get("content-length")) };
    });
    const times: number[] = [];
    let answeredBeforeAllDone = 0;
    while (done < 5) {
      const t0 = performance.now();
      const h = await fetch(`${s.base}/api/health`);
      expect(h.status).toBe(200);
      await h.json();
      times.push(performance.now() - t0);
      if (done < 5) answeredBeforeAllDone++;
      await new Promise((ok) => setTimeout(ok, 50));
    }
    for (const r of await Promise.all(queries)) {
      expect(r.status).toBe(200);
      expect(r.rows).toBe("20000");
      expect(r.bytes).toBe(r.length);
    }
    expect(answeredBeforeAllDone).toBeGreaterThan(0);
    times.sort((a, b) => a - b);
    const median = times[Math.floor(times.length / 2)];
    const max = times[times.length - 1];
    figures.healthAnsweredDuringHeavy = answeredBeforeAllDone;
    console.log(`/api/health while five heavy queries ran: ${times.length} answers, median ${median.toFixed(1)} ms, max ${max.toFixed(1)} ms`);
    figures.held++;
  }, 300_000);
});
