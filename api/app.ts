// The HTTP API and the task pane's static files, built by a function and exported without
// listen() (serve-command.ts listens; tests use supertest or a real server on 127.0.0.1).
//   GET  /api/health                 no key: status, generation, data as of
//   GET  /api/forms                  the form definitions
//   GET  /api/forms/:code?year=N[&asOf=run]   figures, rows, rules, lineage ids
//   GET  /api/lineage/:id?page=      the facts behind one figure
//   GET  /api/runs                   the load history
//   GET  /api/years                  the years the warehouse has figures for (api/years.ts)
//   POST /api/query                  analysts' SQL, through the sandbox worker
// Every answer a figure came from carries the generation and that load's checksum, so a client
// can tell that its answers come from one complete load.
import cors from "cors";
import express, { type NextFunction, type Request, type Response } from "express";
import { rateLimit } from "express-rate-limit";
import helmet from "helmet";
import { pipeline } from "node:stream/promises";
import { z } from "zod";
import { PLAN_YEAR_MAX, PLAN_YEAR_MIN, PLAN_YEAR_RANGE } from "../core/plan-year.js";
import { ProblemError } from "../core/problem.js";
import { computeForm, evaluateRules, formLineage, listForms } from "../queries/compute.js";
import { loadForms, type FormDef } from "../queries/forms.js";
import { LINEAGE_ID_FORMAT, lineageId, parseLineageId } from "../core/lineage-id.js";
import type { FormData, LineageFact, RuleResult } from "../queries/types.js";
import type { Db } from "../warehouse/db.js";
import { ApiError } from "./errors.js";
import { CONTENT_TYPE, FORMATS } from "./formats.js";
import type { KeyCheck } from "./keys.js";
import type { Reader } from "./readers.js";
import { parseJsonParams } from "./sandbox/params.js";
import type { QueryRunner } from "./sandbox/runner.js";
import { yearsWithFigures } from "./years.js";

/** The appendix engine of queries/ (replaceable in tests). */
export interface FormsEngine {
  listForms(): string[];
  loadForms(): FormDef[] | unknown[];
  computeForm(db: Db, form: string, year: number, generation: number): Promise<FormData>;
  evaluateRules(db: Db, form: string, year: number, data: FormData): Promise<RuleResult[]>;
  formLineage(
    db: Db,
    form: string,
    year: number,
    rowKey: string,
    columnId: string,
    page: number,
    pageSize: number,
  ): Promise<{ total: number; facts: LineageFact[] }>;
}

/** How many appendix answers (generation × form × year) the server keeps. */
const ANSWERS_KEPT = 48;

export const queriesEngine: FormsEngine = { listForms, loadForms, computeForm, evaluateRules, formLineage };

export interface AppDeps {
  reader: Reader;
  keyCheck: KeyCheck;
  sandbox: QueryRunner;
  /** the task pane's built files, served without a key */
  paneDir?: string;
  /** the only origin CORS answers (the pane's, when served from elsewhere) */
  paneOrigin?: string;
  clock?: () => Date;
  engine?: FormsEngine;
  /** JSON body limit (default 256 KB) */
  bodyLimit?: string | number;
  /** /api/query requests per minute per client (default 60) */
  queryPerMinute?: number;
  /**
   * A query answer whose client reads nothing for this long is dropped (default 30 000 ms): an
   * answer is streamed from the worker's file with back-pressure, so a client that does not read
   * holds a file descriptor and a socket, never the answer in the server's memory, and not forever.
   */
  answerIdleMs?: number;
  lineagePageSize?: number;
  /** unexpected errors go here (pino's logger fits) */
  logError?: (err: unknown, msg: string) => void;
}

/** Office's CDN for office.js, and the hosts that frame a task pane in Excel on the web. */
export const OFFICE_JS_CDN = "https://appsforoffice.microsoft.com";
const OFFICE_FRAME_HOSTS = [
  "https://*.office.com",
  "https://*.officeapps.live.com",
  "https://*.office365.com",
  "https://*.sharepoint.com",
  "https://*.cloud.microsoft",
];

export interface LoadInfo {
  runId: number | null;
  checksum: string | null;
  finishedAt: string | null;
}

/** The newest load run of the generation `db` is (its checksum and finished time). */
export async function loadInfo(db: Db): Promise<LoadInfo> {
  try {
    const r = await db.all<{ run_id: number; checksum: string; finished_at: string }>(
      `select run_id, checksum, strftime(timezone('UTC', finished_at), '%Y-%m-%dT%H:%M:%SZ') as finished_at
       from load_run order by run_id desc limit 1`,
    );
    if (r.length > 0) return { runId: Number(r[0].run_id), checksum: r[0].checksum, finishedAt: r[0].finished_at };
  } catch {
    /* no load_run (a lake exported without it) */
  }
  return { runId: null, checksum: null, finishedAt: null };
}

const YEAR = z.coerce.number().int().min(PLAN_YEAR_MIN).max(PLAN_YEAR_MAX);
const RUN = z.coerce.number().int().min(1);
const QueryBody = z.object({
  sql: z.string(),
  params: z.record(z.string(), z.unknown()).optional(),
  format: z.enum(FORMATS).default("json"),
  maxRows: z.number().int().min(0).optional(),
});

const bad = (what: string, detail?: string) => new ApiError("BAD_REQUEST", `yêu cầu không hợp lệ: ${what}`, `bad request: ${what}`, detail);

/** Turn the warehouse module's plain errors into API errors. */
function warehouseError(e: unknown): unknown {
  const msg = (e as Error)?.message ?? "";
  if (/no warehouse generation for run/.test(msg)) {
    return new ApiError("GENERATION_NOT_FOUND", "không còn thế hệ kho dữ liệu của lần nạp này", "that load run's generation is not kept", msg);
  }
  if (/no warehouse at .* yet/.test(msg)) {
    return new ApiError("NO_WAREHOUSE", "chưa có kho dữ liệu: hãy chạy `etl load` trước", "no warehouse yet: run `etl load` first");
  }
  return e;
}

/** An error Express or body-parser made for a bad request (status 4xx, e.g. an undecodable %XX). */
function isClientError(err: unknown): boolean {
  const status = (err as { status?: unknown; statusCode?: unknown })?.status ?? (err as { statusCode?: unknown })?.statusCode;
  return typeof status === "number" && status >= 400 && status < 500;
}

/**
 * Pipe an answer to the client with back-pressure; a client that reads nothing for `idleMs`
 * is disconnected (its answer file is closed, and so gone).
 */
async function sendAnswer(stream: NodeJS.ReadableStream & { destroy(): void }, res: Response, idleMs: number): Promise<void> {
  let idle: NodeJS.Timeout | undefined;
  const poke = () => {
    clearTimeout(idle);
    idle = setTimeout(() => {
      res.destroy();
      stream.destroy();
    }, idleMs);
  };
  stream.on("data", poke);
  poke();
  try {
    await pipeline(stream, res);
  } catch {
    // the client went away (or was dropped): nothing more to send it
    stream.destroy();
  } finally {
    clearTimeout(idle);
  }
}

export function createApp(deps: AppDeps): express.Express {
  const clock = deps.clock ?? (() => new Date());
  const engine = deps.engine ?? queriesEngine;
  const pageSize = deps.lineagePageSize ?? 50;
  let forms: unknown[] | null = null;

  /** Run fn on the current generation, or on generation `asOf`. */
  async function at<T>(asOf: number | undefined, fn: (db: Db, generation: number) => Promise<T>): Promise<T> {
    try {
      if (asOf === undefined) return await deps.reader.use(fn);
      if (deps.reader.useAsOf) return await deps.reader.useAsOf(asOf, fn);
      return await deps.reader.use((db, g) => {
        if (g !== asOf) throw new ApiError("GENERATION_NOT_FOUND", "không có thế hệ này", "no such generation", String(asOf));
        return fn(db, g);
      });
    } catch (e) {
      throw warehouseError(e);
    }
  }

  function formCode(raw: string): string {
    const code = engine.listForms().find((c) => c.toLowerCase() === raw.toLowerCase());
    if (!code) throw new ApiError("FORM_NOT_FOUND", "không có phụ lục này", "no such form", raw.slice(0, 40));
    return code;
  }

  const app = express();
  app.disable("x-powered-by");
  app.set("query parser", "simple");
  // A query's time limit counts from here (its arrival), not from when a worker takes it.
  app.use((_req, res, next) => {
    res.locals.arrivedAt = Date.now();
    next();
  });

  app.use(
    helmet({
      contentSecurityPolicy: {
        useDefaults: true,
        directives: {
          "default-src": ["'self'"],
          "script-src": ["'self'", OFFICE_JS_CDN],
          // Fluent UI web components fall back to <style> elements where adoptedStyleSheets is missing.
          "style-src": ["'self'", "'unsafe-inline'"],
          "img-src": ["'self'", "data:"],
          "font-src": ["'self'", "data:"],
          "connect-src": ["'self'", ...(deps.paneOrigin ? [deps.paneOrigin] : [])],
          // Excel on the web shows the pane in a frame of these hosts (X-Frame-Options would forbid it).
          "frame-ancestors": ["'self'", ...OFFICE_FRAME_HOSTS],
          "object-src": ["'none'"],
          // The pane may be tried over http on 127.0.0.1; https deployments get HSTS anyway.
          "upgrade-insecure-requests": null,
        },
      },
      frameguard: false,
    }),
  );

  const api = express.Router();
  api.use(
    cors({
      origin: (origin, cb) => cb(null, deps.paneOrigin !== undefined && origin === deps.paneOrigin),
      methods: ["GET", "POST"],
      allowedHeaders: ["Authorization", "Content-Type"],
      exposedHeaders: ["X-Phuluc-Generation", "X-Phuluc-Checksum", "X-Phuluc-Row-Count", "X-Phuluc-Truncated", "Content-Disposition"],
      maxAge: 600,
    }),
  );

  // A generation never changes once published: its load info is asked of DuckDB once, so that
  // /api/health costs next to nothing however busy the machine is.
  let healthInfo: { generation: number; info: LoadInfo } | null = null;
  api.get("/health", async (_req, res) => {
    let body: Record<string, unknown>;
    try {
      body = await deps.reader.use(async (db, generation) => {
        const info = deps.reader.immutable && healthInfo?.generation === generation ? healthInfo.info : await loadInfo(db);
        if (deps.reader.immutable) healthInfo = { generation, info };
        return { status: "ok", generation, checksum: info.checksum, dataAsOf: info.finishedAt };
      });
    } catch (e) {
      const err = warehouseError(e);
      if (!(err instanceof ApiError) || err.code !== "NO_WAREHOUSE") throw err;
      body = { status: "no-warehouse", generation: null, checksum: null, dataAsOf: null };
    }
    res.json({ ...body, time: clock().toISOString() });
  });

  const hasKey = (req: Request): boolean => {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(req.get("authorization") ?? "");
    return m !== null && deps.keyCheck(m[1]);
  };

  // Everything below needs the key.
  api.use((req, _res, next) => {
    if (!hasKey(req)) {
      next(new ApiError("UNAUTHORIZED", "thiếu khóa API hoặc khóa không đúng", "missing or wrong API key"));
      return;
    }
    next();
  });

  api.use(express.json({ limit: deps.bodyLimit ?? "256kb", strict: true }));

  api.get("/forms", (_req, res) => {
    forms ??= engine.loadForms() as unknown[];
    res.json({ forms });
  });

  const answers = new Map<string, string>();
  api.get("/forms/:code", async (req, res) => {
    const code = formCode(req.params.code);
    const year = YEAR.safeParse(req.query.year);
    if (!year.success) throw bad("year", `?year=N (${PLAN_YEAR_RANGE})`);
    let asOf: number | undefined;
    if (req.query.asOf !== undefined) {
      const r = RUN.safeParse(req.query.asOf);
      if (!r.success) throw bad("asOf", "?asOf=<load run number>");
      asOf = r.data;
    }
    // A generation is never written after it is published, so its answers can be kept: the same
    // form, year and generation always give the same body (kept for the last few asked).
    const body = await at(asOf, async (db, generation) => {
      const key = `${generation}|${code}|${year.data}`;
      const hit = deps.reader.immutable ? answers.get(key) : undefined;
      if (hit !== undefined) {
        answers.delete(key);
        answers.set(key, hit);
        return hit;
      }
      const data = await engine.computeForm(db, code, year.data, generation);
      const rules = await engine.evaluateRules(db, code, year.data, data);
      const info = await loadInfo(db);
      const items = data.rows.flatMap((row) =>
        Object.entries(row.values).map(([columnId, value]) => ({
          rowKey: row.rowKey,
          columnId,
          value,
          lineageId: /^c\d+$/.test(columnId) ? lineageId(code, year.data, generation, row.rowKey, columnId) : null,
        })),
      );
      const text = JSON.stringify({
        form: code,
        year: year.data,
        generation,
        checksum: info.checksum,
        dataAsOf: info.finishedAt,
        items,
        rows: data.rows,
        rules,
      });
      if (deps.reader.immutable) answers.set(key, text);
      if (answers.size > ANSWERS_KEPT) answers.delete(answers.keys().next().value!);
      return text;
    });
    res.type("application/json").send(body);
  });

  api.get("/lineage/:id", async (req, res) => {
    const id = req.params.id;
    const ref = parseLineageId(id);
    if (!ref) throw bad("lineage id", LINEAGE_ID_FORMAT);
    const { rowKey, columnId } = ref;
    const code = formCode(ref.form);
    const year = YEAR.safeParse(ref.year);
    const gen = RUN.safeParse(ref.generation);
    if (!year.success || !gen.success || rowKey === "" || columnId === "") throw bad("lineage id", LINEAGE_ID_FORMAT);
    const page = req.query.page === undefined ? { success: true as const, data: 0 } : z.coerce.number().int().min(0).max(1_000_000).safeParse(req.query.page);
    if (!page.success) throw bad("page", "?page=0, 1, …");
    // The figure's own generation: the current one if it is still current, else the kept file.
    const out = await at(undefined, async (db, current) => {
      if (current !== gen.data) return null;
      return { lineage: await engine.formLineage(db, code, year.data, rowKey, columnId, page.data, pageSize), info: await loadInfo(db) };
    }).then(
      (r) =>
        r ??
        at(gen.data, async (db) => ({
          lineage: await engine.formLineage(db, code, year.data, rowKey, columnId, page.data, pageSize),
          info: await loadInfo(db),
        })),
    );
    res.json({
      id,
      form: code,
      year: year.data,
      generation: gen.data,
      checksum: out.info.checksum,
      rowKey,
      columnId,
      page: page.data,
      pageSize,
      total: out.lineage.total,
      facts: out.lineage.facts,
    });
  });

  api.get("/runs", async (_req, res) => {
    const out = await at(undefined, async (db, generation) => {
      const runs = await db.all<Record<string, unknown>>(
        `select run_id, strftime(timezone('UTC', started_at), '%Y-%m-%dT%H:%M:%SZ') as started_at,
           strftime(timezone('UTC', finished_at), '%Y-%m-%dT%H:%M:%SZ') as finished_at,
           command, outcome, files_read, files_loaded, rows_loaded, checksum, report_json
         from load_run order by run_id desc`,
      );
      return { generation, runs, info: await loadInfo(db) };
    });
    res.json({
      generation: out.generation,
      checksum: out.info.checksum,
      runs: out.runs.map((r) => ({
        runId: Number(r.run_id),
        startedAt: r.started_at,
        finishedAt: r.finished_at,
        command: r.command,
        outcome: r.outcome,
        filesRead: Number(r.files_read),
        filesLoaded: Number(r.files_loaded),
        rowsLoaded: Number(r.rows_loaded),
        checksum: r.checksum,
        report: typeof r.report_json === "string" ? JSON.parse(r.report_json) : r.report_json,
      })),
    });
  });

  api.get("/years", async (_req, res) => {
    res.json(await at(undefined, async (db, generation) => ({ generation, years: await yearsWithFigures(db) })));
  });

  api.post(
    "/query",
    rateLimit({
      windowMs: 60_000,
      limit: deps.queryPerMinute ?? 60,
      standardHeaders: "draft-8",
      legacyHeaders: false,
      handler: (_req, _res, next) =>
        next(new ApiError("RATE_LIMITED", "gửi quá nhiều câu SQL, hãy đợi một phút", "too many queries, wait a minute", undefined, 60)),
    }),
    async (req, res) => {
      const body = QueryBody.safeParse(req.body ?? {});
      if (!body.success) {
        throw bad("body", body.error.issues.map((i) => `${i.path.join(".") || "body"}: ${i.message}`).join("; "));
      }
      const { sql, format, maxRows } = body.data;
      const params = parseJsonParams(body.data.params);
      // The worker writes the whole answer (the JSON body too) to a file; it is streamed from
      // there, so this process never holds or serialises the rows.
      // A client that goes away while its query waits for a worker takes it out of the queue.
      const cancel = new AbortController();
      const onClose = () => {
        if (!res.writableFinished) cancel.abort();
      };
      res.once("close", onClose);
      const out = await deps.sandbox.run(
        { sql, params, format, maxRows, csvBom: true, deliver: "file" },
        { arrivedAt: res.locals.arrivedAt as number | undefined, signal: cancel.signal },
      );
      res.off("close", onClose);
      const answer = out.answer;
      if (!answer) throw new ApiError("INTERNAL", "lỗi máy chủ", "internal server error", "the sandbox gave no answer file");
      if (res.destroyed) {
        answer.stream.destroy(); // the client left while it ran: close the answer's file
        return;
      }
      res.set("X-Phuluc-Generation", out.generation === null ? "" : String(out.generation));
      res.set("X-Phuluc-Checksum", out.checksum ?? "");
      res.set("X-Phuluc-Row-Count", String(out.rowCount));
      res.set("X-Phuluc-Truncated", String(out.truncated));
      res.set("Content-Type", CONTENT_TYPE[format]);
      res.set("Content-Length", String(answer.size));
      if (format !== "json") {
        const ext = format === "arrow" ? "arrows" : format;
        res.set("Content-Disposition", `attachment; filename="query.${ext}"`);
      }
      await sendAnswer(answer.stream, res, deps.answerIdleMs ?? 30_000);
    },
  );

  api.use((req, _res, next) => next(new ApiError("NOT_FOUND", "không có đường dẫn này", "no such route", `${req.method} ${req.baseUrl}${req.path}`)));
  app.use("/api", api);

  // Source maps carry the pane's whole source: only to a caller with the key (a browser's
  // developer tools send none, so in practice not at all); without it they do not exist.
  app.use((req, _res, next) => {
    let path = req.path;
    try {
      path = decodeURIComponent(path); // "/pane.js%2Emap" is the same file to the static server
    } catch {
      /* undecodable: the static server refuses it */
    }
    if (/\.map\/*$/i.test(path) && !hasKey(req)) {
      next(new ApiError("NOT_FOUND", "không có đường dẫn này", "no such route", `${req.method} ${req.path}`));
      return;
    }
    next();
  });
  if (deps.paneDir) app.use(express.static(deps.paneDir, { index: ["taskpane.html", "index.html"], fallthrough: true }));

  app.use((req, _res, next) => next(new ApiError("NOT_FOUND", "không có đường dẫn này", "no such route", `${req.method} ${req.path}`)));

  // The one error middleware.
  app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    let e: ApiError;
    const type = (err as { type?: string })?.type;
    if (err instanceof ApiError) e = err;
    else if (type === "entity.too.large") e = new ApiError("BODY_TOO_LARGE", "nội dung yêu cầu quá lớn", "request body too large");
    else if (type === "entity.parse.failed") e = bad("JSON", "the body is not valid JSON");
    else if (isClientError(err)) e = bad(type ?? "request", (err as Error).message?.slice(0, 200));
    else if (err instanceof ProblemError) {
      // A broken form definition on the server: say which, it is our own file.
      deps.logError?.(err, "form definitions");
      e = new ApiError("INTERNAL", err.problems[0]?.vi ?? "lỗi máy chủ", err.problems[0]?.en ?? "internal server error", err.problems[0]?.code);
    }
    else {
      deps.logError?.(err, "unexpected error");
      e = new ApiError("INTERNAL", "lỗi máy chủ", "internal server error");
    }
    if (e.code === "UNAUTHORIZED") res.set("WWW-Authenticate", 'Bearer realm="phuluc"');
    if (e.retryAfter !== undefined && !res.headersSent) res.set("Retry-After", String(e.retryAfter));
    if (!res.headersSent) res.status(e.status).json({ error: e.toJSON() });
  });

  return app;
}
