// One catalogue of problem codes (core/codes.ts): a code has one severity and one message in each
// language, wherever it is raised. Read from the source, like test/boundaries.test.ts: a code
// raised with hand-written words (KEY_DUPLICATE once had two messages, one in the ETL and one in
// the load; the fill and the forms wrote theirs at the call), or a code nobody added, fails here.
import { describe, expect, it } from "vitest";
import { readFileSync, readdirSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { CODES, prob, type Code } from "../../core/codes.js";
import { formatPlace, formatProblem, problem } from "../../core/problem.js";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const STAGES = ["core", "xlsx", "etl", "warehouse", "queries", "fill", "api", "addin", "cli"];

function walk(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    if (name === "node_modules" || name.startsWith(".")) continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (name.endsWith(".ts") && !name.endsWith(".d.ts")) out.push(p);
  }
  return out;
}

const sources = STAGES.flatMap((s) => walk(join(ROOT, s))).map((f) => ({ file: relative(ROOT, f).replace(/\\/g, "/"), src: readFileSync(f, "utf8") }));

/** Codes given to the catalogue: prob("X", …), a sheet's add("X", …), claimKey's code argument. */
function catalogueUses(src: string): string[] {
  return [
    ...src.matchAll(/\bprob\(\s*"([A-Z][A-Z0-9_]+)"/g),
    ...src.matchAll(/\badd\(\s*"([A-Z][A-Z0-9_]+)"/g),
    ...src.matchAll(/\bclaimKey\([^;]*?"([A-Z][A-Z0-9_]+)"\)/g),
  ].map((m) => m[1]);
}

/** Codes raised with words written at the call: problem("X", severity, place, vi, en). */
function handWritten(src: string): string[] {
  return [...src.matchAll(/\bproblem\(\s*"([A-Z][A-Z0-9_]+)"/g)].map((m) => m[1]);
}

describe("the problem-code catalogue (core/codes.ts)", () => {
  it("has every code the stages raise", () => {
    const uses = sources.flatMap(({ file, src }) => catalogueUses(src).map((c) => ({ file, c })));
    expect(uses.length).toBeGreaterThan(50);
    expect(uses.filter(({ c }) => !(c in CODES)).map(({ file, c }) => `${file}: ${c}`)).toEqual([]);
  });

  it("no catalogue code is also raised with hand-written words (one code, one message)", () => {
    const twice = sources.flatMap(({ file, src }) => handWritten(src).filter((c) => c in CODES).map((c) => `${file}: ${c}`));
    expect(twice).toEqual([]);
  });

  it("no file writes a message by hand: every code is raised through the catalogue", () => {
    const byHand = sources.filter(({ src }) => handWritten(src).length > 0).map(({ file }) => file);
    expect(byHand).toEqual([]);
  });

  it("every catalogue code is raised somewhere, its message in both languages starting with the place", () => {
    const unused = Object.keys(CODES).filter((c) => !sources.some(({ file, src }) => file !== "core/codes.ts" && src.includes(`"${c}"`)));
    expect(unused).toEqual([]);
    for (const code of Object.keys(CODES) as Code[]) {
      const p = prob(code, { file: "a.xlsx", sheet: "S", cell: "B7", other: { file: "b.xlsx", sheet: "S", cell: "B8" } }, {});
      expect(p.vi.startsWith("a.xlsx › S!B7 (& b.xlsx › S!B8): "), code).toBe(true);
      expect(p.en.startsWith("a.xlsx › S!B7 (& b.xlsx › S!B8): "), code).toBe(true);
      expect(p.vi, code).not.toEqual(p.en);
      // the output side's place (the fill, the forms' rules) in each language's words
      const q = prob(code, { form: "pl01", sheet: "PL01", cell: "C9", row: "09", column: "c5" }, {});
      expect(q.vi.startsWith("Biểu PL01 › PL01!C9 › dòng 09 › cột c5: "), code).toBe(true);
      expect(q.en.startsWith("Form PL01 › PL01!C9 › row 09 › column c5: "), code).toBe(true);
      expect(`${q.vi} ${q.en}`, code).not.toMatch(/undefined|null|\[object/);
    }
  });

  it("the input side's places read the same in both languages and in logs; the output side's in each language's words", () => {
    const input = { file: "a.xlsx", sheet: "KP", cell: "E9", other: { file: "b.xlsx", sheet: "KP", cell: "E8" } };
    expect([formatPlace(input), formatPlace(input, "vi"), formatPlace(input, "en")]).toEqual(Array(3).fill("a.xlsx › KP!E9 (& b.xlsx › KP!E8)"));
    const output = { form: "pl02", sheet: "PL2 (2)", row: "03", column: "c4" };
    expect(formatPlace(output)).toBe("pl02 › PL2 (2) › row 03 › col c4");
    expect(formatPlace(output, "vi")).toBe("Biểu PL02 › PL2 (2) › dòng 03 › cột c4");
    expect(formatPlace(output, "en")).toBe("Form PL02 › PL2 (2) › row 03 › column c4");
  });

  it("the fill's problems speak the catalogue's words, the columns as the form shows them this year", () => {
    const p = prob("E_FORM_COLUMN_MISSING_FIGURE", { form: "pl01", sheet: "PL01", row: "03", column: "c2" }, { class: "arithmetic", expected: "120", actual: "0", header: "Thực hiện năm 2022" });
    expect(p.vi).toBe('Biểu PL01 › PL01 › dòng 03 › cột c2: cột "Thực hiện năm 2022" không có trong biểu nhưng dòng này có số liệu 120: số liệu bị thiếu trong biểu');
    expect(p.en).toBe('Form PL01 › PL01 › row 03 › column c2: the column "Thực hiện năm 2022" is missing from the form but this row has the figure 120: it would be dropped');
    const many = prob("W_LIST_ROW_MOVED", { form: "pl03", sheet: "PL03" }, { rows: Array.from({ length: 12 }, (_, i) => `NV-${i}`) });
    expect(many.en).toBe("Form PL03 › PL03: 12 rows are out of the new order: deleted and inserted again; their notes are not kept");
    const one = prob("W_LIST_ROW_MOVED", { form: "pl03", sheet: "PL03", row: "NV-7" }, { label: "Nhiệm vụ 7", line: 14 });
    expect(one.vi).toBe('Biểu PL03 › PL03 › dòng NV-7: dòng "Nhiệm vụ 7" (dòng 14 của trang tính) không đúng thứ tự mới: được xóa và chèn lại; ghi chú của dòng này không được giữ');
  });

  it("a log line names the place once: the catalogue's messages start with it", () => {
    const fill = prob("W_FORM_COLUMN_MISSING", { form: "pl01", sheet: "PL01", column: "c2" }, {}, { header: "Thực hiện năm 2022" });
    expect(formatProblem(fill)).toBe(
      'WARNING W_FORM_COLUMN_MISSING — Biểu PL01 › PL01 › cột c2: biểu thiếu cột "Thực hiện năm 2022": các cột khác vẫn được điền / Form PL01 › PL01 › column c2: the form has no column "Thực hiện năm 2022": the other columns are filled',
    );
    const etl = prob("VALUE_NOT_NUMBER", { file: "a.xlsx", sheet: "KP", cell: "E9" }, { value: "abc" });
    expect(formatProblem(etl)).toBe('ERROR VALUE_NOT_NUMBER — a.xlsx › KP!E9: "abc" không phải là số / a.xlsx › KP!E9: "abc" is not a number');
    // a message written elsewhere (a form's data test) still gets its place in front
    expect(formatProblem(problem("DATA_TEST_X", "warning", { form: "pl01", row: "03" }, "vi", "en"))).toBe("WARNING DATA_TEST_X pl01 › row 03 — vi / en");
  });

  it("the load's cross-file problems speak the catalogue's words", () => {
    const p = prob("KEY_DUPLICATE", { file: "P.KHTC/kp2.xlsx", sheet: "X", cell: "C3", other: { file: "P.KHTC/kp.xlsx", sheet: "KP", cell: "E9" } }, { key: "task_funding NV-01 2024 du_toan NSNN" });
    expect(p.vi).toBe("P.KHTC/kp2.xlsx › X!C3 (& P.KHTC/kp.xlsx › KP!E9): số liệu task_funding NV-01 2024 du_toan NSNN được ghi hai lần");
    const f = prob("FUNDING_UNKNOWN_TASK", { file: "a.xlsx", sheet: "KP", cell: "A9" }, { taskCode: "NV-99", forgetting: "dm.xlsx" });
    expect(f.en).toBe("a.xlsx › KP!A9: funding for task NV-99, but no task register has this code once dm.xlsx is forgotten; it cannot be forgotten");
  });
});
