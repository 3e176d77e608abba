// The task pane page: the Office.onReady wiring and the DOM. Excel work is in addin/office/
// (exported functions), the binding in addin/engine/ (pure), the API calls in ./api.ts.
// Outside Excel (no host, or a plain browser) the same page opens in PREVIEW mode: the filled
// forms as tables, the charts and the load history, straight from the API.
import {
  fluentBadge,
  fluentButton,
  fluentProgress,
  fluentTextField,
  provideFluentDesignSystem,
} from "@fluentui/web-components";
import type { FormDef } from "../../queries/form-schema.js";
import { locateForms, planWorkbook, type Located } from "../engine/index.js";
import type { FormPlan, WorkbookPlan } from "../engine/types.js";
import {
  describeExcelError,
  fillWorkbook,
  insertOverviewCharts,
  readHeads,
  readLineage,
  selectCell,
  selectedCell,
} from "../office/excel.js";
import { chartsFor } from "../office/charts.js";
import { hostSupports } from "../office/requirements.js";
import type { WorkbookLineage } from "../xlsx/lineage-xml.js";
import { createClient, normaliseServer, PaneApiError, type Client, type FormResponse, type RunInfo } from "./api.js";
import { loadSettings, saveSettings } from "./settings.js";
import { budgetByYearAndSource, chartSvg, chartTable, disbursementByLevel, esc, formatFigure, formTableHtml } from "./view.js";

provideFluentDesignSystem().register(fluentButton(), fluentTextField(), fluentBadge(), fluentProgress());

type Mode = "excel" | "preview";

interface State {
  mode: Mode;
  client: Client | null;
  year: number;
  forms: FormDef[];
  datas: Map<string, FormResponse>;
  located: Located[];
  choices: Record<string, string>;
  lineage: WorkbookLineage | null;
  dataAsOf: string | null;
  busy: boolean;
}

const state: State = {
  mode: "preview",
  client: null,
  year: new Date().getFullYear() + 1,
  forms: [],
  datas: new Map(),
  located: [],
  choices: {},
  lineage: null,
  dataAsOf: null,
  busy: false,
};

const $ = <T extends HTMLElement = HTMLElement>(id: string): T => document.getElementById(id) as T;
const fieldValue = (id: string): string => String(($(id) as unknown as { value?: string }).value ?? "").trim();
const setField = (id: string, v: string) => (($(id) as unknown as { value: string }).value = v);

function setStatus(text: string, error = false): void {
  const el = $("status");
  el.textContent = text;
  el.classList.toggle("error", error);
}

function showError(where: string, e: unknown): void {
  if (e instanceof PaneApiError) {
    setStatus(`${where}: ${e.code} — ${e.message}`, true);
    return;
  }
  const d = describeExcelError(e);
  setStatus(`${where}: ${d.code} — ${d.message}`, true);
  if (state.mode === "excel") {
    $("result").hidden = false;
    $("result-body").insertAdjacentHTML(
      "afterbegin",
      `<p class="error">Lỗi Excel / Excel error <strong>${esc(d.code)}</strong>: ${esc(d.message)}</p>${d.debugInfo ? `<pre class="debug">debugInfo: ${esc(d.debugInfo)}</pre>` : ""}`,
    );
  }
}

const partitionKey = (): string | null => {
  try {
    return typeof Office !== "undefined" ? (Office.context?.partitionKey ?? null) : null;
  } catch {
    return null;
  }
};

/** Office.onReady with a host → Excel mode; no Office, no host, or no answer → preview. */
async function detectMode(): Promise<Mode> {
  if (new URLSearchParams(location.search).has("preview")) return "preview";
  if (typeof Office === "undefined" || typeof Office.onReady !== "function") return "preview";
  const info = await Promise.race([
    Office.onReady().catch(() => null),
    new Promise<null>((r) => setTimeout(() => r(null), 3000)),
  ]);
  return info && info.host === Office.HostType.Excel ? "excel" : "preview";
}

// ---- connect, data -----------------------------------------------------------------------------

async function connect(): Promise<void> {
  const server = normaliseServer(fieldValue("server"), location.origin);
  const key = fieldValue("apikey");
  const y = Number(fieldValue("year"));
  if (Number.isInteger(y) && y >= 2000 && y <= 2100) state.year = y;
  saveSettings(window.localStorage, { server: fieldValue("server"), key, year: state.year }, partitionKey());
  state.client = createClient(server, key);
  setStatus("Đang kết nối… / Connecting…");
  try {
    const health = await state.client.health();
    state.forms = await state.client.forms();
    state.datas.clear();
    const results = await Promise.allSettled(state.forms.map((f) => state.client!.form(f.code, state.year)));
    results.forEach((r, i) => {
      if (r.status === "fulfilled") state.datas.set(state.forms[i].code, r.value);
    });
    const firstFailure = results.find((r) => r.status === "rejected") as PromiseRejectedResult | undefined;
    const any = [...state.datas.values()][0];
    state.dataAsOf = any?.dataAsOf ?? health.dataAsOf ?? null;
    setStatus(
      `Đã kết nối · năm ${state.year} · ${state.datas.size}/${state.forms.length} phụ lục · số liệu tính đến ${fmtTime(state.dataAsOf)} (thế hệ ${any?.generation ?? health.generation ?? "?"}) / Connected · data as of ${fmtTime(state.dataAsOf)}`,
    );
    if (firstFailure) showError("Số liệu / Figures", firstFailure.reason);
    renderCharts();
    await renderRuns();
    if (state.mode === "preview") renderPreview();
    else await scanWorkbook();
  } catch (e) {
    showError("Kết nối / Connect", e);
  }
}

const fmtTime = (iso: string | null | undefined): string => {
  if (!iso) return "?";
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString("vi-VN", { timeZone: "Asia/Ho_Chi_Minh" });
};

// ---- preview -----------------------------------------------------------------------------------

function renderPreview(): void {
  $("preview").hidden = false;
  const sel = $<HTMLSelectElement>("preview-form");
  const current = sel.value || "pl02";
  sel.innerHTML = state.forms
    .map((f) => `<option value="${esc(f.code)}"${f.code === current ? " selected" : ""}>PL${esc(f.number)} — ${esc(f.title.replace(/\{N(?:-(\d))?\}/g, (_m, k) => String(state.year - Number(k ?? 0))))}</option>`)
    .join("");
  showPreviewForm(sel.value);
}

function showPreviewForm(code: string): void {
  const def = state.forms.find((f) => f.code === code);
  const data = state.datas.get(code);
  $("preview-table").innerHTML = def && data ? formTableHtml(def, data) : `<p class="hint">Không có số liệu / No figures</p>`;
}

// ---- charts and runs ---------------------------------------------------------------------------

function charts() {
  return [budgetByYearAndSource(state.datas.get("pl01"), state.datas.get("pl02"), state.year), disbursementByLevel(state.datas.get("pl01"), state.year)];
}

function renderCharts(): void {
  $("glance").hidden = false;
  $("charts").innerHTML = charts()
    .map((c) => `<figure class="chart"><h3>${esc(c.title)} <span class="en">${esc(c.unit)}</span></h3>${chartSvg(c)}</figure>`)
    .join("");
  $("insert-charts").hidden = state.mode !== "excel";
}

async function renderRuns(): Promise<void> {
  if (!state.client) return;
  let runs: RunInfo[] = [];
  try {
    runs = await state.client.runs();
  } catch (e) {
    showError("Lịch sử / History", e);
    return;
  }
  $("runs").hidden = false;
  $("runs-body").innerHTML = runs.length
    ? `<table><thead><tr><th>#</th><th>Xong lúc / Finished</th><th>Kết quả / Outcome</th><th>Tệp / Files</th><th>Dòng / Rows</th></tr></thead><tbody>${runs
        .slice(0, 20)
        .map(
          (r) =>
            `<tr><td class="num">${r.runId}</td><td>${esc(fmtTime(r.finishedAt))}</td><td>${esc(r.outcome)}</td><td class="num">${r.filesLoaded}/${r.filesRead}</td><td class="num">${formatFigure(r.rowsLoaded, "count")}</td></tr>`,
        )
        .join("")}</tbody></table>`
    : `<p class="hint">Chưa có lần nạp nào / No load yet</p>`;
}

// ---- Excel: forms found, fill, result ----------------------------------------------------------

async function scanWorkbook(): Promise<void> {
  $("excel-forms").hidden = false;
  $("lineage").hidden = false;
  try {
    const heads = await Excel.run(async (context) => (await readHeads(context, { supports: hostSupports() })).heads);
    state.located = locateForms(heads, state.forms, state.year, state.choices);
    state.lineage = await readLineage();
  } catch (e) {
    showError("Đọc sổ / Reading the workbook", e);
    return;
  }
  renderFormList();
  ($("fill-all") as unknown as { disabled: boolean }).disabled = false;
  ($("rescan") as unknown as { disabled: boolean }).disabled = false;
}

function renderFormList(): void {
  $("form-list").innerHTML = state.located
    .map((l) => {
      const def = state.forms.find((f) => f.code === l.form);
      const name = `PL${esc(def?.number ?? l.form)}`;
      const progress = `<fluent-progress id="progress-${esc(l.form)}" min="0" max="100" value="0" hidden aria-label="${name}"></fluent-progress>`;
      if (l.status === "found") {
        return `<li><span><strong>${name}</strong> <span class="badge-found">✓ tìm thấy / found</span></span>
          <fluent-button data-fill="${esc(l.form)}">Điền / Fill</fluent-button>
          <span class="where">Trang tính / sheet “${esc(l.sheetName)}”${l.templateYear && l.templateYear !== state.year ? ` · bản năm ${l.templateYear} (sẽ đổi năm / years rewritten)` : ""}${l.missingColumns.length ? ` · thiếu cột / missing: ${esc(l.missingColumns.join(", "))}` : ""}</span>${progress}</li>`;
      }
      if (l.status === "ambiguous") {
        const opts = l.candidates.filter((c) => c.ok).map((c) => `<option value="${esc(c.sheetName)}">${esc(c.sheetName)}</option>`).join("");
        return `<li><span><strong>${name}</strong> <span class="badge-missing">? hai trang giống nhau / two sheets alike</span></span>
          <span></span>
          <label class="where">Chọn trang tính / pick the sheet: <select data-choose="${esc(l.form)}"><option value="">—</option>${opts}</select></label>${progress}</li>`;
      }
      const why = l.problems[0] ? `${l.problems[0].vi} / ${l.problems[0].en}` : (l.candidates[0]?.reason ?? "");
      return `<li><span><strong>${name}</strong> <span class="badge-missing">✗ không thấy / not found</span></span><span></span>
        <span class="why">${esc(why)}</span></li>`;
    })
    .join("");
}

async function fill(only: string | null): Promise<void> {
  if (state.busy || !state.client) return;
  state.busy = true;
  // The figures as they are now (the warehouse may have moved since Connect); a form whose
  // figures did not come is not filled — the engine would otherwise clear its data cells.
  const wanted = only ? state.forms.filter((f) => f.code === only) : state.forms;
  const fresh = await Promise.allSettled(wanted.map((f) => state.client!.form(f.code, state.year)));
  fresh.forEach((r, i) => {
    if (r.status === "fulfilled") state.datas.set(wanted[i].code, r.value);
    else state.datas.delete(wanted[i].code);
  });
  const skipped = wanted.filter((f) => !state.datas.has(f.code));
  const defs = wanted.filter((f) => state.datas.has(f.code));
  const datas = defs.map((d) => state.datas.get(d.code)!);
  const generation = datas[0]?.generation ?? 0;
  if (defs.length === 0) {
    state.busy = false;
    const why = fresh.find((r) => r.status === "rejected") as PromiseRejectedResult | undefined;
    showError("Số liệu / Figures", why?.reason ?? new Error("no figures"));
    return;
  }
  for (const d of defs) {
    const p = document.getElementById(`progress-${d.code}`) as (HTMLElement & { value?: number }) | null;
    if (p) {
      p.hidden = false;
      p.value = 5;
    }
  }
  setStatus(`Đang điền… / Filling…`);
  try {
    const result = await fillWorkbook({
      year: state.year,
      generation,
      locate: (heads) =>
        locateForms(heads, defs, state.year, state.choices)
          .filter((l) => l.status === "found" && l.sheetName)
          .map((l) => ({ form: l.form, sheetName: l.sheetName! })),
      plan: (sheets) => planWorkbook(sheets, defs, datas.map((d) => ({ form: d.form, year: d.year, generation: d.generation, rows: d.rows })), state.year, state.choices),
      // Fill all also writes the chart sheet "Biểu đồ" (queries/charts/charts.json) over the filled figures
      charts: only ? undefined : chartsFor(datas.map((d) => ({ form: d.form, year: d.year, generation: d.generation, rows: d.rows })), state.year),
      onProgress: (p) => {
        const el = document.getElementById(`progress-${p.form}`) as (HTMLElement & { value?: number }) | null;
        if (el) el.value = p.phase === "read" ? 30 : p.phase === "write" ? 60 : 100;
      },
    });
    state.lineage = result.lineage;
    renderResult(result.plan, defs);
    const syncs = Object.entries(result.log.perForm).map(([f, n]) => `${f.toUpperCase()} ${n}`).join(", ");
    setStatus(
      `Đã điền ${result.plan.forms.length} phụ lục (số lần đồng bộ / syncs: ${syncs || "0"}) / Filled ${result.plan.forms.length} form(s)` +
        (skipped.length ? ` · chưa điền, không có số liệu / not filled, no figures: ${skipped.map((f) => f.code.toUpperCase()).join(", ")}` : ""),
    );
  } catch (e) {
    showError("Điền / Fill", e);
  } finally {
    state.busy = false;
  }
}

function renderResult(plan: WorkbookPlan, defs: FormDef[]): void {
  $("result").hidden = false;
  const parts: string[] = [];
  for (const fp of plan.forms) parts.push(formResultHtml(fp));
  const broken = defs.flatMap((d) => (state.datas.get(d.code)?.rules ?? []).filter((r) => !r.ok));
  if (broken.length) {
    parts.push(`<h3>Quy tắc không khớp / Rules broken (${broken.length})</h3><ul class="changes">${broken
      .map((r) => {
        const cell = cellOf(plan, r.form, r.rowKey, r.column);
        const text = `${r.form.toUpperCase()} · ${r.rowKey} · ${r.column}: ${r.expected} ≠ ${r.actual} (${r.class === "arithmetic" ? "số học / arithmetic" : "đối chiếu / reconciliation"})`;
        return `<li>${cell ? `<button class="link" data-goto="${esc(`${cell.sheet}|${cell.row}|${cell.col}`)}">${esc(text)}</button>` : esc(text)}</li>`;
      })
      .join("")}</ul>`);
  }
  const notFound = plan.problems.filter((p) => p.severity !== "info");
  if (notFound.length) {
    parts.push(`<h3>Không tìm thấy / chưa điền — Not found / not filled</h3><ul class="changes">${notFound
      .map((p) => `<li>${esc(p.place.form?.toUpperCase() ?? "")} ${esc(p.vi)} <span class="en">${esc(p.en)}</span></li>`)
      .join("")}</ul>`);
  }
  $("result-body").innerHTML = parts.join("") || `<p class="hint">Không có thay đổi / Nothing changed</p>`;
}

function formResultHtml(fp: FormPlan): string {
  const changes = fp.changes.slice(0, 500);
  const more = fp.changes.length - changes.length;
  const notes: string[] = [];
  if (fp.rowsAdded.length) notes.push(`Thêm dòng / rows added: ${fp.rowsAdded.map(esc).join("; ")}`);
  if (fp.rowsRemoved.length) notes.push(`Bỏ dòng / rows removed: ${fp.rowsRemoved.map(esc).join("; ")}`);
  if (fp.headerRewrites.length) notes.push(`Đổi năm ở ${fp.headerRewrites.length} ô tiêu đề / years rewritten in ${fp.headerRewrites.length} header cells`);
  for (const p of fp.problems) notes.push(`<span class="${p.severity === "error" ? "error" : ""}">${esc(p.code)}: ${esc(p.vi)} <span class="en">${esc(p.en)}</span></span>`);
  return `<h3>${esc(fp.form.toUpperCase())} — “${esc(fp.sheetName)}”: ${fp.changes.length} ô thay đổi / cells changed${
    fp.rowsAdded.length ? ` · +${fp.rowsAdded.length} dòng` : ""
  }${fp.rowsRemoved.length ? ` · −${fp.rowsRemoved.length} dòng` : ""}</h3>${notes.map((n) => `<p class="hint">${n}</p>`).join("")}<ul class="changes">${changes
    .map(
      (c) =>
        `<li><button class="link" data-goto="${esc(`${fp.sheetName}|${c.row}|${c.col}`)}">${esc(colName(c.col))}${c.row}</button>: <span class="old">${esc(formatFigure(c.old, ""))}</span> → <span class="new">${esc(formatFigure(c.new, ""))}</span></li>`,
    )
    .join("")}${more > 0 ? `<li class="hint">… ${more} nữa / more</li>` : ""}</ul>`;
}

const colName = (col: number): string => {
  let s = "";
  for (let n = col; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
};

/** The cell a rule is about: the plan's lineage knows where each (row key, column) went. */
function cellOf(plan: WorkbookPlan, form: string, rowKey: string, column: string): { sheet: string; row: number; col: number } | null {
  const fp = plan.forms.find((f) => f.form === form);
  const hit = fp?.lineage.find((l) => l.lineageId.endsWith(`:${rowKey}:${column}`));
  return fp && hit ? { sheet: fp.sheetName, row: hit.row, col: hit.col } : null;
}

// ---- lineage of the selected cell --------------------------------------------------------------

async function showSelectedLineage(): Promise<void> {
  if (!state.client) return;
  const body = $("lineage-body");
  let sel: { sheetName: string; ref: string } | null = null;
  try {
    sel = await selectedCell();
  } catch (e) {
    showError("Ô đang chọn / Selection", e);
    return;
  }
  if (!sel) return;
  const sheet = state.lineage?.sheets.find((s) => s.sheetName === sel!.sheetName);
  const cell = sheet?.cells.find((c) => c.ref === sel!.ref);
  if (!cell) {
    body.innerHTML = `<p class="hint">${esc(sel.sheetName)}!${esc(sel.ref)}: không phải ô phuluc đã điền / not a cell phuluc filled.</p>`;
    return;
  }
  body.innerHTML = `<p class="hint">Đang tải… / Loading…</p>`;
  try {
    const l = await state.client.lineage(cell.lineageId);
    const keys = [...new Set(l.facts.flatMap((f) => Object.keys(f)))].slice(0, 8);
    body.innerHTML = `<p><strong>${esc(sel.sheetName)}!${esc(sel.ref)}</strong> · ${esc(l.form.toUpperCase())} ${esc(l.rowKey)} ${esc(l.columnId)} · ${l.total} dữ kiện / facts</p>
      <p class="hint">Số liệu tính đến / data as of: ${esc(fmtTime(state.dataAsOf))} · điền lúc / filled at ${esc(fmtTime(state.lineage?.filledAt))} · thế hệ / generation ${l.generation}</p>
      <div class="table-wrap"><table><thead><tr>${keys.map((k) => `<th>${esc(k)}</th>`).join("")}</tr></thead><tbody>${l.facts
        .map((f) => `<tr>${keys.map((k) => `<td>${esc(typeof f[k] === "object" ? JSON.stringify(f[k]) : f[k])}</td>`).join("")}</tr>`)
        .join("")}</tbody></table></div>`;
  } catch (e) {
    body.innerHTML = `<p class="error">${esc(e instanceof PaneApiError ? `${e.code}: ${e.message}` : String(e))}</p>`;
  }
}

// ---- wiring ------------------------------------------------------------------------------------

function wire(): void {
  $("connect-form").addEventListener("submit", (ev) => {
    ev.preventDefault();
    void connect();
  });
  $("connect-btn").addEventListener("click", (ev) => {
    ev.preventDefault();
    void connect();
  });
  $("preview-form").addEventListener("change", () => showPreviewForm($<HTMLSelectElement>("preview-form").value));
  $("fill-all").addEventListener("click", () => void fill(null));
  $("rescan").addEventListener("click", () => void scanWorkbook());
  $("insert-charts").addEventListener("click", () => {
    void insertOverviewCharts(
      "Tổng quan phuluc",
      charts().map((c) => ({ title: c.title, rows: chartTable(c), chart: c.stacked ? "columnStacked" : "columnClustered" })),
    ).then(
      () => setStatus("Đã chèn biểu đồ / Charts inserted"),
      (e) => showError("Biểu đồ / Charts", e),
    );
  });
  // one listener for the lists that are re-rendered
  document.body.addEventListener("click", (ev) => {
    const t = ev.target as HTMLElement;
    const fillBtn = t.closest<HTMLElement>("[data-fill]");
    if (fillBtn) return void fill(fillBtn.dataset.fill!);
    const go = t.closest<HTMLElement>("[data-goto]");
    if (go) {
      const [sheet, row, col] = go.dataset.goto!.split("|");
      void selectCell(sheet, Number(row), Number(col)).catch((e) => showError("Chọn ô / Select", e));
    }
  });
  document.body.addEventListener("change", (ev) => {
    const t = ev.target as HTMLSelectElement;
    if (t.dataset?.choose !== undefined) {
      if (t.value) state.choices[t.dataset.choose] = t.value;
      else delete state.choices[t.dataset.choose];
      state.located = state.located.map((l) => (l.form === t.dataset.choose && t.value ? { ...l, status: "found", sheetName: t.value } : l));
      renderFormList();
    }
  });
}

async function registerSelection(): Promise<void> {
  try {
    await Excel.run(async (context) => {
      context.workbook.onSelectionChanged.add(async () => {
        await showSelectedLineage();
      });
      await context.sync();
    });
  } catch (e) {
    showError("Sự kiện chọn ô / Selection events", e);
  }
}

async function boot(): Promise<void> {
  wire();
  state.mode = await detectMode();
  document.body.dataset.mode = state.mode;
  const badge = $("mode");
  badge.textContent = state.mode === "excel" ? "Excel" : "Xem trước / Preview";
  for (const el of document.querySelectorAll<HTMLElement>(".excel-only")) if (state.mode !== "excel") el.hidden = true;
  const s = loadSettings(window.localStorage, partitionKey());
  setField("server", s.server || location.origin);
  setField("apikey", s.key);
  if (s.year) state.year = s.year;
  setField("year", String(state.year));
  if (state.mode === "excel") await registerSelection();
  if (s.key) await connect();
  else setStatus("Nhập khóa API rồi bấm Kết nối. / Enter the API key and press Connect.");
  document.body.dataset.ready = "1";
}

void boot();
