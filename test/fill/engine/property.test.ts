// Properties (fast-check): plans stay inside their form, data text never becomes a formula or a
// number, list bodies come out in the data's order with the staff's notes kept, and no grid makes
// the engine throw.
import { describe, expect, it, beforeAll } from "vitest";
import fc from "fast-check";
import { locateForms, planForm, planWorkbook, type Located } from "../../../fill/engine/index.js";
import type { FormPlan, GridSnapshot, GridValue } from "../../../fill/engine/types.js";
import type { FormData, FormRow } from "../../../queries/types.js";
import { pl02Data } from "./data.js";
import { FORMS, applyPlan, form, grids, sheet, template } from "./helpers.js";

let snaps: GridSnapshot[] = [];
let located: Located[] = [];
beforeAll(async () => {
  snaps = await grids(await template());
  located = locateForms(snaps, FORMS, 2024);
});
const loc = (code: string) => located.find((l) => l.form === code)!;

const nasty = fc.constantFrom("=1+1", "01", "3/2024", "- Nhiệm vụ", "1.234,5", "+84 90", "@x", "2024-01-01", "TRUE", "'quoted", "Tổng cộng");
const text = fc.oneof(nasty, fc.string({ maxLength: 12 }));

/** Every cell of a plan with its sheet coordinates. */
function cells(p: FormPlan) {
  return p.blocks.flatMap((b) => b.cells.flatMap((line, i) => line.map((cell, k) => ({ row: b.row + i, col: b.col + k, cell }))));
}

/** The area a plan may write: the located form's written columns, from its body start to its last body row. */
function insideArea(p: FormPlan, l: Located, lastRow: number): boolean {
  const def = form(l.form);
  const cols = new Set(def.columns.filter((c) => c.write && l.columns[c.id] !== undefined).map((c) => l.columns[c.id]));
  return (
    cells(p).every(({ row, col }) => cols.has(col) && row >= l.bodyStart && row <= lastRow) &&
    p.headerRewrites.every((h) => h.row < l.bodyStart) &&
    p.rowOps.every((op) => op.at >= l.bodyStart)
  );
}

describe("properties", () => {
  it("PL04: text from data is written as that text; figures only from numbers; formulas only in the total row; inside the form", () => {
    const task = fc.record({
      code: fc.stringMatching(/^[A-Z]{1,3}-\d{1,3}$/),
      title: text, org: fc.option(text), period: fc.option(text), decision: fc.option(text),
      c2: fc.option(fc.double({ min: -1e9, max: 1e9, noNaN: true })), c3: fc.option(fc.integer()), c4: fc.option(fc.oneof(fc.integer(), text)),
    });
    fc.assert(
      fc.property(fc.uniqueArray(task, { selector: (t) => t.code, maxLength: 8 }), (tasks) => {
        const rows: FormRow[] = tasks.map((t, i) => ({
          rowKey: `task:${t.code}`, kind: "data", sort: i, parentKey: null,
          values: { stt: String(i + 1), title: t.title, lead_org: t.org, period: t.period, decision: t.decision, c1: null, c2: t.c2, c3: t.c3, c4: t.c4 },
        }));
        const data: FormData = { form: "pl04", year: 2024, generation: 1, rows };
        const l = loc("pl04");
        const p = planForm(l, sheet(snaps, "PL04"), form("pl04"), data);
        const k = Math.max(rows.length, 1);
        const totalRow = l.bodyStart + k;
        expect(insideArea(p, l, totalRow)).toBe(true);
        for (const { row, col, cell } of cells(p)) {
          if (cell === null) continue;
          if ("f" in cell) {
            expect(row).toBe(totalRow);
            expect(cell.f).toMatch(/^=SUM\([A-Z]+\d+(:[A-Z]+\d+)?\)$/);
            continue;
          }
          if (row === totalRow) continue;
          const r = rows[row - l.bodyStart];
          const id = Object.entries(l.columns).find(([, c]) => c === col)![0];
          const v = r ? r.values[id] : null;
          if (typeof v === "string" && v !== "") expect(cell).toEqual({ s: v });
          else if (typeof v === "number") expect(cell).toEqual({ n: v });
          else expect(cell).toEqual({ blank: true });
        }
      }),
      { numRuns: 150 },
    );
  });

  it("list bodies: any old body + any new task list → the data's order, notes kept with their task, the total right after", () => {
    const pool = ["Lúa", "Cá chốt", "Lươn", "Sen", "Gấc", "Trâu", "Tôm", "Mai vàng", "Khoai mỡ", "Rau cải"];
    const base = sheet(snaps, "PL04");
    const l = loc("pl04");
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.constantFrom(...pool), { maxLength: 7 }),
        fc.uniqueArray(fc.constantFrom(...pool), { maxLength: 7 }),
        fc.boolean(),
        (old, now, blankFirst) => {
          // the staff's sheet: last year's rows (each with a note) between the header and the total
          const values = base.values.map((r) => [...r]);
          const formulas = base.formulas.map((r) => [...r]);
          const oldRows: GridValue[][] = old.map((t, i) => [String(i + 1), `Nhiệm vụ ${t}`, "Viện", "2023", null, 1, 1, null, null, `ghi chú ${t}`]);
          if (blankFirst) oldRows.unshift(new Array(10).fill(null));
          values.splice(l.bodyStart - 1, 1, ...oldRows);
          formulas.splice(l.bodyStart - 1, 1, ...oldRows.map(() => new Array(10).fill(null)));
          const total = l.bodyStart + oldRows.length;
          formulas[total - 1] = [null, null, null, null, null, `=SUM(F${l.bodyStart}:F${total - 1})`, null, null, null, null];
          const s: GridSnapshot = { ...base, values, formulas, rowCount: values.length, numberFormats: undefined };
          const data: FormData = {
            form: "pl04", year: 2024, generation: 1,
            rows: now.map((t, i) => ({ rowKey: `task:${t}`, kind: "data" as const, sort: i, parentKey: null, values: { title: `Nhiệm vụ ${t}`, c1: i } })),
          };
          const p = planForm(l, s, form("pl04"), data);
          const after = applyPlan(s, p);
          const k = Math.max(now.length, 1);
          expect(after.values.length).toBe(values.length - oldRows.length + k);
          for (let j = 0; j < now.length; j++) {
            const r = l.bodyStart + j;
            expect(after.values[r - 1][1]).toBe(`Nhiệm vụ ${now[j]}`);
            const note = after.values[r - 1][9];
            expect(note === null || note === `ghi chú ${now[j]}`).toBe(true);
          }
          expect(after.values[l.bodyStart + k - 1][1]).toBe("Tổng cộng");
          expect(after.formulas[l.bodyStart + k - 1][5]).toBe(k === 1 ? `=SUM(F${l.bodyStart})` : `=SUM(F${l.bodyStart}:F${l.bodyStart + k - 1})`);
          expect(p.rowsAdded.sort()).toEqual(now.filter((t) => !old.includes(t)).map((t) => `task:${t}`.slice(5)).sort());
          expect(p.rowsRemoved.sort()).toEqual(old.filter((t) => !now.includes(t)).map((t) => `Nhiệm vụ ${t}`).sort());
          // notes are lost only for tasks that moved against the others (reported)
          const lost = now.filter((t, j) => old.includes(t) && after.values[l.bodyStart + j - 1][9] === null);
          expect(p.problems.filter((x) => x.code === "W_LIST_ROW_MOVED").length).toBe(lost.length);
        },
      ),
      { numRuns: 200 },
    );
  });

  it("PL02: a plan writes only the located rows and columns, and a figure only where the data has a number", () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.double({ noNaN: true }), fc.constant(null), text), { minLength: 18 * 5, maxLength: 18 * 5 }), (vals) => {
        const d = pl02Data();
        d.rows.forEach((r, i) => ["c1", "c2", "c3", "c4", "c5"].forEach((c, k) => (r.values[c] = vals[i * 5 + k] as number | string | null)));
        const l = loc("pl02");
        const p = planForm(l, sheet(snaps, "PL02"), form("pl02"), d);
        expect(insideArea(p, l, l.bodyStart + 17)).toBe(true);
        for (const { row, col, cell } of cells(p)) {
          const v = vals[(row - l.bodyStart) * 5 + (col - 3)];
          if (typeof v === "number" && Number.isFinite(v)) expect(cell).toEqual({ n: v });
          else if (typeof v === "string" && v !== "") expect(cell).toEqual({ s: v });
          else expect(cell).toEqual({ blank: true });
        }
        expect(p.lineage.length).toBe(cells(p).filter((c) => c.cell && "n" in c.cell).length);
      }),
      { numRuns: 100 },
    );
  });

  it("random grids never make the engine throw; what it cannot do is a located problem", () => {
    const words = fc.constantFrom(
      "Phụ lục 02", "PHU LUC 3", "Biểu số 4", "Tổng cộng", "Tổng số", "NSTW", "NSĐP", "Ngoài NSNN", "Nước ngoài", "Ghi chú",
      "Dự toán năm 2023", "Thực hiện năm 2022", "Tỷ lệ %", "STT", "Nội dung", "Mã số", "01", "03", "2.3 Chi thực hiện nhiệm vụ KH&CN",
      "Kinh phí được phê duyệt", "Nguồn khác", "Tên nhiệm vụ", "1", "3=1+2", "DỰ TOÁN CHI NSNN CHO KH&CN NĂM 2024", "Chỉ tiêu", "Đơn vị tính",
    );
    const cell = fc.oneof(words, fc.constant(null), fc.double(), fc.boolean(), fc.string({ maxLength: 8 }));
    const grid = fc.record({
      name: fc.oneof(fc.constantFrom("PL02", "PL2 (2)", "Sheet1", "Bieu 03"), fc.string({ maxLength: 6 })),
      rows: fc.array(fc.array(cell, { maxLength: 9 }), { maxLength: 14 }),
      merges: fc.array(fc.record({ top: fc.integer({ min: -1, max: 16 }), left: fc.integer({ min: -1, max: 10 }), h: fc.integer({ min: -1, max: 3 }), w: fc.integer({ min: -1, max: 4 }) }), { maxLength: 4 }),
    });
    fc.assert(
      fc.property(fc.array(grid, { maxLength: 3 }), fc.boolean(), (gs, withTemplate) => {
        const sheets: GridSnapshot[] = gs.map((g, i) => ({
          sheetName: g.name, index: i, values: g.rows, formulas: g.rows.map((r) => r.map(() => null)),
          merges: g.merges.map((m) => ({ top: m.top, left: m.left, bottom: m.top + m.h, right: m.left + m.w })),
          rowCount: g.rows.length, columnCount: Math.max(0, ...g.rows.map((r) => r.length)),
        }));
        if (withTemplate) sheets.push({ ...sheet(snaps, "PL02"), index: sheets.length });
        const wp = planWorkbook(sheets, FORMS, [pl02Data()], 2024);
        for (const pr of [...wp.problems, ...wp.forms.flatMap((f) => f.problems)]) {
          expect(pr.place.form).toBeTruthy();
          expect(pr.vi && pr.en).toBeTruthy();
        }
        for (const f of wp.forms) {
          const l = wp.located.find((x) => x.form === f.form)!;
          expect(cells(f).every(({ row }) => row >= l.bodyStart)).toBe(true);
        }
      }),
      { numRuns: 100 },
    );
  });
});

describe("filling again", () => {
  const LEVELS = ["QUOC_GIA", "BO", "TINH", "CO_SO", "HUYEN", "KHAC"] as const;
  const NAMES: Record<string, string> = { QUOC_GIA: "Nhiệm vụ cấp quốc gia", BO: "Nhiệm vụ cấp bộ", TINH: "Nhiệm vụ cấp tỉnh", CO_SO: "Nhiệm vụ cấp cơ sở", HUYEN: "Nhiệm vụ cấp huyện", KHAC: "Nhiệm vụ khác" };
  /** PL03 data as the SQL shapes it: groups I/II, level groups, tasks, the total. */
  function pl03(tasks: { code: string; group: "I" | "II"; level: (typeof LEVELS)[number]; c12: number }[]): FormData {
    const rows: FormRow[] = [];
    let sort = 0;
    for (const g of ["I", "II"] as const) {
      const mine = tasks.filter((t) => t.group === g);
      if (!mine.length) continue;
      rows.push({ rowKey: `group:${g}`, kind: "group", sort: sort++, parentKey: null, values: { stt: g, title: g === "I" ? "I. Nhiệm vụ chuyển tiếp" : "II. Nhiệm vụ mở mới", c12: mine.reduce((s, t) => s + t.c12, 0) } });
      LEVELS.forEach((lv, li) => {
        const inLevel = mine.filter((t) => t.level === lv);
        if (!inLevel.length) return;
        rows.push({ rowKey: `group:${g}:${lv}`, kind: "group", sort: sort++, parentKey: `group:${g}`, values: { stt: String(li + 1), title: NAMES[lv], c12: inLevel.reduce((s, t) => s + t.c12, 0) } });
        for (const t of inLevel) rows.push({ rowKey: `task:${t.code}`, kind: "data", sort: sort++, parentKey: `group:${g}:${lv}`, values: { title: `Nhiệm vụ ${t.code}`, lead_org: "Sở", c12: t.c12, note: "x" } });
      });
    }
    rows.push({ rowKey: "total", kind: "total", sort: sort++, parentKey: null, values: { title: "Tổng cộng", c12: tasks.reduce((s, t) => s + t.c12, 0) } });
    return { form: "pl03", year: 2024, generation: 1, rows };
  }
  const taskList = fc.uniqueArray(
    fc.record({ code: fc.constantFrom("A", "B", "C", "D", "E", "F", "G", "H"), group: fc.constantFrom("I" as const, "II" as const), level: fc.constantFrom(...LEVELS), c12: fc.integer({ min: 0, max: 999 }) }),
    { selector: (t) => t.code, maxLength: 6 },
  );

  it("PL03: fill with one task list, then another: the body is the second list; a third fill with it changes nothing", () => {
    const l = loc("pl03");
    const def = form("pl03");
    fc.assert(
      fc.property(taskList, taskList, (first, second) => {
        const s1 = applyPlan(sheet(snaps, "PL03"), planForm(l, sheet(snaps, "PL03"), def, pl03(first)));
        const d2 = pl03(second);
        const s2 = applyPlan(s1, planForm(l, s1, def, d2));
        const body = d2.rows.filter((r) => r.rowKey !== "total");
        const k = Math.max(body.length, 1);
        body.forEach((r, j) => expect(s2.values[l.bodyStart + j - 1][1]).toBe(r.values.title));
        expect(s2.values[l.bodyStart + k - 1][1]).toBe("Tổng cộng");
        expect(s2.values.length).toBe(l.bodyStart + k);
        const again = planForm(l, s2, def, d2);
        expect(again.rowOps).toEqual([]);
        expect(again.changes).toEqual([]);
        expect(again.rowsAdded).toEqual([]);
        expect(again.rowsRemoved).toEqual([]);
      }),
      { numRuns: 150 },
    );
  });
});

describe("filling a fixed form again", () => {
  it("PL02: a second fill with the same figures changes nothing; with other figures, changes are exactly the differing cells", () => {
    const l = loc("pl02");
    const def = form("pl02");
    const figures = fc.array(fc.option(fc.integer({ min: 0, max: 5000 })), { minLength: 18 * 5, maxLength: 18 * 5 });
    fc.assert(
      fc.property(figures, figures, (a, b) => {
        const data = (v: (number | null)[]) => {
          const d = pl02Data();
          d.rows.forEach((r, i) => ["c1", "c2", "c3", "c4", "c5"].forEach((c, k) => (r.values[c] = v[i * 5 + k])));
          return d;
        };
        const s1 = applyPlan(sheet(snaps, "PL02"), planForm(l, sheet(snaps, "PL02"), def, data(a)));
        expect(planForm(l, s1, def, data(a)).changes).toEqual([]);
        const p2 = planForm(l, s1, def, data(b));
        const differing = a.map((x, i) => (x === b[i] ? null : i)).filter((i): i is number => i !== null);
        expect(p2.changes.map((c) => (c.row - l.bodyStart) * 5 + (c.col - 3)).sort((x, y) => x - y)).toEqual(differing);
      }),
      { numRuns: 100 },
    );
  });
});
