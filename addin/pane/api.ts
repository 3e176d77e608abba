// The pane's client of the phuluc API (api/app.ts). Pure fetch, no Office.js: the same calls in
// Excel and in the preview. The key goes in `Authorization: Bearer`, never in a URL.
import type { FormDef } from "../../queries/form-schema.js";
import type { FormRow, RuleResult } from "../../queries/types.js";

export interface FormItem {
  rowKey: string;
  columnId: string;
  value: number | string | null;
  lineageId: string | null;
}

export interface FormResponse {
  form: string;
  year: number;
  generation: number;
  checksum?: string | null;
  dataAsOf?: string | null;
  items: FormItem[];
  rows: FormRow[];
  rules: RuleResult[];
}

export interface LineageFact {
  [k: string]: unknown;
}

export interface LineageResponse {
  id: string;
  form: string;
  year: number;
  generation: number;
  rowKey: string;
  columnId: string;
  total: number;
  facts: LineageFact[];
}

export interface RunInfo {
  runId: number;
  startedAt: string | null;
  finishedAt: string | null;
  command: string;
  outcome: string;
  filesRead: number;
  filesLoaded: number;
  rowsLoaded: number;
}

export interface Health {
  status: string;
  generation: number | null;
  dataAsOf: string | null;
}

/** An API error as the server sends it ({ error: { code, message } }), or a network failure. */
export class PaneApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = "PaneApiError";
  }
}

export interface Client {
  health(): Promise<Health>;
  forms(): Promise<FormDef[]>;
  form(code: string, year: number): Promise<FormResponse>;
  lineage(id: string): Promise<LineageResponse>;
  runs(): Promise<RunInfo[]>;
  /** the years the warehouse has figures for, oldest first */
  years(): Promise<number[]>;
}

/** "localhost:3000/" → "https://localhost:3000"; "" → the page's own origin. */
export function normaliseServer(server: string, pageOrigin: string): string {
  const s = server.trim().replace(/\/+$/, "");
  if (s === "") return pageOrigin;
  return /^https?:\/\//i.test(s) ? s : `https://${s}`;
}

export function createClient(server: string, key: string, fetchFn: typeof fetch = (...a) => fetch(...a)): Client {
  const get = async <T>(path: string): Promise<T> => {
    let res: Response;
    try {
      res = await fetchFn(`${server}${path}`, { headers: { Authorization: `Bearer ${key}`, Accept: "application/json" } });
    } catch (e) {
      throw new PaneApiError("NETWORK", `không kết nối được máy chủ / cannot reach the server: ${(e as Error).message}`, 0);
    }
    const text = await res.text();
    let body: unknown = null;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      /* not JSON */
    }
    if (!res.ok) {
      const err = (body as { error?: { code?: string; message?: string } } | null)?.error;
      throw new PaneApiError(err?.code ?? `HTTP_${res.status}`, err?.message ?? `HTTP ${res.status}`, res.status);
    }
    return body as T;
  };
  return {
    health: () => get<Health>("/api/health"),
    forms: async () => (await get<{ forms: FormDef[] }>("/api/forms")).forms,
    form: (code, year) => get<FormResponse>(`/api/forms/${encodeURIComponent(code)}?year=${year}`),
    lineage: (id) => get<LineageResponse>(`/api/lineage/${encodeURIComponent(id)}`),
    runs: async () => (await get<{ runs: RunInfo[] }>("/api/runs")).runs,
    years: async () => (await get<{ years: number[] }>("/api/years")).years,
  };
}
