// The task pane page: the Office.onReady wiring and the DOM. Excel work is in addin/office/
// (exported functions), the binding in fill/engine/ (pure), the API calls in ./api.ts, the texts
// in ./i18n.ts (one language at a time), figures through the form's number format (./numfmt.ts).
//
// In Excel, in the order the officer works (a pane 320–450 px wide): connect and the plan year
// (the latest year the warehouse has figures for); the forms found in the open workbook and why
// the others were not; what a fill will change (read and planned, nothing written); the rules
// that do not add up; the action (fill all / fill one); the result, every changed cell a button
// that selects it in the workbook. Outside Excel the same page opens in PREVIEW mode: the forms
// from the API, each on a page of its own at full width.
//
// One request per action: the connect form's submit is the only trigger (a submit button's click
// also submits — listening to both sent every request twice), and every action is refused while
// another runs.
import type { FormDef } from "../../queries/form-schema.js";
import { locateForms, planWorkbook, type Located } from "../../fill/engine/index.js";
import type { CellChange, FormPlan, WorkbookPlan } from "../../fill/engine/types.js";
import { a1, areaAddress } from "../office/batches.js";
import {
  describeExcelError,
  fillWorkbook,
  insertOverviewCharts,
  selectRange,
  selectedCell,
  type FillResult,
} from "../office/excel.js";
import { hostSupports } from "../office/requirements.js";
import { chartsFor } from "../office/charts.js";
import type { FormData } from "../../queries/types.js";
import type { WorkbookLineage } from "../../fill/lineage-xml.js";
import { createClient, normaliseServer, PaneApiError, type Client, type FormResponse, type RunInfo } from "./api.js";
import { oneLanguage, pickLang, t, type Lang, type MessageKey } from "./i18n.js";
import { loadSettings, saveSettings, type PaneSettings } from "./settings.js";
import { budgetByYearAndSource, chartSvg, chartTable, disbursementByLevel, esc, formatFigure, formTableHtml, kindFormat } from "./view.js";
import { formatAs } from "./numfmt.js";
import { isPlanYear } from "../../core/plan-year.js";

type Mode = "excel" | "preview";

interface State {
  mode: Mode;
  lang: Lang;
  client: Client | null;
  year: number | null;
  /** the years the warehouse has figures for (GET /api/years) */
  years: number[];
  generation: number | null;
  forms: FormDef[];
  datas: Map<string, FormResponse>;
  located: Located[];
  choices: Record<string, string>;
  /** what a fill would change (read and planned, nothing written) */
  dry: WorkbookPlan | null;
  /** the last fill */
  result: { fill: FillResult; defs: FormDef[]; skipped: string[] } | null;
  lineage: WorkbookLineage | null;
  dataAsOf: string | null;
  busy: boolean;
  runsLoaded: boolean;
  lastError: { where: MessageKey; e: unknown } | null;
}

const state: State = {
  mode: "preview",
  lang: "vi",
  client: null,
  year: null,
  years: [],
  generation: null,
  forms: [],
  datas: new Map(),
  located: [],
  choices: {},
  dry: null,
  result: null,
  lineage: null,
  dataAsOf: null,
  busy: false,
  runsLoaded: false,
  lastError: null,
};

const $ = <T extends HTMLElement = HTMLElement>(id: string): T => document.getElementById(id) as T;
const L = (key: MessageKey, params?: Record<string, string | number>) => t(state.lang, key, params);
const fieldValue = (id: string): string => $<HTMLInputElement>(id).value.trim();

function setStatus(text: string, error = false): void {
  const el = $("status");
  el.textContent = text;
  el.classList.toggle("error", error);
}

function showError(where: MessageKey, e: unknown): void {
  state.lastError = { where, e };
  if (e instanceof PaneApiError) {
    setStatus(`${L(where)}: ${e.code} — ${oneLanguage(e.message, state.lang)}`, true);
    return;
  }
  const d = describeExcelError(e);
  setStatus(`${L(where)}: ${d.code} — ${d.message}`, true);
  if (state.mode === "excel" && d.debugInfo) {
    $("result").hidden = false;
    $("result-body").insertAdjacentHTML(
      "afterbegin",
      `<p class="error">${esc(L("excelError"))} <strong>${esc(d.code)}</strong>: ${esc(d.message)}</p><pre class="debug">debugInfo: ${esc(d.debugInfo)}</pre>`,
    );
  }
}

const officeContext = (): typeof Office.context | null => {
  try {
    return typeof Office !== "undefined" ? (Office.context ?? null) : null;
  } catch {
    return null;
  }
};
const partitionKey = (): string | null => officeContext()?.partitionKey ?? null;

function currentSettings(): PaneSettings {
  return loadSettings(window.localStorage, partitionKey());
}

function remember(patch: Partial<PaneSettings>): void {
  saveSettings(window.localStorage, { ...currentSettings(), ...patch }, partitionKey());
}

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

const fmtTime = (iso: string | null | undefined): string => {
  if (!iso) return "?";
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString(state.lang === "vi" ? "vi-VN" : "en-GB", { timeZone: "Asia/Ho_Chi_Minh" });
};

const formName = (code: string): string => {
  const def = state.forms.find((f) => f.code === code);
  return `PL${def?.number ?? code.replace(/^pl/i, "")}`;
};

/** "PL02", or "PL02 · Biểu 2 (2)" when the sheet has a name of its own. */
const formOnSheet = (code: string, sheet: string | null | undefined): string =>
  !sheet || sheet === formName(code) ? formName(code) : `${formName(code)} · ${sheet}`;

// ---- language ----------------------------------------------------------------------------------

/** Static texts (data-i18n) in the pane's language; dynamic parts are re-rendered. */
function applyLanguage(): void {
  document.documentElement.lang = state.lang;
  for (const el of document.querySelectorAll<HTMLElement>("[data-i18n]")) el.textContent = L(el.dataset.i18n as MessageKey);
  for (const el of document.querySelectorAll<HTMLElement>("[data-i18n-title]")) el.title = L(el.dataset.i18nTitle as MessageKey);
  for (const el of document.querySelectorAll<HTMLElement>("[data-i18n-aria]")) el.setAttribute("aria-label", L(el.dataset.i18nAria as MessageKey));
  // the switch names the other language, in that language
  $("lang").lang = state.lang === "vi" ? "en" : "vi";
  $("mode").textContent = L(state.mode === "excel" ? "modeExcel" : "modePreview");
}

function switchLanguage(): void {
  state.lang = state.lang === "vi" ? "en" : "vi";
  remember({ lang: state.lang });
  applyLanguage();
  renderAll();
}

function renderAll(): void {
  renderYear();
  if (state.client && state.forms.length) renderConnected();
  if (state.mode === "excel") {
    if (state.located.length) renderExcel();
    if (state.result) renderResult();
  } else if (state.forms.length) renderPreview();
  if (!$("more").hidden) renderCharts();
  if (state.runsLoaded) void renderRuns();
  if (state.lastError) showError(state.lastError.where, state.lastError.e);
}

// ---- connect, year, figures --------------------------------------------------------------------

async function connect(): Promise<void> {
  if (state.busy) return;
  state.busy = true;
  state.lastError = null;
  const serverText = fieldValue("server");
  const key = fieldValue("apikey");
  remember({ server: serverText, key });
  state.client = createClient(normaliseServer(serverText, location.origin), key);
  state.runsLoaded = false;
  setStatus(L("connecting"));
  try {
    const [health, forms, years] = await Promise.all([state.client.health(), state.client.forms(), state.client.years()]);
    state.forms = forms;
    state.years = years;
    state.generation = health.generation;
    state.dataAsOf = health.dataAsOf;
    const typed = Number(fieldValue("year"));
    // the officer's year if given, else the latest year with figures (never the clock's)
    state.year = isPlanYear(typed) ? typed : (years.length ? years[years.length - 1] : null);
    renderYear();
    if (state.year === null) {
      setStatus(L("yearsNone"), true);
      return;
    }
    await loadFigures();
    $<HTMLDetailsElement>("connect-box").open = false;
  } catch (e) {
    showError("errConnect", e);
  } finally {
    state.busy = false;
  }
  if (state.client && state.year !== null && state.forms.length && !state.lastError) await afterFigures();
}

/** The figures of every form for the plan year: one request per form. */
async function loadFigures(): Promise<void> {
  const year = state.year!;
  state.datas.clear();
  const results = await Promise.allSettled(state.forms.map((f) => state.client!.form(f.code, year)));
  results.forEach((r, i) => {
    if (r.status === "fulfilled") state.datas.set(state.forms[i].code, r.value);
  });
  const any = [...state.datas.values()][0];
  if (any) {
    state.generation = any.generation;
    state.dataAsOf = any.dataAsOf ?? state.dataAsOf;
  }
  renderConnected();
  const failed = results.find((r) => r.status === "rejected") as PromiseRejectedResult | undefined;
  if (failed) showError("errFigures", failed.reason);
}

async function afterFigures(): Promise<void> {
  $("more").hidden = false;
  renderCharts();
  if (state.mode === "preview") renderPreview();
  else await scanWorkbook();
}

/** The officer changed the plan year: its figures, and (in Excel) the plan again. */
async function changeYear(): Promise<void> {
  const y = Number(fieldValue("year"));
  if (!isPlanYear(y) || y === state.year) return;
  if (state.busy) {
    // a read or a fill is running for the year shown: keep it (the figures are that year's)
    if (state.year !== null) $<HTMLInputElement>("year").value = String(state.year);
    return;
  }
  state.year = y;
  remember({ year: y });
  renderYear();
  if (!state.client) return;
  state.busy = true;
  state.lastError = null;
  state.result = null;
  $("result").hidden = true;
  try {
    await loadFigures();
  } finally {
    state.busy = false;
  }
  await afterFigures();
}

const hasFigures = (): boolean => state.year !== null && state.years.includes(state.year);

function renderYear(): void {
  const input = $<HTMLInputElement>("year");
  if (state.year !== null && document.activeElement !== input) input.value = String(state.year);
  $("years").innerHTML = state.years.map((y) => `<option value="${y}"></option>`).join("");
  $("years-hint").textContent = state.client ? (state.years.length ? L("yearsHave", { years: state.years.join(", ") }) : L("yearsNone")) : "";
  const warn = $("year-warning");
  const latest = state.years.length ? state.years[state.years.length - 1] : undefined;
  warn.hidden = !state.client || state.year === null || hasFigures();
  warn.textContent = warn.hidden ? "" : latest !== undefined ? L("yearNoFigures", { year: state.year!, latest }) : L("yearNoFiguresNoLatest", { year: state.year! });
  updateFillButtons();
}

function renderConnected(): void {
  $("connect-summary").textContent = state.year !== null ? `· ${state.year}` : "";
  setStatus(L("connected", { year: state.year ?? "?", asOf: fmtTime(state.dataAsOf), generation: state.generation ?? "?" }));
}

// ---- Excel: forms found, what a fill will change -----------------------------------------------

/** The forms that have figures for the plan year (a form without is never filled: it would be blanked). */
const formsWithData = (): FormDef[] => state.forms.filter((f) => state.datas.has(f.code));

/** The figures of these forms as the engine takes them. */
const formDatas = (defs: FormDef[]): FormData[] =>
  defs.map((d) => state.datas.get(d.code)!).map((d) => ({ form: d.form, year: d.year, generation: d.generation, rows: d.rows }));

const planArgs = (defs: FormDef[]) => ({
  year: state.year!,
  generation: [...state.datas.values()][0]?.generation ?? 0,
  plan: (sheets: Parameters<typeof planWorkbook>[0]) => planWorkbook(sheets, defs, formDatas(defs), state.year!, state.choices),
});

/** Read the workbook and plan a fill of every form found, writing nothing. */
async function scanWorkbook(): Promise<void> {
  if (state.busy || state.year === null) return;
  state.busy = true;
  for (const id of ["excel-forms", "lineage"]) $(id).hidden = false;
  setStatus(L("scanning"));
  try {
    const defs = formsWithData();
    let located: Located[] = [];
    const fill = await fillWorkbook({
      ...planArgs(defs),
      dryRun: true,
      supports: hostSupports(),
      locate: (heads) => {
        located = locateForms(heads, state.forms, state.year!, state.choices);
        return located
          .filter((l) => l.status === "found" && l.sheetName && state.datas.has(l.form))
          .map((l) => ({ form: l.form, sheetName: l.sheetName! }));
      },
    });
    state.located = located;
    state.dry = fill.plan;
    state.lineage = fill.lineage.sheets.length ? fill.lineage : null;
    renderConnected();
  } catch (e) {
    showError("errRead", e);
  } finally {
    state.busy = false;
  }
  renderExcel();
}

function renderExcel(): void {
  for (const id of ["excel-forms", "changes", "rules", "action", "lineage"]) $(id).hidden = false;
  renderFormList();
  renderChanges();
  renderRules();
  renderActions();
}

function renderFormList(): void {
  const found = state.located.filter((l) => l.status === "found").length;
  $("forms-count").textContent = `(${found}/${state.located.length})`;
  $("form-list").innerHTML = state.located
    .map((l) => {
      const name = esc(formName(l.form));
      if (l.status === "found") {
        const notes = [L("onSheet", { sheet: l.sheetName ?? "" })];
        if (l.templateYear && l.templateYear !== state.year) notes.push(L("yearsRewritten", { from: l.templateYear }));
        if (l.missingColumns.length) notes.push(L("missingColumns", { cols: l.missingColumns.join(", ") }));
        return `<li data-form="${esc(l.form)}"><span class="line"><span class="name">${name}</span><span class="badge-found">✓ ${esc(L("found"))}</span></span><span class="where">${esc(notes.join(" · "))}</span></li>`;
      }
      if (l.status === "ambiguous") {
        const opts = l.candidates.filter((c) => c.ok).map((c) => `<option value="${esc(c.sheetName)}">${esc(c.sheetName)}</option>`).join("");
        const id = `choose-${esc(l.form)}`;
        return `<li data-form="${esc(l.form)}"><span class="line"><span class="name">${name}</span><span class="badge-missing">? ${esc(L("ambiguous"))}</span></span>
          <label for="${id}">${esc(L("pickSheet", { form: formName(l.form) }))}</label><select id="${id}" data-choose="${esc(l.form)}"><option value="">—</option>${opts}</select></li>`;
      }
      const p = l.problems[0];
      const c0 = l.candidates[0];
      const why = p ? p[state.lang] : c0 ? (state.lang === "vi" ? c0.reasonVi : c0.reason) : "";
      return `<li data-form="${esc(l.form)}"><span class="line"><span class="name">${name}</span><span class="badge-missing">✗ ${esc(L("notFound"))}</span></span><span class="why">${esc(why)}</span></li>`;
    })
    .join("");
  ($("rescan") as HTMLButtonElement).disabled = false;
}

/** The number format a change is shown with: its column's kind in the form's layout. */
function changeText(fp: FormPlan, c: CellChange, columnOf: Map<number, string>): { old: string; new: string } {
  const def = state.forms.find((f) => f.code === fp.form);
  const colId = columnOf.get(c.col);
  const kind = def?.columns.find((k) => k.id === colId)?.kind ?? "money";
  const fmt = kind === "text" ? "@" : kindFormat(def, kind);
  return { old: formatAs(c.old, fmt, state.lang), new: formatAs(c.new, fmt, state.lang) };
}

/** sheet column → the form's column id, from where the plan's located header put each column. */
function columnsOf(plan: WorkbookPlan, form: string): Map<number, string> {
  const loc = (plan as WorkbookPlan & { located?: Located[] }).located?.find((l) => l.form === form);
  const out = new Map<number, string>();
  for (const [id, col] of Object.entries(loc?.columns ?? {})) out.set(col, id);
  return out;
}

function cellList(fp: FormPlan, plan: WorkbookPlan, limit = 300): string {
  const cols = columnsOf(plan, fp.form);
  const shown = fp.changes.slice(0, limit);
  const more = fp.changes.length - shown.length;
  return `<ul class="changes">${shown
    .map((c) => {
      const ref = `${colName(c.col)}${c.row}`;
      const v = changeText(fp, c, cols);
      return `<li><button type="button" class="link" data-goto="${esc(`${fp.sheetName}|${ref}`)}" aria-label="${esc(L("goTo", { ref: `${fp.sheetName}!${ref}` }))}">${esc(ref)}</button>: <span class="old">${esc(v.old || L("blank"))}</span> → <span class="new">${esc(v.new || L("blank"))}</span></li>`;
    })
    .join("")}${more > 0 ? `<li class="hint">${esc(L("moreChanges", { n: more }))}</li>` : ""}</ul>`;
}

function formSummary(fp: FormPlan): string {
  const ins = fp.rowOps.filter((o) => o.op === "insert").reduce((n, o) => n + o.count, 0);
  const del = fp.rowOps.filter((o) => o.op === "delete").reduce((n, o) => n + o.count, 0);
  const bits = [L("changesForm", { cells: fp.changes.length })];
  if (ins) bits.push(L("rowsPlus", { n: ins }));
  if (del) bits.push(L("rowsMinus", { n: del }));
  return bits.join(" · ");
}

function renderChanges(): void {
  const plan = state.dry;
  const body = $("changes-body");
  if (!plan) {
    body.innerHTML = "";
    return;
  }
  const pending = plan.forms.filter((fp) => fp.changes.length || fp.rowOps.length || fp.headerRewrites.length);
  const noData = state.located.filter((l) => l.status === "found" && !state.datas.has(l.form));
  const parts = pending.map((fp) => {
    const notes: string[] = [];
    if (fp.rowsAdded.length) notes.push(L("rowsAdded", { rows: fp.rowsAdded.join("; ") }));
    if (fp.rowsRemoved.length) notes.push(L("rowsRemoved", { rows: fp.rowsRemoved.join("; ") }));
    if (fp.headerRewrites.length) notes.push(L("headerYears", { n: fp.headerRewrites.length }));
    for (const p of fp.problems) notes.push(`${p.code}: ${p[state.lang]}`);
    return `<div class="form-result" data-form="${esc(fp.form)}"><h3>${esc(formOnSheet(fp.form, fp.sheetName))}: ${esc(formSummary(fp))}</h3>${notes
      .map((n) => `<p class="hint">${esc(n)}</p>`)
      .join("")}${fp.changes.length ? `<details class="cells"><summary>${esc(L("showCells"))}</summary>${cellList(fp, plan)}</details>` : ""}</div>`;
  });
  for (const l of noData) parts.push(`<p class="hint">${esc(formName(l.form))}: ${esc(L("noFiguresForm"))}</p>`);
  body.innerHTML = parts.join("") || `<p class="hint">${esc(L("changesNone"))}</p>`;
}

function renderRules(): void {
  const broken = formsWithData().flatMap((d) => (state.datas.get(d.code)?.rules ?? []).filter((r) => !r.ok));
  $("rules-count").textContent = `(${broken.length})`;
  const plan = state.result?.fill.plan ?? state.dry;
  $("rules-body").innerHTML = broken.length
    ? `<ul class="changes">${broken
        .map((r) => {
          const cell = plan ? cellOf(plan, r.form, r.rowKey, r.column) : null;
          const kind = L(r.class === "arithmetic" ? "ruleArithmetic" : "ruleReconciliation");
          const def = state.forms.find((f) => f.code === r.form);
          const col = def?.columns.find((c) => c.id === r.column);
          const fmt = (v: string) => formatFigure(Number(v), col?.kind ?? "money", state.lang, def);
          const text = `${formName(r.form)} · ${r.rowKey} · ${r.column}: ${fmt(r.expected)} ≠ ${fmt(r.actual)} (${kind})`;
          const why = r.problem ? `<span class="rule-why">${esc(r.problem[state.lang])}</span>` : "";
          return `<li>${cell ? `<button type="button" class="link" data-goto="${esc(`${cell.sheet}|${colName(cell.col)}${cell.row}`)}">${esc(text)}</button>` : esc(text)}${why}</li>`;
        })
        .join("")}</ul>`
    : `<p class="hint">${esc(L("rulesNone"))}</p>`;
}

function fillable(): Located[] {
  return state.located.filter((l) => l.status === "found" && state.datas.has(l.form));
}

function renderActions(): void {
  const sel = $<HTMLSelectElement>("fill-one-form");
  const keep = sel.value;
  sel.innerHTML = fillable()
    .map((l) => `<option value="${esc(l.form)}"${l.form === keep ? " selected" : ""}>${esc(formOnSheet(l.form, l.sheetName))}</option>`)
    .join("");
  updateFillButtons();
}

function updateFillButtons(): void {
  const off = state.busy || !state.client || !hasFigures() || fillable().length === 0;
  ($("fill-all") as HTMLButtonElement).disabled = off;
  ($("fill-one") as HTMLButtonElement).disabled = off;
}

// ---- Excel: fill, result -----------------------------------------------------------------------

async function fill(only: string | null): Promise<void> {
  if (state.busy || !state.client || state.year === null || !hasFigures()) return;
  state.busy = true;
  state.lastError = null;
  updateFillButtons();
  setStatus(L("filling"));
  try {
    // One request: has the warehouse moved since the figures came? Only then fetch them again.
    const health = await state.client.health();
    let moved = false;
    if (health.generation !== null && health.generation !== state.generation) {
      await loadFigures();
      moved = true;
    }
    const wanted = only ? state.forms.filter((f) => f.code === only) : state.forms;
    const defs = wanted.filter((f) => state.datas.has(f.code));
    const skipped = wanted.filter((f) => !state.datas.has(f.code)).map((f) => formName(f.code));
    if (defs.length === 0) throw new PaneApiError("NO_FIGURES", `${L("noFigures")} / ${t("en", "noFigures")}`, 0);
    const result = await fillWorkbook({
      ...planArgs(defs),
      // Fill all also writes the chart sheet "Biểu đồ" (queries/charts/charts.json), as `fill
      // --charts` does headless; filling one form leaves the charts as they are.
      charts: only ? undefined : chartsFor(formDatas(defs), state.year!),
      supports: hostSupports(),
      locate: (heads) =>
        locateForms(heads, defs, state.year!, state.choices)
          .filter((l) => l.status === "found" && l.sheetName)
          .map((l) => ({ form: l.form, sheetName: l.sheetName! })),
    });
    state.lineage = result.lineage;
    state.result = { fill: result, defs, skipped };
    // what is filled no longer waits in "a fill will change"
    if (state.dry) state.dry = { ...state.dry, forms: state.dry.forms.filter((fp) => !result.plan.forms.some((r) => r.form === fp.form)) };
    renderChanges();
    renderRules();
    renderResult();
    setStatus(L("filled", { n: result.plan.forms.length }) + (moved ? ` ${L("figuresMoved")}` : ""));
  } catch (e) {
    showError("errFill", e);
  } finally {
    state.busy = false;
    updateFillButtons();
  }
}

function renderResult(): void {
  const r = state.result;
  if (!r) return;
  const { plan, log } = r.fill;
  $("result").hidden = false;
  $("result").dataset.syncs = JSON.stringify(log.perForm);
  const parts: string[] = [`<p>${esc(L("filled", { n: plan.forms.length }))}</p>`];
  for (const fp of plan.forms) {
    const range = changedRange(fp);
    parts.push(
      `<div class="form-result" data-form="${esc(fp.form)}"><h3>${esc(formOnSheet(fp.form, fp.sheetName))}: ${esc(L("changedCells", { n: fp.changes.length }))}</h3>${
        range ? `<button type="button" class="link" data-goto="${esc(`${fp.sheetName}|${range}`)}">${esc(L("selectAll"))} (${esc(range)})</button>` : ""
      }${fp.changes.length ? `<details class="cells"><summary>${esc(L("showCells"))}</summary>${cellList(fp, plan)}</details>` : ""}</div>`,
    );
  }
  if (r.skipped.length) parts.push(`<p class="hint">${esc(L("notFilledNoFigures", { forms: r.skipped.join(", ") }))}</p>`);
  const notFound = plan.problems.filter((p) => p.severity !== "info");
  if (notFound.length) {
    parts.push(`<h3>${esc(L("notFilled"))}</h3><ul class="changes">${notFound.map((p) => `<li>${esc(p[state.lang])}</li>`).join("")}</ul>`);
  }
  // the chart sheet's syncs are logged under "charts": named by its sheet, not as a form
  const syncs = Object.entries(log.perForm).map(([f, n]) => `${f === "charts" && r.fill.charts ? r.fill.charts.sheetName : formName(f)} ${n}`).join(", ");
  parts.push(`<p class="hint">${esc(L("syncs", { list: syncs || "0" }))}</p>`);
  $("result-body").innerHTML = parts.join("");
}

/** The rectangle holding every changed cell of a form ("B7:H30"), to select in one go. */
function changedRange(fp: FormPlan): string | null {
  const cells = [...fp.changes.map((c) => [c.row, c.col]), ...fp.lineage.map((c) => [c.row, c.col])];
  if (!cells.length) return null;
  const top = Math.min(...cells.map((c) => c[0]));
  const left = Math.min(...cells.map((c) => c[1]));
  const bottom = Math.max(...cells.map((c) => c[0]));
  const right = Math.max(...cells.map((c) => c[1]));
  return top === bottom && left === right ? a1(top, left) : areaAddress(top, left, bottom - top + 1, right - left + 1);
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
    showError("errSelection", e);
    return;
  }
  if (!sel) return;
  const sheet = state.lineage?.sheets.find((s) => s.sheetName === sel!.sheetName);
  const cell = sheet?.cells.find((c) => c.ref === sel!.ref);
  if (!cell) {
    body.innerHTML = `<p class="hint">${esc(L("notPhulucCell", { ref: `${sel.sheetName}!${sel.ref}` }))}</p>`;
    return;
  }
  body.innerHTML = `<p class="hint">${esc(L("loading"))}</p>`;
  try {
    const l = await state.client.lineage(cell.lineageId);
    const keys = [...new Set(l.facts.flatMap((f) => Object.keys(f)))].slice(0, 8);
    body.innerHTML = `<p><strong>${esc(sel.sheetName)}!${esc(sel.ref)}</strong> · ${esc(formName(l.form))} ${esc(l.rowKey)} ${esc(l.columnId)} · ${esc(L("facts", { n: l.total }))}</p>
      <p class="hint">${esc(L("lineageMeta", { asOf: fmtTime(state.dataAsOf), filledAt: fmtTime(state.lineage?.filledAt), generation: l.generation }))}</p>
      <div class="table-wrap" tabindex="0" role="region" aria-label="${esc(`${sel.sheetName}!${sel.ref}`)}"><table><thead><tr>${keys.map((k) => `<th>${esc(k)}</th>`).join("")}</tr></thead><tbody>${l.facts
        .map((f) => `<tr>${keys.map((k) => `<td>${esc(typeof f[k] === "object" ? JSON.stringify(f[k]) : f[k])}</td>`).join("")}</tr>`)
        .join("")}</tbody></table></div>`;
  } catch (e) {
    body.innerHTML = `<p class="error">${esc(e instanceof PaneApiError ? `${e.code}: ${oneLanguage(e.message, state.lang)}` : String(e))}</p>`;
  }
}

// ---- preview: the forms, each on a page of its own ---------------------------------------------

const formTitle = (f: FormDef): string => f.title.replace(/\{N(?:-(\d))?\}/g, (_m, k) => String((state.year ?? 0) - Number(k ?? 0)));

function renderPreview(): void {
  const code = /^#form=([\w-]+)$/.exec(location.hash)?.[1] ?? null;
  const def = code ? state.forms.find((f) => f.code === code) : undefined;
  document.body.dataset.page = def ? "form" : "list";
  $("preview").hidden = !!def;
  $("form-page").hidden = !def;
  if (def) {
    const data = state.datas.get(def.code);
    $("form-page-title").textContent = formName(def.code);
    // the scroll box is a region of its own: named after the whole title, not the section's
    $("preview-table").setAttribute("aria-label", `${formName(def.code)} — ${formTitle(def)}`);
    $("preview-table").innerHTML = data ? formTableHtml(def, data, state.lang) : `<p class="hint">${esc(L("noFigures"))}</p>`;
    return;
  }
  $("preview-list").innerHTML = state.forms
    .map((f) => {
      const data = state.datas.get(f.code);
      const rows = data ? L("previewRows", { n: data.rows.length }) : L("noFigures");
      return `<li><span class="line"><span class="name">${esc(formName(f.code))}</span><a href="#form=${esc(f.code)}" aria-label="${esc(L("openFormLabel", { form: formName(f.code) }))}">${esc(L("openForm"))}</a></span><span class="where">${esc(formTitle(f))} · ${esc(rows)}</span></li>`;
    })
    .join("");
}

// ---- charts and runs ---------------------------------------------------------------------------

function charts() {
  return [budgetByYearAndSource(state.datas.get("pl01"), state.datas.get("pl02"), state.year ?? 0), disbursementByLevel(state.datas.get("pl01"), state.year ?? 0)];
}

function renderCharts(): void {
  $("charts").innerHTML = charts()
    .map((c) => `<figure class="chart"><h4>${esc(oneLanguage(c.title, state.lang))} <span class="hint">${esc(c.unit)}</span></h4>${chartSvg(c)}</figure>`)
    .join("");
  $("insert-charts").hidden = state.mode !== "excel";
}

async function renderRuns(): Promise<void> {
  if (!state.client) return;
  let runs: RunInfo[] = [];
  try {
    runs = await state.client.runs();
    state.runsLoaded = true;
  } catch (e) {
    showError("errHistory", e);
    return;
  }
  $("runs-body").innerHTML = runs.length
    ? `<table><thead><tr><th>#</th><th>${esc(L("runFinished"))}</th><th>${esc(L("runOutcome"))}</th><th>${esc(L("runFiles"))}</th><th>${esc(L("runRows"))}</th></tr></thead><tbody>${runs
        .slice(0, 20)
        .map(
          (r) =>
            `<tr><td class="num">${r.runId}</td><td>${esc(fmtTime(r.finishedAt))}</td><td>${esc(r.outcome)}</td><td class="num">${r.filesLoaded}/${r.filesRead}</td><td class="num">${esc(formatFigure(r.rowsLoaded, "count", state.lang))}</td></tr>`,
        )
        .join("")}</tbody></table>`
    : `<p class="hint">${esc(L("noRuns"))}</p>`;
}

// ---- wiring ------------------------------------------------------------------------------------

function wire(): void {
  // the form's submit only: the submit button's click also submits
  $("connect-form").addEventListener("submit", (ev) => {
    ev.preventDefault();
    void connect();
  });
  $("year").addEventListener("change", () => void changeYear());
  $("lang").addEventListener("click", () => switchLanguage());
  $("fill-all").addEventListener("click", () => void fill(null));
  $("fill-one").addEventListener("click", () => {
    const code = $<HTMLSelectElement>("fill-one-form").value;
    if (code) void fill(code);
  });
  $("rescan").addEventListener("click", () => void scanWorkbook());
  window.addEventListener("hashchange", () => {
    if (state.mode === "preview" && state.forms.length) renderPreview();
  });
  $("more").querySelector("details")!.addEventListener("toggle", (ev) => {
    if ((ev.target as HTMLDetailsElement).open && !state.runsLoaded) void renderRuns();
  });
  $("insert-charts").addEventListener("click", () => {
    void insertOverviewCharts(
      "Tổng quan phuluc",
      charts().map((c) => ({ title: c.title, rows: chartTable(c), chart: c.stacked ? "columnStacked" : "columnClustered" })),
    ).then(
      () => setStatus(L("chartsInserted")),
      (e) => showError("errCharts", e),
    );
  });
  // one listener for the lists that are re-rendered
  document.body.addEventListener("click", (ev) => {
    const go = (ev.target as HTMLElement).closest<HTMLElement>("[data-goto]");
    if (go) {
      const [sheet, address] = go.dataset.goto!.split("|");
      void selectRange(sheet, address).catch((e) => showError("errSelect", e));
    }
  });
  document.body.addEventListener("change", (ev) => {
    const sel = ev.target as HTMLSelectElement;
    const form = sel.dataset?.choose;
    if (form === undefined) return;
    if (sel.value) state.choices[form] = sel.value;
    else delete state.choices[form];
    void scanWorkbook();
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
    showError("errEvents", e);
  }
}

async function boot(): Promise<void> {
  wire();
  state.mode = await detectMode();
  document.body.dataset.mode = state.mode;
  const s = currentSettings();
  state.lang = pickLang(s.lang, state.mode === "excel" ? officeContext()?.displayLanguage : null);
  for (const el of document.querySelectorAll<HTMLElement>(".excel-only")) if (state.mode !== "excel") el.hidden = true;
  applyLanguage();
  $<HTMLInputElement>("server").value = s.server || location.origin;
  $<HTMLInputElement>("apikey").value = s.key;
  if (s.year) $<HTMLInputElement>("year").value = String(s.year);
  if (state.mode === "excel") await registerSelection();
  if (s.key) await connect();
  else setStatus(L("enterKey"));
  document.body.dataset.ready = "1";
}

void boot();
