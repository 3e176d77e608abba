// The real server for the reliability suite's API cases (paths, api-limits, sandbox, api-keys):
// a small warehouse written by the generations writer (no ETL), the app on 127.0.0.1 at port 0,
// with a real sandbox pool, closed in the right order. One set-up, so that every suite runs the
// same server the same way.
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createApp, type AppDeps } from "../../api/app.js";
import { staticKeyCheck } from "../../api/keys.js";
import { WarehouseReader } from "../../api/readers.js";
import { SandboxPool, type SandboxOptions } from "../../api/sandbox/runner.js";
import { tryLock, writeGeneration } from "../../warehouse/generations.js";
import { freshWarehouse, type WarehouseDir } from "./helpers.js";

/** A warehouse with one province and one load run (its checksum `<tag>-checksum`), no ETL involved. */
export async function smallWarehouse(tag: string, checksum = `${tag}-checksum`): Promise<WarehouseDir> {
  const w = await freshWarehouse(tag);
  const lock = tryLock(w.db);
  if (!lock) throw new Error("writer lock held");
  try {
    await writeGeneration(w.db, async ({ db, number }) => {
      await db.run("insert into province values ('80', 'Long An')");
      await db.run(
        `insert into load_run values ($run, '2026-06-01T08:00:00Z'::timestamptz, '2026-06-01T08:01:00Z'::timestamptz,
           'etl load', 'loaded', 0, 0, 0, $checksum, '{}'::json)`,
        { run: number, checksum },
      );
      return { publish: true, value: null };
    });
  } finally {
    lock.release();
  }
  return w;
}

export interface Listening {
  base: string;
  server: Server;
  /** drops open connections (a slow reader's too), then stops listening */
  close(): Promise<void>;
}

/** An app listening on 127.0.0.1, port 0. */
export async function listen(app: ReturnType<typeof createApp>): Promise<Listening> {
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, "127.0.0.1", () => resolve(s));
  });
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    server,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((ok) => server.close(() => ok()));
    },
  };
}

export interface Running extends Listening {
  pool: SandboxPool;
  reader: WarehouseReader;
}

/**
 * The real app over the warehouse `db` (a WarehouseReader) with a started SandboxPool; the pool
 * reads `db` unless `pool.source` says otherwise (a lake). close() stops the server, the reader and
 * the pool, in that order.
 */
export async function serveWarehouse(o: {
  db: string;
  key: string;
  pool?: Partial<SandboxOptions>;
  app?: Partial<Omit<AppDeps, "reader" | "keyCheck" | "sandbox">>;
}): Promise<Running> {
  const pool = new SandboxPool({ source: { kind: "db", dbPath: o.db }, ...o.pool }).start();
  const reader = new WarehouseReader(o.db);
  try {
    const l = await listen(createApp({ reader, keyCheck: staticKeyCheck(o.key), sandbox: pool, ...o.app }));
    return {
      ...l,
      pool,
      reader,
      close: async () => {
        await l.close();
        reader.close();
        await pool.close();
      },
    };
  } catch (e) {
    reader.close();
    await pool.close();
    throw e;
  }
}
