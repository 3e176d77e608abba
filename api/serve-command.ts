// `phuluc serve` and `phuluc key rotate`.
import { existsSync, readFileSync } from "node:fs";
import { createServer as createHttp, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createServer as createHttps } from "node:https";
import type { AddressInfo } from "node:net";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { pino } from "pino";
import { EXIT, UsageError, type ExitCode } from "../core/exit.js";
import { createApp } from "./app.js";
import { ensureKey, keyCheckFor, rotateKey, type Env } from "./keys.js";
import { LakeReader } from "./lake.js";
import { WarehouseReader, type Reader } from "./readers.js";
import { SandboxPool } from "./sandbox/runner.js";

export interface ServeOptions {
  db?: string;
  lake?: string;
  province?: string;
  port?: number;
  host: string;
  cert?: string;
  key?: string;
  paneOrigin?: string;
  /** the task pane's built folder (default: PHULUC_PANE_DIR, else out/pane/ when it exists) */
  paneDir?: string;
}

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
/** Where the pane's build is (`npm run build:pane` writes out/pane/). */
export const PANE_DIRS = ["out/pane"].map((d) => join(root, d));

export interface RunningServer {
  url: string;
  server: Server;
  sandbox: SandboxPool;
  close(): Promise<void>;
}

const intEnv = (env: Env, name: string): number | undefined => {
  const v = env[name];
  if (v === undefined || v === "") return undefined;
  if (!/^\d+$/.test(v)) throw new UsageError(`${name} must be a whole number, got "${v}"`);
  return Number(v);
};

/** Start the server (the command waits for a signal; tests call this and close()). */
export async function startServer(opts: ServeOptions, env: Env = process.env, say: (s: string) => void = console.log): Promise<RunningServer> {
  if (!opts.db === !opts.lake) throw new UsageError("give exactly one of --db <file> or --lake <dir>");
  if (opts.province && !opts.lake) throw new UsageError("--province goes with --lake");
  if (!opts.cert !== !opts.key) throw new UsageError("https needs both --cert and --key");
  const port = opts.port ?? intEnv(env, "PORT") ?? 3000;
  const scheme = opts.cert ? "https" : "http";

  const keyInfo = ensureKey(env);
  const reader: Reader = opts.db ? new WarehouseReader(opts.db) : new LakeReader(opts.lake!, { province: opts.province });
  const sandbox = new SandboxPool({
    source: opts.db ? { kind: "db", dbPath: resolve(opts.db) } : { kind: "lake", lake: resolve(opts.lake!), province: opts.province },
    timeLimitMs: intEnv(env, "PHULUC_QUERY_TIMEOUT_MS"),
    maxRows: intEnv(env, "PHULUC_QUERY_MAX_ROWS"),
    workers: intEnv(env, "PHULUC_QUERY_WORKERS"),
  }).start();
  const log = pino({ level: env.PHULUC_LOG_LEVEL ?? "info" }, pino.destination(2));
  const paneDir = opts.paneDir ?? env.PHULUC_PANE_DIR ?? PANE_DIRS.find((d) => existsSync(d));

  const displayHost = opts.host.includes(":") ? `[${opts.host}]` : opts.host;
  let server: Server;
  let url = "";
  const appFor = (origin: string) =>
    createApp({
      reader,
      keyCheck: keyCheckFor(keyInfo),
      sandbox,
      paneDir,
      paneOrigin: opts.paneOrigin ?? origin,
      logError: (err, msg) => log.error({ err }, msg),
    });
  // The default CORS origin is the server's own, known once the port is (port 0 picks one).
  const handler: { app: ReturnType<typeof createApp> | null } = { app: null };
  const dispatch = (req: IncomingMessage, res: ServerResponse) => {
    handler.app!(req as never, res as never);
  };
  if (opts.cert) server = createHttps({ cert: readFileSync(opts.cert), key: readFileSync(opts.key!) }, dispatch);
  else server = createHttp(dispatch);
  await new Promise<void>((ok, fail) => {
    server.once("error", fail);
    server.listen(port, opts.host, () => ok());
  });
  const actual = (server.address() as AddressInfo).port;
  url = `${scheme}://${displayHost}:${actual}`;
  handler.app = appFor(url);

  say(`phuluc: serving ${opts.db ? `the warehouse ${opts.db}` : `the lake ${opts.lake}`} at ${url}/`);
  if (paneDir) say(`phuluc: task pane from ${paneDir}`);
  if (keyInfo.source === "env") say("phuluc: API key from PHULUC_API_KEY");
  else if (keyInfo.created) {
    say(`phuluc: new API key (shown once / chỉ hiện một lần): ${keyInfo.key}`);
    say(`phuluc: stored in ${keyInfo.path} (mode 0600); \`phuluc key rotate\` makes a new one`);
  } else say(`phuluc: API key in ${keyInfo.path}`);

  let closing: Promise<void> | null = null;
  const close = () =>
    (closing ??= (async () => {
      const done = new Promise<void>((ok) => server.close(() => ok()));
      server.closeIdleConnections();
      const force = setTimeout(() => server.closeAllConnections(), 10_000);
      await done;
      clearTimeout(force);
      await sandbox.close();
      reader.close?.();
    })());
  return { url, server, sandbox, close };
}

export async function serveCommand(opts: ServeOptions): Promise<ExitCode> {
  const running = await startServer(opts);
  await new Promise<void>((resolveSignal) => {
    const stop = (sig: string) => {
      console.error(`phuluc: ${sig}, finishing the requests in progress`);
      resolveSignal();
    };
    process.once("SIGTERM", () => stop("SIGTERM"));
    process.once("SIGINT", () => stop("SIGINT"));
  });
  await running.close();
  return EXIT.ok;
}

export async function rotateKeyCommand(env: Env = process.env, say: (s: string) => void = console.log): Promise<ExitCode> {
  if (env.PHULUC_API_KEY?.trim()) {
    console.error("phuluc: PHULUC_API_KEY is set and wins over the key file: change it there / khóa đang lấy từ PHULUC_API_KEY");
    return EXIT.failed;
  }
  const { key, path } = rotateKey(env);
  say(`phuluc: new API key (shown once / chỉ hiện một lần): ${key}`);
  say(`phuluc: written to ${path}; the old key stops working now, a running server too`);
  return EXIT.ok;
}
