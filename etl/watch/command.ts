// `etl watch`: the scheduled ETL. croner drives the schedule (protect: a tick never starts while
// the previous one runs in this process); the warehouse's writer lock keeps two processes (a
// service and a cron --once) from overlapping, and a crashed run's lock is taken over because its
// process is gone. SIGTERM/SIGINT: no new tick; the running one gets a grace period, then the
// process exits — an abandoned load leaves the warehouse as it was (generations).
import { Cron } from "croner";
import pino from "pino";
import { existsSync, statSync } from "node:fs";
import { configPath, loadConfig } from "../../core/config.js";
import { EXIT, UsageError, type ExitCode } from "../../core/exit.js";
import { runTick, type Logger } from "./tick.js";
import type { Seen } from "./stability.js";

export interface WatchOptions {
  inbox: string;
  db: string;
  every: string;
  tz: string;
  once?: boolean;
  settle: number;
  /** ms to let a running tick finish after SIGTERM */
  graceMs?: number;
  log?: Logger;
}

export async function etlWatch(o: WatchOptions): Promise<ExitCode> {
  if (!existsSync(o.inbox) || !statSync(o.inbox).isDirectory()) {
    console.error(`phuluc: inbox folder not found / không thấy thư mục hộp thư: ${o.inbox}`);
    return EXIT.failed;
  }
  const configFile = configPath();
  const config = loadConfig(configFile);
  // Every line names the province and the configuration the run used.
  const log: Logger =
    o.log ??
    pino({ base: { app: "phuluc", cmd: "etl watch", province: config.province.code, config: configFile }, timestamp: pino.stdTimeFunctions.isoTime });
  log.info({ province: config.province, config: configFile }, `province ${config.province.name} (${config.province.code}), configuration ${configFile}`);
  const seen: Seen = new Map();
  const tick = async () => {
    try {
      return await runTick({ inbox: o.inbox, db: o.db, config, settleMs: o.settle * 1000, seen, once: !!o.once, now: () => new Date(), log });
    } catch (e) {
      log.error({ err: (e as Error).message }, "tick failed");
      return null;
    }
  };
  if (o.once) {
    const r = await tick();
    if (!r) return EXIT.failed;
    return r.report && r.report.outcome === "partial" ? EXIT.problems : EXIT.ok;
  }
  let job: Cron;
  try {
    job = new Cron(o.every, { timezone: o.tz, protect: (j) => log.warn({ next: j.nextRun()?.toISOString() }, "previous tick still running: skipped") }, async () => {
      running = tick();
      await running;
      running = null;
    });
  } catch (e) {
    throw new UsageError(`--every "${o.every}": ${(e as Error).message}`);
  }
  let running: Promise<unknown> | null = null;
  log.info({ inbox: o.inbox, db: o.db, every: o.every, tz: o.tz, next: job.nextRun()?.toISOString() }, "watching");
  return new Promise<ExitCode>((resolveExit) => {
    const stop = async (signal: string) => {
      job.stop();
      log.info({ signal }, "stopping");
      if (running) {
        const grace = new Promise((r) => setTimeout(r, o.graceMs ?? 3000).unref());
        const finished = await Promise.race([running.then(() => true), grace.then(() => false)]);
        log.info({ finished }, finished ? "the running tick finished" : "the running tick was abandoned (the warehouse stays as it was)");
      }
      resolveExit(EXIT.ok);
    };
    process.once("SIGTERM", () => void stop("SIGTERM"));
    process.once("SIGINT", () => void stop("SIGINT"));
  });
}
