// The real createApp (api/app.ts) over canned figures, for the pane's browser test when a
// warehouse cannot be built from sample/inbox (the ETL or the queries mid-change): the routes,
// the key check, CSP and static serving are the real ones; only the figures are made up here.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createApp, type FormsEngine } from "../../api/app.js";
import { loadForms, type FormDef } from "../../queries/forms.js";
import type { FormData, FormRow } from "../../queries/types.js";
import type { Db } from "../../warehouse/db.js";

export function cannedData(def: FormDef, year: number, generation: number): FormData {
  const money = def.columns.filter((c) => c.kind !== "text").map((c) => c.id);
  const rows: FormRow[] = [];
  if (def.rows?.length) {
    def.rows.forEach((r, i) => {
      const values: FormRow["values"] = { label: r.label, ma_so: r.code ?? null };
      money.forEach((c, k) => (values[c] = Math.round(((i + 3) * 1370.5 + k * 211) * 10) / 10));
      if (def.code === "pl02" && r.key === "01") Object.assign(values, { c1: 41612, c2: 0, c3: 41612, c4: 0, c5: 0 });
      rows.push({ rowKey: r.key, kind: r.kind === "data" ? "data" : r.kind, sort: i, parentKey: null, values });
    });
  } else {
    for (let i = 0; i < 3; i++) {
      const values: FormRow["values"] = { stt: String(i + 1), title: `Nhiệm vụ mẫu ${i + 1}`, label: `Chỉ tiêu ${i + 1}`, lead_org: "Sở KH&CN", period: "1/2023-12/2024", decision: null, unit: "lượt" };
      money.forEach((c, k) => (values[c] = 100 * (i + 1) + k));
      rows.push({ rowKey: `task:T${i + 1}`, kind: "data", sort: i, parentKey: null, values });
    }
  }
  return { form: def.code, year, generation, rows };
}

export interface StubOptions {
  /** what GET /api/years answers (default 2022–2024) */
  years?: number[];
  /** rules to report as broken (the pane's "rules that do not add up") */
  rules?: (form: string, year: number) => import("../../queries/types.js").RuleResult[];
}

export async function startStubApi(paneDir: string, key: string, opts: StubOptions = {}): Promise<{ url: string; close(): Promise<void> }> {
  const forms = loadForms();
  const engine: FormsEngine = {
    listForms: () => forms.map((f) => f.code),
    loadForms: () => forms,
    computeForm: async (_db, form, year, generation) => cannedData(forms.find((f) => f.code === form)!, year, generation),
    evaluateRules: async (_db, form, year) => opts.rules?.(form, year) ?? [],
    formLineage: async (_db, form, year, rowKey, columnId) => ({
      total: 1,
      facts: [{ form, year, rowKey, columnId, file: "P.KHTC/Du toan 2024.xlsx", sheet: "Du toan", cell: "E9", amount_trieu_dong: 41612 }] as never[],
    }),
  };
  const run = { run_id: 1, started_at: "2024-06-30T01:00:00Z", finished_at: "2024-06-30T01:00:05Z", command: "etl load", outcome: "loaded", files_read: 7, files_loaded: 7, rows_loaded: 1234, checksum: "c0ffee", report_json: "{}" };
  const db = {
    all: async (sql: string) => (/from load_run/.test(sql) ? [run] : /fact_budget_line/.test(sql) ? (opts.years ?? [2022, 2023, 2024]).map((year) => ({ year })) : []),
  } as unknown as Db;
  const app = createApp({
    reader: { use: (fn) => fn(db, 1) },
    keyCheck: (k) => k === key,
    sandbox: { run: async () => Promise.reject(new Error("no sandbox in this test")), close: async () => {} },
    paneDir,
    engine,
  });
  const server: Server = createServer(app);
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, close: () => new Promise<void>((ok) => server.close(() => ok())) };
}
