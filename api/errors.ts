// Every error the API answers with: a stable code, an HTTP status and a message in Vietnamese and
// English. Handlers and the sandbox throw ApiError; the one error middleware (app.ts) renders it
// as { "error": { "code", "message" } }.

export const STATUS: Record<string, number> = {
  BAD_REQUEST: 400,
  BODY_TOO_LARGE: 413,
  UNAUTHORIZED: 401,
  NOT_FOUND: 404,
  FORM_NOT_FOUND: 404,
  GENERATION_NOT_FOUND: 404,
  LINEAGE_NOT_FOUND: 404,
  NO_WAREHOUSE: 503,
  RATE_LIMITED: 429,
  QUERY_SYNTAX: 400,
  QUERY_INVALID: 400,
  QUERY_PARAMS: 400,
  QUERY_NOT_SELECT: 400,
  QUERY_MULTIPLE_STATEMENTS: 400,
  QUERY_REFUSED_BY_SANDBOX: 403,
  QUERY_TOO_LONG: 413,
  QUERY_TOO_DEEP: 413,
  QUERY_TOO_LARGE: 413,
  QUERY_TIMEOUT: 408,
  QUERY_FAILED: 422,
  QUERY_BUSY: 503,
  QUERY_WORKER_CRASHED: 500,
  INTERNAL: 500,
};

export class ApiError extends Error {
  override name = "ApiError";
  constructor(
    readonly code: string,
    readonly vi: string,
    readonly en: string,
    readonly detail?: string,
    /** seconds a client should wait before trying again (sent as Retry-After) */
    readonly retryAfter?: number,
  ) {
    super(`${vi} / ${en}${detail ? `: ${detail}` : ""}`);
  }
  get status(): number {
    return STATUS[this.code] ?? 500;
  }
  toJSON(): { code: string; message: string } {
    return { code: this.code, message: this.message };
  }
}

/** A plain-object form for crossing the process boundary (the sandbox worker). */
export interface WireError {
  code: string;
  vi: string;
  en: string;
  detail?: string;
  retryAfter?: number;
}

export const toWire = (e: ApiError): WireError => ({ code: e.code, vi: e.vi, en: e.en, detail: e.detail, retryAfter: e.retryAfter });
export const fromWire = (w: WireError): ApiError => new ApiError(w.code, w.vi, w.en, w.detail, w.retryAfter);

/** An answer over the byte cap: say how big the cap is and how to ask for less. */
export function tooLarge(maxBytes: number): ApiError {
  const mb = Number((maxBytes / 1_000_000).toPrecision(3));
  return new ApiError(
    "QUERY_TOO_LARGE",
    `câu trả lời lớn hơn ${mb} MB nên không gửi: hãy thu hẹp câu SQL (chọn ít cột hơn, thêm WHERE, LIMIT hoặc maxRows, hay tổng hợp bằng GROUP BY)`,
    `the answer is larger than ${mb} MB and is not sent: narrow the query (fewer columns, a WHERE, a LIMIT or maxRows, or aggregate with GROUP BY)`,
    `cap ${maxBytes} bytes`,
  );
}

/** xlsx is built whole in the worker's memory (about 1 KB a cell): it has its own, smaller cap. */
export const XLSX_MAX_CELLS = 500_000;

export function xlsxTooLarge(cells: number): ApiError {
  return new ApiError(
    "QUERY_TOO_LARGE",
    `tệp xlsx chứa tối đa ${XLSX_MAX_CELLS.toLocaleString("en-US").replace(/,/g, " ")} ô, câu trả lời này có ${cells.toLocaleString("en-US").replace(/,/g, " ")} ô: hãy chọn csv hoặc parquet, hoặc thu hẹp câu SQL (ít cột hơn, thêm WHERE, LIMIT hoặc maxRows)`,
    `an xlsx answer holds at most ${XLSX_MAX_CELLS.toLocaleString("en-US").replace(/,/g, " ")} cells and this one has ${cells.toLocaleString("en-US").replace(/,/g, " ")}: choose csv or parquet, or narrow the query (fewer columns, a WHERE, a LIMIT or maxRows)`,
  );
}
