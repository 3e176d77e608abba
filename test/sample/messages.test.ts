// No message ever shows a template (issue 15): form definitions write years as {N}, {N-1}, {N-2},
// and a message quoting a header or a row must say "Thực hiện năm 2022", not "{N-2}". Every
// message made for the sample (its load, its fill, a copy of its template missing a column) and
// for every case of the bad-workbook corpus (through `etl load`) is scanned for a "{".
import ExcelJS from "exceljs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { fillCommand } from "../../fill/command.js";
import { BAD_CORPUS, CONFIG, freshWarehouse, listCases, load, removeDir, ROOT, SAMPLE_INBOX, tempDir } from "../reliability/helpers.js";

const dirs: string[] = [];
afterAll(() => dirs.forEach(removeDir));

/** The vi/en texts anywhere in a report. */
function messages(x: unknown, out: string[] = []): string[] {
  if (Array.isArray(x)) x.forEach((y) => messages(y, out));
  else if (x && typeof x === "object") {
    for (const [k, v] of Object.entries(x)) {
      if ((k === "vi" || k === "en") && typeof v === "string") out.push(v);
      else messages(v, out);
    }
  }
  return out;
}

async function fill(db: string, template: string): Promise<{ json: string[]; text: string[] }> {
  const json: string[] = [];
  const text: string[] = [];
  await fillCommand({ db, year: 2024, template, check: true, json: true, form: [] }, { log: (s) => json.push(s), err: (s) => json.push(s) });
  await fillCommand({ db, year: 2024, template, check: true, form: [] }, { log: (s) => text.push(s), err: (s) => text.push(s) });
  return { json: messages(JSON.parse(json.join("\n"))), text };
}

describe("no message shows a template placeholder", () => {
  it("the sample's load and fill, a template missing a column, and every bad-corpus case", async () => {
    const seen: string[] = [];
    const placeholders: string[] = [];
    const w = await freshWarehouse("messages", SAMPLE_INBOX);
    dirs.push(w.dir);
    seen.push(...messages(w.report!.problems));

    const sample = await fill(w.db, join(ROOT, "sample", "template.xlsx"));
    seen.push(...sample.json);
    placeholders.push(...sample.text.filter((l) => /\{\s*N/.test(l)));

    // PL01 without its "Thực hiện năm 2022" column: the fill names the column it misses
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(join(ROOT, "sample", "template.xlsx"));
    const ws = wb.getWorksheet("PL01")!;
    let col = 0;
    ws.eachRow((row) => row.eachCell((c, k) => {
      if (!col && typeof c.value === "string" && c.value.includes("Thực hiện năm 2022")) col = k;
    }));
    expect(col).toBeGreaterThan(0);
    ws.spliceColumns(col, 1);
    const cut = join(w.dir, "template-no-column.xlsx");
    await wb.xlsx.writeFile(cut);
    const missing = await fill(w.db, cut);
    expect(missing.json.some((m) => m.includes('"Thực hiện năm 2022"'))).toBe(true);
    seen.push(...missing.json);
    placeholders.push(...missing.text.filter((l) => /\{\s*N/.test(l)));

    // the bomb stops at 64 MiB as surely as at 512 MiB
    const config = { ...CONFIG, limits: { ...CONFIG.limits, maxInflatedBytes: 64 * 1024 * 1024 } };
    for (const c of listCases()) {
      const d = tempDir("messages-case");
      dirs.push(d);
      seen.push(...messages((await load(join(BAD_CORPUS, c, "inbox"), join(d, "phuluc.duckdb"), config)).problems));
    }

    placeholders.push(...seen.filter((m) => m.includes("{")));
    expect(placeholders).toEqual([]);
    // and the scan was not vacuous
    expect(seen.length).toBeGreaterThan(80);
  }, 600_000);
});
