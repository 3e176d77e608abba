// Pure view helpers of the pane: HTML for the preview tables, the two "plan at a glance" charts
// as SVG, and the same figures as tables for native Excel charts. Strings in, strings out
// (escaped), so that they are tested without a browser and shared by Excel and preview modes.
import type { FormDef } from "../../queries/form-schema.js";
import type { FormRow } from "../../queries/types.js";
import { withYear } from "../../fill/engine/match.js";
import type { FormResponse } from "./api.js";
import { t, type Lang } from "./i18n.js";
import { formatAs } from "./numfmt.js";

export const esc = (s: unknown): string =>
  String(s ?? "")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");

const NUM = new Intl.NumberFormat("vi-VN", { maximumFractionDigits: 3 });

/** The number formats a form's figures are written with (queries/form-schema.ts layout defaults). */
export const DEFAULT_FORMATS: Record<string, string> = { money: "#,##0", count: "#,##0", ratio: "0.0" };

/** The number format of a column kind in a form (its layout's, else the defaults). */
export function kindFormat(def: Pick<FormDef, "layout"> | undefined, kind: string): string {
  const own = (def?.layout?.numberFormats as Record<string, string> | undefined)?.[kind];
  return own ?? DEFAULT_FORMATS[kind] ?? "General";
}

/**
 * A figure as the form's number format shows it in the workbook: money "#,##0" → 39.651 (not
 * 39.651,195), ratios "0.0" → 34,2; Vietnamese separators unless the pane is in English.
 */
export function formatFigure(v: unknown, kind: string, lang: Lang = "vi", def?: Pick<FormDef, "layout">): string {
  return formatAs(v, kind === "text" ? "@" : kindFormat(def, kind), lang);
}

function rowLabel(def: FormDef, row: FormRow): string {
  const fixed = def.rows?.find((r) => r.key === row.rowKey);
  if (fixed) return `${fixed.numbering ? fixed.numbering + " " : ""}${fixed.label}`;
  const v = row.values[def.list?.labelColumn ?? "label"] ?? row.values.label ?? row.values.title;
  return typeof v === "string" ? v : row.rowKey;
}

/** The form as an HTML table (preview mode): the form's own headers with the year put in. */
export function formTableHtml(def: FormDef, data: FormResponse, lang: Lang = "vi"): string {
  const year = data.year;
  const cols = def.columns.filter((c) => c.id !== "note");
  const labelCol = def.list?.labelColumn ?? "label";
  const hasGroups = cols.some((c) => c.group);
  const head1: string[] = [];
  const head2: string[] = [];
  for (let i = 0; i < cols.length; i++) {
    const c = cols[i];
    if (!hasGroups || !c.group) {
      head1.push(`<th scope="col"${hasGroups ? ' rowspan="2"' : ""}>${esc(withYear(c.header, year))}</th>`);
      continue;
    }
    let span = 1;
    while (i + span < cols.length && cols[i + span].group === c.group) span++;
    head1.push(`<th scope="colgroup" colspan="${span}">${esc(withYear(c.group, year))}</th>`);
    for (let k = 0; k < span; k++) head2.push(`<th scope="col">${esc(withYear(cols[i + k].header, year))}</th>`);
    i += span - 1;
  }
  const rows = [...data.rows].sort((a, b) => a.sort - b.sort);
  const body = rows
    .map((r) => {
      const cls = r.kind === "data" ? "" : ` class="row-${esc(r.kind)}"`;
      const tds = cols
        .map((c) => {
          const v = c.id === labelCol ? rowLabel(def, r) : r.values[c.id];
          const num = c.kind !== "text";
          return `<td${num ? ' class="num"' : c.id === labelCol ? ' class="label"' : ""}>${esc(formatFigure(v, c.kind, lang, def))}</td>`;
        })
        .join("");
      return `<tr${cls} data-row="${esc(r.rowKey)}">${tds}</tr>`;
    })
    .join("\n");
  const title = withYear(def.title, year);
  return [
    `<table class="form-table" aria-label="${esc(`PL${def.number}: ${title}`)}">`,
    `<caption><strong>${esc(t(lang, "appendix", { n: def.number }))}</strong> — ${esc(title)}${def.unitLine ? ` <span class="unit">(${esc(def.unitLine.replace(/^\(|\)$/g, ""))})</span>` : ""}</caption>`,
    `<thead><tr>${head1.join("")}</tr>${head2.length ? `<tr>${head2.join("")}</tr>` : ""}</thead>`,
    `<tbody>${body || `<tr><td colspan="${cols.length}">${esc(t(lang, "noFigures"))}</td></tr>`}</tbody>`,
    "</table>",
  ].join("\n");
}

// ---- charts ------------------------------------------------------------------------------------

export interface ChartData {
  title: string;
  unit: string;
  categories: string[];
  series: { name: string; values: (number | null)[] }[];
  stacked: boolean;
}

const num = (v: unknown): number | null => (typeof v === "number" && Number.isFinite(v) ? v : null);
const rowOf = (d: FormResponse | undefined, key: string) => d?.rows.find((r) => r.rowKey === key);

/**
 * Budget by year and source: N-2 and N-1 from PL01 (state budget, NSTW + NSĐP together, as the
 * form reports them), N from PL02 by source.
 */
export function budgetByYearAndSource(pl01: FormResponse | undefined, pl02: FormResponse | undefined, year: number): ChartData {
  const r1 = rowOf(pl01, "01")?.values ?? {};
  const r2 = rowOf(pl02, "01")?.values ?? {};
  return {
    title: "Dự toán chi KH&CN theo năm và nguồn / Budget by year and source",
    unit: "triệu đồng",
    categories: [`DT ${year - 2}`, `DT ${year - 1}`, `Ước ${year - 1}`, `DT ${year}`],
    series: [
      { name: "NSNN (NSTW+NSĐP)", values: [num(r1.c1), num(r1.c3), num(r1.c6), null] },
      { name: "NSTW", values: [null, null, null, num(r2.c2)] },
      { name: "NSĐP", values: [null, null, null, num(r2.c3)] },
      { name: "Ngoài NSNN", values: [null, null, null, num(r2.c4)] },
      { name: "Nước ngoài", values: [null, null, null, num(r2.c5)] },
    ],
    stacked: true,
  };
}

/** Disbursement rate by task level (PL01 rows 09–13): first half and expected outturn over the budget of N-1. */
export function disbursementByLevel(pl01: FormResponse | undefined, year: number): ChartData {
  const levels: [string, string][] = [
    ["09", "Quốc gia"],
    ["10", "Bộ"],
    ["11", "Tỉnh"],
    ["12", "Cơ sở, huyện"],
    ["13", "Khác"],
  ];
  const rate = (key: string, col: string): number | null => {
    const v = rowOf(pl01, key)?.values ?? {};
    const budget = num(v.c3);
    const done = num(v[col]);
    return budget && done !== null ? Math.round((done / budget) * 1000) / 10 : null;
  };
  return {
    title: `Tỷ lệ giải ngân ${year - 1} theo cấp nhiệm vụ / Disbursement rate by task level`,
    unit: "%",
    categories: levels.map(([, l]) => l),
    series: [
      { name: "6 tháng / first half", values: levels.map(([k]) => rate(k, "c4")) },
      { name: "Ước cả năm / expected", values: levels.map(([k]) => rate(k, "c6")) },
    ],
    stacked: false,
  };
}

const PALETTE = ["#0f6cbd", "#107c41", "#c239b3", "#ca5010", "#4f6bed", "#8764b8"];

/** A bar chart as SVG (no library: two small charts do not need one). */
export function chartSvg(c: ChartData, width = 300, height = 190): string {
  const padL = 44;
  const padB = 34;
  const padT = 8;
  const legendH = 14 * Math.ceil(c.series.length / 2);
  const plotH = height - padB - padT - legendH;
  const plotW = width - padL - 6;
  const totals = c.categories.map((_, i) =>
    c.stacked ? c.series.reduce((s, se) => s + Math.max(0, se.values[i] ?? 0), 0) : Math.max(0, ...c.series.map((se) => se.values[i] ?? 0)),
  );
  const max = Math.max(1, ...totals);
  const step = niceStep(max / 4);
  const top = Math.ceil(max / step) * step;
  const y = (v: number) => padT + plotH - (v / top) * plotH;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="100%" role="img" aria-label="${esc(c.title)}">`,
  ];
  for (let v = 0; v <= top + 1e-9; v += step) {
    out.push(`<line x1="${padL}" x2="${width - 6}" y1="${y(v).toFixed(1)}" y2="${y(v).toFixed(1)}" stroke="#e0e0e0"/>`);
    out.push(`<text x="${padL - 4}" y="${(y(v) + 3).toFixed(1)}" text-anchor="end" font-size="9" fill="#616161">${esc(NUM.format(v))}</text>`);
  }
  const band = plotW / Math.max(1, c.categories.length);
  c.categories.forEach((cat, i) => {
    const x0 = padL + i * band + band * 0.15;
    const bw = band * 0.7;
    let acc = 0;
    const visible = c.series.filter((s) => s.values[i] !== null);
    visible.forEach((s) => {
      const k = c.series.indexOf(s);
      const v = Math.max(0, s.values[i] ?? 0);
      const w = c.stacked ? bw : bw / Math.max(1, c.series.length);
      const x = c.stacked ? x0 : x0 + k * w;
      const y1 = c.stacked ? y(acc + v) : y(v);
      const h = c.stacked ? y(acc) - y(acc + v) : y(0) - y(v);
      out.push(
        `<rect x="${x.toFixed(1)}" y="${y1.toFixed(1)}" width="${Math.max(1, w - 1).toFixed(1)}" height="${Math.max(0, h).toFixed(1)}" fill="${PALETTE[k % PALETTE.length]}"><title>${esc(`${cat} · ${s.name}: ${NUM.format(s.values[i] ?? 0)} ${c.unit}`)}</title></rect>`,
      );
      if (c.stacked) acc += v;
    });
    out.push(`<text x="${(padL + i * band + band / 2).toFixed(1)}" y="${padT + plotH + 12}" text-anchor="middle" font-size="9" fill="#242424">${esc(cat)}</text>`);
  });
  c.series.forEach((s, k) => {
    const lx = padL + (k % 2) * (plotW / 2);
    const ly = height - legendH + 10 + Math.floor(k / 2) * 14 - 4;
    out.push(`<rect x="${lx}" y="${ly - 8}" width="9" height="9" fill="${PALETTE[k % PALETTE.length]}"/>`);
    out.push(`<text x="${lx + 12}" y="${ly}" font-size="9" fill="#242424">${esc(s.name)}</text>`);
  });
  out.push("</svg>");
  return out.join("");
}

function niceStep(raw: number): number {
  const p = Math.pow(10, Math.floor(Math.log10(Math.max(raw, 1e-9))));
  for (const m of [1, 2, 2.5, 5, 10]) if (raw <= m * p) return m * p;
  return 10 * p;
}

/** The chart's figures as a table (header row, then one row per category) for a native chart. */
export function chartTable(c: ChartData): (string | number)[][] {
  return [["", ...c.series.map((s) => s.name)], ...c.categories.map((cat, i) => [cat, ...c.series.map((s) => s.values[i] ?? 0)])];
}
