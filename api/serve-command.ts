// `phuluc serve` and `phuluc key rotate`.
import { accessSync, constants, existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { createServer as createHttp, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createServer as createHttps } from "node:https";
import { createServer as createNet, type AddressInfo } from "node:net";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { pino } from "pino";
import { EXIT, Refusal, UsageError, type ExitCode } from "../core/exit.js";
import { terminalSafe } from "../core/terminal.js";
import { createApp } from "./app.js";
import { ensureKey, KeyRefused, keyCheckFor, rotateKey, type Env } from "./keys.js";
import { LakeReader } from "../warehouse/lake.js";
import { WarehouseReader, type Reader } from "./readers.js";
import { SandboxPool } from "./sandbox/runner.js";

export interface ServeOptions {
  db?: string;
  lake?: string;
  province?: string;
  asCurrentUnits?: boolean;
  port?: number;
  host: string;
  cert?: string;
  key?: string;
  paneOrigin?: string;
  /** the task pane's built folder (default: PHULUC_PANE_DIR, else the build's, see findPane) */
  paneDir?: string;
}

const here = dirname(fileURLToPath(import.meta.url));
/** The package's folder, or dist/ when this runs compiled (dist/api/serve-command.js). */
const root = resolve(here, "..");
/** Compiled (the bin): no esbuild at run time, the pane was built with the program. */
const COMPILED = import.meta.url.endsWith(".js");
/**
 * Where a pane's build may be: dist/pane (`npm run build`, `npm install`; `pane/` beside the
 * compiled program), out/pane (`npm run build:pane`). The most recent one is served.
 */
export const PANE_DIRS = [join(root, "pane"), join(root, "dist", "pane"), join(root, "out", "pane")];

function newest(dir: string, ext: RegExp): number {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) t = Math.max(t, newest(p, ext));
    else if (ext.test(e.name)) t = Math.max(t, statSync(p).mtimeMs);
  }
  return t;
}

const builtAt = (d: string): number => (existsSync(join(d, "pane.js")) && existsSync(join(d, "index.html")) ? statSync(join(d, "pane.js")).mtimeMs : 0);

/**
 * The pane to serve, so that `serve` never answers 404 for it: the most recent build; from a
 * source checkout, rebuilt into out/pane when missing or older than its sources (addin/, core/).
 */
export async function findPane(
  say: (s: string) => void = console.log,
  where: { dirs?: string[]; buildInto?: string } = {},
): Promise<string | undefined> {
  const built = (where.dirs ?? PANE_DIRS).filter((d) => builtAt(d) > 0).sort((a, b) => builtAt(b) - builtAt(a));
  if (COMPILED) return built[0];
  const sources = Math.max(newest(join(root, "addin"), /\.(ts|html|css|png)$/), newest(join(root, "core"), /\.ts$/));
  if (built[0] && builtAt(built[0]) >= sources) return built[0];
  say("phuluc: building the task pane (its sources changed or it was never built)…");
  const { buildPane } = await import("../addin/build.js");
  return (await buildPane({ outDir: where.buildInto ?? join(root, "out", "pane") })).outDir;
}

/** Is host:port free to listen on? (The demo asks before its load, not after.) */
export function portFree(port: number, host: string): Promise<boolean> {
  return new Promise((ok) => {
    const probe = createNet();
    probe.once("error", () => ok(false));
    probe.listen(port, host, () => probe.close(() => ok(true)));
  });
}

export const busyPort = (port: number, host: string, how = "--port <n> or PORT=<n>"): Refusal =>
  new Refusal(`port ${port} on ${host} is in use: choose another with ${how} / cổng ${port} đang bận: chọn cổng khác (${how})`);

/** A warehouse that is not there or cannot be read: refused before anything starts. */
export function checkReadable(path: string, what: string, hint: string): void {
  if (!existsSync(path)) throw new Refusal(`${what} not found: ${path} — ${hint}`);
  try {
    accessSync(path, constants.R_OK);
  } catch {
    throw new Refusal(`${what} cannot be read (permissions): ${path}`);
  }
}

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
  if (opts.asCurrentUnits && !opts.lake) throw new UsageError("--as-current-units goes with --lake");
  if (!opts.cert !== !opts.key) throw new UsageError("https needs both --cert and --key");
  let keyInfo;
  try {
    keyInfo = ensureKey(env);
  } catch (e) {
    // a weak PHULUC_API_KEY, a key file others can read: the operator's to fix, said plainly
    if (e instanceof KeyRefused) throw new UsageError(e.message);
    throw e;
  }
  const port = opts.port ?? intEnv(env, "PORT") ?? 3000;
  const scheme = opts.cert ? "https" : "http";
  if (opts.db) checkReadable(opts.db, "warehouse", "make it with `phuluc etl load <inbox> --db <file>`");
  else checkReadable(opts.lake!, "lake", "make it with `phuluc warehouse export --db <file> --parquet <dir>`");
  let tls: { cert: Buffer; key: Buffer } | undefined;
  if (opts.cert) {
    checkReadable(opts.cert, "TLS certificate", "give the PEM file of --cert");
    checkReadable(opts.key!, "TLS key", "give the PEM file of --key");
    tls = { cert: readFileSync(opts.cert), key: readFileSync(opts.key!) };
  }
  const paneDir = opts.paneDir ?? env.PHULUC_PANE_DIR ?? (await findPane(say));

  // The port first: a busy one is refused before any worker starts (nothing to clean up).
  const displayHost = opts.host.includes(":") ? `[${opts.host}]` : opts.host;
  let url = "";
  // The default CORS origin is the server's own, known once the port is (port 0 picks one).
  const handler: { app: ReturnType<typeof createApp> | null } = { app: null };
  const dispatch = (req: IncomingMessage, res: ServerResponse) => {
    if (!handler.app) {
      res.writeHead(503, { "retry-after": "1" }).end();
      return;
    }
    handler.app(req as never, res as never);
  };
  const server: Server = tls ? createHttps(tls, dispatch) : createHttp(dispatch);
  await new Promise<void>((ok, fail) => {
    server.once("error", (e: NodeJS.ErrnoException) => {
      if (e.code === "EADDRINUSE") fail(busyPort(port, opts.host));
      else if (e.code === "EACCES") fail(new Refusal(`port ${port} on ${opts.host} needs privileges: choose one above 1023 with --port <n> or PORT=<n> / cổng ${port} cần quyền quản trị`));
      else if (e.code === "EADDRNOTAVAIL") fail(new Refusal(`${opts.host} is not an address of this machine: check --host / địa chỉ ${opts.host} không thuộc máy này`));
      else fail(e);
    });
    server.listen(port, opts.host, () => ok());
  });
  const actual = (server.address() as AddressInfo).port;
  url = `${scheme}://${displayHost}:${actual}`;

  const reader: Reader = opts.db ? new WarehouseReader(opts.db) : new LakeReader(opts.lake!, { province: opts.province, asCurrentUnits: opts.asCurrentUnits });
  const sandbox = new SandboxPool({
    source: opts.db ? { kind: "db", dbPath: resolve(opts.db) } : { kind: "lake", lake: resolve(opts.lake!), province: opts.province, asCurrentUnits: opts.asCurrentUnits },
    timeLimitMs: intEnv(env, "PHULUC_QUERY_TIMEOUT_MS"),
    maxRows: intEnv(env, "PHULUC_QUERY_MAX_ROWS"),
    maxBytes: intEnv(env, "PHULUC_QUERY_MAX_BYTES"),
    workers: intEnv(env, "PHULUC_QUERY_WORKERS"),
    queueLimit: intEnv(env, "PHULUC_QUERY_QUEUE"),
  }).start();
  const log = pino({ level: env.PHULUC_LOG_LEVEL ?? "info" }, pino.destination(2));
  handler.app = createApp({
    reader,
    keyCheck: keyCheckFor(keyInfo),
    sandbox,
    paneDir,
    paneOrigin: opts.paneOrigin ?? url,
    answerIdleMs: intEnv(env, "PHULUC_ANSWER_IDLE_MS"),
    logError: (err, msg) => log.error({ err }, msg),
  });

  say(terminalSafe(`phuluc: serving ${opts.db ? `the warehouse ${resolve(opts.db)}` : `the lake ${resolve(opts.lake!)}`} at ${url}/`));
  if (paneDir) say(terminalSafe(`phuluc: task pane from ${paneDir}`));
  else say("phuluc: no task pane built (run `npm run build`): the API alone is served");
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
