// Readers during loads: the real server (createApp + listen on 127.0.0.1, port 0) on a warehouse,
// 50 concurrent clients reading appendices while the ETL reloads 10 times, alternating two inbox
// variants whose figures and load_run checksums differ. No request may fail, and every answer's
// figures must be exactly those of the variant its generation and checksum say it comes from.
// Bounded: 10 loads, at most MAX_PER_CLIENT requests per client; it stops by itself.
// The reloads run as `etl load` processes, as in production (the ETL is not the server's
// process): in-process, 50 busy readers would queue ahead of every statement of the load on the
// same DuckDB thread pool.
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../api/app.js";
import { ApiError } from "../../api/errors.js";
import { staticKeyCheck } from "../../api/keys.js";
import { WarehouseReader } from "../../api/readers.js";
import type { QueryRunner } from "../../api/sandbox/runner.js";
import { copySampleInbox, editXlsx, freshWarehouse, recordFigures, removeDir, ROOT, tempDir, type WarehouseDir } from "./helpers.js";
import type { LoadReport } from "../../warehouse/load.js";

/** `phuluc etl load` in its own process; its report as JSON. */
function etlLoadProcess(inbox: string, db: string): Promise<{ code: number; report: LoadReport | null }> {
  const cwd = tempDir("conc-cli");
  const reportPath = join(cwd, "r.json");
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--import", tsx, join(ROOT, "cli", "main.ts"), "etl", "load", inbox, "--db", db, "--report", reportPath, "--quiet"], {
      cwd,
      stdio: "ignore",
      env: { ...process.env, PHULUC_CONFIG: join(ROOT, "sample", "phuluc.config.json") },
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), 120_000);
    child.on("exit", (code) => {
      clearTimeout(timer);
      let report: LoadReport | null = null;
      try {
        report = JSON.parse(readFileSync(reportPath, "utf8")) as LoadReport;
      } catch {
        report = null;
      }
      removeDir(cwd);
      resolve({ code: code ?? -1, report });
    });
  });
}

const KEY = "reliability-suite-key-0123456789";
const FORMS = ["pl02", "pl06"];
const YEAR = 2024;
const CLIENTS = 50;
const RELOADS = 10;
const MAX_PER_CLIENT = 400;
/** a client's pause between two requests: readers, not a load generator that starves the ETL */
const THINK_MS = 400;

/** The forms route does not use the SQL sandbox: a runner that says so if it is ever asked. */
const noSandbox: QueryRunner = {
  run: async () => {
    throw new ApiError("QUERY_BUSY", "không dùng", "not used in this test");
  },
  close: async () => undefined,
};

interface Served {
  server: Server;
  base: string;
  reader: WarehouseReader;
}

async function serve(db: string): Promise<Served> {
  const reader = new WarehouseReader(db);
  const app = createApp({ reader, keyCheck: staticKeyCheck(KEY), sandbox: noSandbox, clock: () => new Date("2026-06-01T08:00:00Z") });
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, "127.0.0.1", () => resolve(s));
  });
  const port = (server.address() as AddressInfo).port;
  return { server, base: `http://127.0.0.1:${port}`, reader };
}

async function stop(s: Served): Promise<void> {
  s.server.closeAllConnections?.();
  await new Promise<void>((resolve) => s.server.close(() => resolve()));
  s.reader.close();
}

async function get(base: string, path: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(base + path, { headers: { authorization: `Bearer ${KEY}` } });
  const text = await res.text();
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(text);
  } catch {
    body = { raw: text.slice(0, 200) };
  }
  return { status: res.status, body };
}

/** Variant B: the sample with one figure changed (TDC.01, Kế hoạch 2024: 95 → 96). */
function variantB(): string {
  const inbox = copySampleInbox("conc-b");
  let edited = 0;
  editXlsx(join(inbox, "TDC", "Chi tieu TDC 6T2023.xlsx"), (name, xml) => {
    if (name !== "xl/worksheets/sheet1.xml") return xml;
    return xml.replace(/(<c r="H5"[^>]*>)<v>95<\/v>/, (_m, open: string) => {
      edited++;
      return `${open}<v>96</v>`;
    });
  });
  if (edited !== 1) throw new Error("variant B: the TDC.01 cell was not found");
  return inbox;
}

type Figures = Record<string, unknown>;
interface Variant {
  name: "A" | "B";
  inbox: string;
  checksum: string;
  forms: Record<string, Figures>;
}

const figures = {
  clients: CLIENTS,
  reloads: 0,
  requests: 0,
  failed: 0,
  byVariant: { A: 0, B: 0 } as Record<string, number>,
  generationsSeen: 0,
  mismatched: 0,
};

describe("50 readers while the ETL reloads 10 times", () => {
  const variants: Record<"A" | "B", Variant> = {} as Record<"A" | "B", Variant>;
  const dirs: string[] = [];
  let main: WarehouseDir;

  beforeAll(async () => {
    const inboxA = copySampleInbox("conc-a");
    const inboxB = variantB();
    dirs.push(join(inboxA, ".."), join(inboxB, ".."));
    // The expected figures of each variant, from a quiet server on a warehouse holding it alone.
    for (const [name, inbox] of [["A", inboxA], ["B", inboxB]] as const) {
      const w = await freshWarehouse(`conc-ref-${name}`, inbox);
      dirs.push(w.dir);
      if (w.report!.outcome !== "loaded") throw new Error(`variant ${name} did not load: ${JSON.stringify(w.report!.problems.filter((p) => p.severity === "error"))}`);
      const s = await serve(w.db);
      try {
        const forms: Record<string, Figures> = {};
        let checksum = "";
        for (const f of FORMS) {
          const r = await get(s.base, `/api/forms/${f}?year=${YEAR}`);
          if (r.status !== 200) throw new Error(`${name} ${f}: ${r.status} ${JSON.stringify(r.body)}`);
          forms[f] = { rows: r.body.rows, rules: r.body.rules };
          checksum = String(r.body.checksum);
        }
        variants[name] = { name, inbox, checksum, forms };
      } finally {
        await stop(s);
      }
    }
    main = await freshWarehouse("conc-main", inboxA);
    dirs.push(main.dir);
  }, 120_000);

  afterAll(() => {
    for (const d of dirs) removeDir(d);
    recordFigures("concurrency", figures);
  });

  it("the two variants differ in figures and in checksum", () => {
    expect(variants.A.checksum).not.toBe(variants.B.checksum);
    expect(variants.A.checksum).toMatch(/\S/);
    expect(variants.A.forms.pl06).not.toEqual(variants.B.forms.pl06);
  });

  it("no request fails and every answer's figures match its generation and checksum", async () => {
    const byChecksum = new Map(Object.values(variants).map((v) => [v.checksum, v]));
    const s = await serve(main.db);
    // generation → the variant loaded into it (run 1 is the initial load of A)
    const genVariant = new Map<number, "A" | "B">([[1, "A"]]);
    const failures: string[] = [];
    const seenGens = new Set<number>();
    let stopClients = false;

    const check = (path: string, form: string | null, r: { status: number; body: Record<string, unknown> }) => {
      figures.requests++;
      if (r.status !== 200) {
        figures.failed++;
        failures.push(`${path}: HTTP ${r.status} ${JSON.stringify(r.body).slice(0, 300)}`);
        return;
      }
      const gen = Number(r.body.generation);
      const v = byChecksum.get(String(r.body.checksum));
      seenGens.add(gen);
      if (!v) {
        figures.mismatched++;
        failures.push(`${path}: unknown checksum ${r.body.checksum} (generation ${gen})`);
        return;
      }
      figures.byVariant[v.name]++;
      if (form) {
        const got = { rows: r.body.rows, rules: r.body.rules };
        if (JSON.stringify(got) !== JSON.stringify(v.forms[form])) {
          figures.mismatched++;
          failures.push(`${path}: figures are not variant ${v.name}'s though its checksum says so (generation ${gen})`);
        }
      }
      // checked after the loads: the generation's own variant
      pending.push({ path, gen, variant: v.name });
    };
    const pending: { path: string; gen: number; variant: "A" | "B" }[] = [];

    const client = async (i: number) => {
      for (let n = 0; n < MAX_PER_CLIENT && !stopClients; n++) {
        const k = (i + n) % (FORMS.length + 1);
        const form = k < FORMS.length ? FORMS[k] : null;
        const path = form ? `/api/forms/${form}?year=${YEAR}` : "/api/health";
        if (n > 0) await new Promise((r) => setTimeout(r, THINK_MS));
        try {
          check(path, form, await get(s.base, path));
        } catch (e) {
          figures.requests++;
          figures.failed++;
          failures.push(`${path}: ${(e as Error).message}`);
        }
      }
    };

    try {
      const clients = Array.from({ length: CLIENTS }, (_, i) => client(i));
      const loads = (async () => {
        try {
          for (let i = 0; i < RELOADS; i++) {
            const v = i % 2 === 0 ? variants.B : variants.A;
            const { code, report: r } = await etlLoadProcess(v.inbox, main.db);
            figures.reloads++;
            if (code !== 0 || !r || r.outcome !== "loaded" || r.runId === null) throw new Error(`reload ${i + 1} (${v.name}): exit ${code}, ${r?.outcome} ${JSON.stringify(r?.problems.filter((p) => p.severity === "error")).slice(0, 1500)}`);
            genVariant.set(r.runId, v.name);
          }
        } finally {
          stopClients = true;
        }
      })();
      await Promise.all([loads, ...clients]);
    } finally {
      await stop(s);
    }
    figures.generationsSeen = seenGens.size;

    for (const p of pending) {
      if (genVariant.get(p.gen) !== p.variant) failures.push(`${p.path}: generation ${p.gen} is variant ${genVariant.get(p.gen)}, the answer says ${p.variant}`);
    }
    expect(failures.slice(0, 20)).toEqual([]);
    expect(figures.reloads).toBe(RELOADS);
    expect(genVariant.size).toBe(RELOADS + 1);
    expect(figures.requests).toBeGreaterThanOrEqual(CLIENTS);
    // the readers really did see both variants and several generations
    expect(figures.byVariant.A).toBeGreaterThan(0);
    expect(figures.byVariant.B).toBeGreaterThan(0);
    expect(seenGens.size).toBeGreaterThan(2);
  }, 600_000);
});
