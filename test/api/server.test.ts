// The real server on 127.0.0.1: key file, health, the key's rotation, and the warehouse switching
// generations while requests run (every answer from one complete load).
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { get as httpsGet } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rotateKeyCommand, startServer, type RunningServer } from "../../api/serve-command.js";
import { makeWarehouse, type TestWarehouse } from "./fixtures.js";

let wh: TestWarehouse;
let home: string;
let server: RunningServer;
const said: string[] = [];
let env: Record<string, string>;

beforeAll(async () => {
  wh = await makeWarehouse();
  await wh.load();
  home = mkdtempSync(join(tmpdir(), "phuluc-home-"));
  const pane = join(home, "pane");
  mkdirSync(pane);
  writeFileSync(join(pane, "taskpane.html"), "<!doctype html><title>pane</title>");
  env = { PHULUC_HOME: join(home, "cfg"), HOME: home };
  server = await startServer({ db: wh.dbPath, host: "127.0.0.1", port: 0, paneDir: pane }, env, (s) => said.push(s));
});

afterAll(async () => {
  await server?.close();
  wh?.cleanup();
  if (home) rmSync(home, { recursive: true, force: true });
});

const keyFrom = (lines: string[]) => /shown once[^:]*: (\S+)$/.exec(lines.find((l) => /shown once/.test(l)) ?? "")?.[1] ?? "";

describe("the real server", () => {
  it("prints its URL and a new key once, kept in a 0600 file", async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(said.join("\n")).toContain(`at ${server.url}/`);
    const key = keyFrom(said);
    expect(key.length).toBeGreaterThanOrEqual(40);
    const st = statSync(join(env.PHULUC_HOME, "api-key"));
    expect(st.mode & 0o777).toBe(0o600);
    // a second start reuses the file and does not print the key
    const again: string[] = [];
    const s2 = await startServer({ db: wh.dbPath, host: "127.0.0.1", port: 0 }, env, (s) => again.push(s));
    await s2.close();
    expect(again.join("\n")).not.toContain(key);
    expect(again.join("\n")).toContain(join(env.PHULUC_HOME, "api-key"));
  });

  it("answers health without a key, the pane without a key, data with it", async () => {
    const h = await fetch(`${server.url}/api/health`);
    expect(h.status).toBe(200);
    expect(await h.json()).toMatchObject({ status: "ok", generation: 1, checksum: "sum-1" });
    expect((await fetch(`${server.url}/taskpane.html`)).status).toBe(200);
    expect((await fetch(`${server.url}/api/runs`)).status).toBe(401);
    const r = await fetch(`${server.url}/api/runs`, { headers: { Authorization: `Bearer ${keyFrom(said)}` } });
    expect(r.status).toBe(200);
    // the default CORS origin is the server's own
    const pre = await fetch(`${server.url}/api/runs`, {
      method: "OPTIONS",
      headers: { Origin: server.url, "Access-Control-Request-Method": "GET" },
    });
    expect(pre.headers.get("access-control-allow-origin")).toBe(server.url);
  });

  it("serves every answer from one complete generation while loads switch it", async () => {
    const key = keyFrom(said);
    const headers = { Authorization: `Bearer ${key}`, "Content-Type": "application/json" };
    // generation g has g + 1 tasks (generation 1: the fixture's 2)
    const tasksOf = (g: number) => g + 1;
    let loading = true;
    const seen: Array<{ generation: number; checksum: string; tasks: number }> = [];
    const client = async () => {
      while (loading) {
        const q = await fetch(`${server.url}/api/query`, {
          method: "POST",
          headers,
          body: JSON.stringify({ sql: "select count(*) as n, (select checksum from load_run order by run_id desc limit 1) as c from task" }),
        });
        expect(q.status).toBe(200);
        const body = (await q.json()) as { generation: number; checksum: string; rows: Array<{ n: number; c: string }> };
        expect(body.checksum).toBe(body.rows[0].c);
        seen.push({ generation: body.generation, checksum: body.checksum, tasks: body.rows[0].n });
        const f = await fetch(`${server.url}/api/forms/pl03?year=2025`, { headers });
        expect(f.status).toBe(200);
        const form = (await f.json()) as { generation: number; checksum: string; rows: Array<{ rowKey: string }> };
        seen.push({ generation: form.generation, checksum: form.checksum, tasks: form.rows.filter((r) => r.rowKey.startsWith("task:")).length });
      }
    };
    const clients = [client(), client()];
    while (!seen.some((x) => x.generation === 1)) await new Promise((r) => setTimeout(r, 10));
    for (let g = 2; g <= 4; g++) {
      const tasks = Array.from({ length: tasksOf(g) }, (_, i) => ({ code: `G${g}T${i}`, title: `Nhiệm vụ ${g}.${i}`, amount: `${g}.${i}00000` }));
      expect(await wh.load({ tasks })).toBe(g);
      // let the clients see this generation before the next switch
      while (!seen.some((x) => x.generation === g)) await new Promise((r) => setTimeout(r, 10));
    }
    loading = false;
    await Promise.all(clients);
    expect(new Set(seen.map((x) => x.generation))).toEqual(new Set([1, 2, 3, 4]));
    for (const s of seen) {
      expect(s.checksum).toBe(`sum-${s.generation}`);
      expect(s.tasks).toBe(tasksOf(s.generation));
    }
    const h = (await (await fetch(`${server.url}/api/health`)).json()) as { generation: number };
    expect(h.generation).toBe(4);
    const q = await fetch(`${server.url}/api/query`, { method: "POST", headers, body: JSON.stringify({ sql: "select count(*) as n from task" }) });
    expect(await q.json()).toMatchObject({ generation: 4, checksum: "sum-4", rows: [{ n: 5 }] });
  });

  it("rotates the key: the old one stops working at once", async () => {
    const old = keyFrom(said);
    const out: string[] = [];
    expect(await rotateKeyCommand(env, (s) => out.push(s))).toBe(0);
    const fresh = keyFrom(out);
    expect(fresh).not.toBe(old);
    expect((await fetch(`${server.url}/api/runs`, { headers: { Authorization: `Bearer ${old}` } })).status).toBe(401);
    expect((await fetch(`${server.url}/api/runs`, { headers: { Authorization: `Bearer ${fresh}` } })).status).toBe(200);
    expect(await rotateKeyCommand({ ...env, PHULUC_API_KEY: "from-the-environment" }, () => undefined)).toBe(1);
  });

  it("finishes a request in progress when closing", async () => {
    const s = await startServer({ db: wh.dbPath, host: "127.0.0.1", port: 0 }, { ...env, PHULUC_API_KEY: "finishes-a-request-key-0123456789abcdef" }, () => undefined);
    const ask = (sql: string) =>
      fetch(`${s.url}/api/query`, {
        method: "POST",
        headers: { Authorization: `Bearer ${"finishes-a-request-key-0123456789abcdef"}`, "Content-Type": "application/json" },
        body: JSON.stringify({ sql }),
      });
    expect((await ask("select 1 as warm")).status).toBe(200); // the worker is up
    const pending = ask("select sum(i) as answer from range(30000000) t(i)");
    // close only once the query is running in the worker
    while (s.sandbox.pids({ busy: true }).length === 0) await new Promise((r) => setTimeout(r, 5));
    const closed = s.close();
    const r = await pending;
    expect(r.status).toBe(200);
    expect(await r.json()).toMatchObject({ rows: [{ answer: 449999985000000 }] });
    await closed;
    await expect(fetch(`${s.url}/api/health`)).rejects.toThrow();
  });

  it("speaks https when given a certificate and key", async () => {
    let hasOpenssl = true;
    try {
      execFileSync("openssl", ["version"], { stdio: "ignore" });
    } catch {
      hasOpenssl = false;
    }
    if (!hasOpenssl) return;
    const cert = join(home, "cert.pem");
    const key = join(home, "key.pem");
    execFileSync("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert, "-days", "1", "-subj", "/CN=127.0.0.1"], { stdio: "ignore" });
    const s = await startServer({ db: wh.dbPath, host: "127.0.0.1", port: 0, cert, key }, env, () => undefined);
    try {
      expect(s.url).toMatch(/^https:/);
      const body = await new Promise<string>((resolve, reject) => {
        httpsGet(`${s.url}/api/health`, { rejectUnauthorized: false }, (res) => {
          let t = "";
          res.on("data", (c) => (t += c));
          res.on("end", () => resolve(t));
        }).on("error", reject);
      });
      expect(JSON.parse(body).status).toBe("ok");
    } finally {
      await s.close();
    }
  });
});
