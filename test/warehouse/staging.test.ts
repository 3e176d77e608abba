// Staging puts every record of a file into the warehouse exactly as the parser gave it: strings by
// ids into lists, amounts as BIGINT micro-units (or DECIMAL(38,6) past int64). The records
// themselves are the oracle: every string the same string
// (leading zeros, formulas, numbers and dates as text, Vietnamese, line breaks, quotes, backslashes,
// control characters, very long text), nulls null, booleans and integers as given, every amount to
// the last micro-unit, every cell as given, and the facts' ids in the file's order.
import { describe, expect, it } from "vitest";
import { fixedDecimal, parseDecimal } from "../../core/money.js";
import { loadFiles } from "../../warehouse/load.js";
import { openCurrent } from "../../warehouse/generations.js";
import { dictIds, Interned, packTasks } from "../../warehouse/pack.js";
import type { IndicatorFact, IndicatorRecord, Measure, ParsedFile, TaskFundingFact, TaskRecord } from "../../warehouse/model.js";
import { file, inbox, tempDb } from "./helpers.js";

const province = { code: "80", name: "Long An" };

const HOSTILE = [
  "007", "0", "=1+1", "1e5", "2024-01-01", "01/02/2024", "Nghiên cứu ứng dụng công nghệ — Đồng Tháp", "a\nb", "a\r\nb", "\r",
  'q"uote"', "it's", "back\\slash\\", "\\u0041", "\t", "\u0001\u0002\u0003\u001f\u007f", "x".repeat(100_000), "", " ",
  " lead and trail ", "😀 emoji", "NULL", "null", "\u2028\u2029", "z\u200bw", "e\u0301", '{"a":1}', "[1,2]", "_x000D_", "%s%d",
  "'; drop table task; --", "ｆｕｌｌ", "Ω≈ç√∫", "Tổng cộng",
];
/** cells the parser never gives, but which must come back as given all the same */
const ODD = ["B07", "AAAA1", "b7", "$B$7", "Đ5", "", "B", "7", "XFD1048576", "A0", "AB12x", "ZZZ9999999999", "A1", "AB10"];
/** the facts' cells: as the parser gives them (packFacts reads other cells as it always did) */
const CELLS = ["XFD1048576", "AB10", "A1", "ZZ99", "C3"];
/** micro-units within int64 (BIGINT staging), at its ends */
const NARROW = ["9223372036854.775807", "-9223372036854.775807", "0", "-0", "0.000001", "-0.000001", "1234567.5", "999999999999.999999", "1000000000000", "-42", "00012.340000", "12."];
/** past int64 (DECIMAL(38,6) staging) */
const WIDE = ["9223372036854.775808", "-9223372036854.775808", "99999999999999999999.999999", "-99999999999999999999.999999", "1"];

function tasksOf(): TaskRecord[] {
  return HOSTILE.map((s, i) => ({
    code: i % 3 === 0 ? `${s.slice(0, 40)}#${i}` : `NV-${i}`,
    title: s,
    level: "TINH",
    field: "KY_THUAT",
    leadOrg: s,
    pi: i % 2 ? s : undefined,
    piGender: i % 4 === 1 ? "NAM" : undefined,
    decision: i % 3 ? s : undefined,
    start: "2023-01",
    end: i % 2 ? "2024-12" : "2025-06",
    status: "DANG_THUC_HIEN",
    acceptedOn: i % 5 === 0 ? "2024-06-30" : undefined,
    unsplit: i % 2 === 0,
    at: { sheet: i % 2 ? "DM" : s.slice(0, 31) || "S", cell: ODD[i] ?? `B${i + 5}` },
    approved: [{ source: "TONG", amount: NARROW[i % NARROW.length]!, at: { sheet: "DM", cell: CELLS[i] ?? `H${i + 5}` } }],
  })) as TaskRecord[];
}

function indicatorsOf(): IndicatorRecord[] {
  return HOSTILE.map((s, i) => ({
    key: `K|${i}|${s.slice(0, 20)}`,
    code: i % 2 ? s : undefined,
    area: "TDC",
    label: s,
    unit: i % 3 ? s : "cái",
    parentKey: i % 3 ? undefined : `K|0|${HOSTILE[0]}`,
    sort: i * 7,
    at: { sheet: i % 2 ? "CT" : s.slice(0, 31) || "S", cell: ODD[ODD.length - 1 - i] ?? `C${i + 3}` },
  })) as IndicatorRecord[];
}

function files(): ParsedFile[] {
  const tasks = tasksOf();
  const indicators = indicatorsOf();
  const indicatorFacts: IndicatorFact[] = indicators.map((x, i) => ({ key: x.key, year: 2024, measure: "thuc_hien", value: WIDE[i % WIDE.length]!, at: { sheet: "CT", cell: `D${i + 3}` } }));
  const taskFunding: TaskFundingFact[] = NARROW.map((amount, i) => ({
    taskCode: tasks[i * 2 + 1]!.code,
    year: 2024,
    measure: "du_toan" as Measure,
    source: "NSDP",
    amount,
    at: { sheet: HOSTILE[i]!.slice(0, 31) || "KP", cell: CELLS[i] ?? `E${i + 2}` },
  }));
  return [
    file("P.QLKH/hostile tasks.xlsx", { tasks }),
    file("chung/hostile indicators.xlsx", { indicators, indicatorFacts }),
    file("P.KHTC/hostile funding.xlsx", { taskFunding }),
  ];
}

describe("packTasks", () => {
  it("gives each repeated string one id a run, after those of the files before, 0 for none", () => {
    const dict = new Interned();
    dict.id("TINH");
    const tasks = tasksOf().slice(0, 4);
    const p = packTasks(tasks);
    const [sheet, level, , lead, gender, start, end] = dictIds(p, dict);
    expect(level![0]).toBe(1);
    expect(dict.values[lead![1]! - 1]).toBe(HOSTILE[1]);
    expect(gender![0]).toBe(0);
    expect(dict.values[gender![1]! - 1]).toBe("NAM");
    expect(dict.values[start![3]! - 1]).toBe("2023-01-01");
    expect(dict.values[end![0]! - 1]).toBe("2025-06-01");
    expect(p.pi).toEqual([null, HOSTILE[1], null, HOSTILE[3]]);
    expect(p.cell).toEqual(tasks.map((t) => t.at.cell));
    expect(Array.from(sheet!, (i) => dict.values[i - 1])).toEqual(tasks.map((t) => t.at.sheet));
    // a second file: what the first gave keeps its id, and the file's own ids are left as they were
    const own = p.ids.slice();
    const size = dict.values.length;
    expect(dictIds(packTasks(tasks), dict)).toEqual(dictIds(p, dict));
    expect(dict.values.length).toBe(size);
    expect(p.ids).toEqual(own);
  });
});

describe("staging", () => {
  it("puts every string, null, flag, number, amount and cell of a file into the warehouse as given", async () => {
    const db = tempDb();
    const fs = files();
    const { scan, parse } = inbox(fs);
    const r = await loadFiles(scan, async (f) => structuredClone(await parse(f)), { dbPath: db, province });
    expect(r.problems).toEqual([]);
    expect(r.outcome).toBe("loaded");
    const h = await openCurrent(db);
    try {
      const tasks = await h.all<Record<string, unknown>>(
        `select task_code, title, level_code, field_code, lead_org, pi_name, pi_gender, decision, start_month::varchar s, end_month::varchar e,
                status_code, accepted_on::varchar a, unsplit, sort, file_id, file_hash, sheet, cell from task order by rowid`,
      );
      expect(tasks).toEqual(
        fs[0]!.tasks.map((t, i) => ({
          task_code: t.code, title: t.title, level_code: t.level, field_code: t.field, lead_org: t.leadOrg, pi_name: t.pi ?? null,
          pi_gender: t.piGender ?? null, decision: t.decision ?? null, s: `${t.start}-01`, e: `${t.end}-01`, status_code: t.status,
          a: t.acceptedOn ?? null, unsplit: t.unsplit, sort: i, file_id: fs[0]!.fileId, file_hash: fs[0]!.sha256, sheet: t.at.sheet, cell: t.at.cell,
        })),
      );
      const indicators = await h.all<Record<string, unknown>>(
        "select indicator_key, indicator_code, area_code, label, unit, parent_key, sort, file_id, file_hash, sheet, cell from indicator order by rowid",
      );
      expect(indicators).toEqual(
        fs[1]!.indicators.map((x) => ({
          indicator_key: x.key, indicator_code: x.code ?? null, area_code: x.area, label: x.label, unit: x.unit, parent_key: x.parentKey ?? null,
          sort: x.sort, file_id: fs[1]!.fileId, file_hash: fs[1]!.sha256, sheet: x.at.sheet, cell: x.at.cell,
        })),
      );
      // the facts in the file's order (ids ascending), every amount to the micro-unit
      const approved = await h.all("select task_code k, source_code src, amount::varchar a, sheet, cell from fact_task_approved order by fact_id");
      expect(approved).toEqual(fs[0]!.tasks.flatMap((t) => t.approved.map((x) => ({ k: t.code, src: x.source, a: fixedDecimal(parseDecimal(x.amount)), sheet: x.at.sheet, cell: x.at.cell }))));
      const values = await h.all("select indicator_key k, year, measure_code m, value::varchar v, sheet, cell from fact_indicator order by fact_id");
      expect(values).toEqual(fs[1]!.indicatorFacts.map((x) => ({ k: x.key, year: x.year, m: x.measure, v: fixedDecimal(parseDecimal(x.value)), sheet: x.at.sheet, cell: x.at.cell })));
      const funding = await h.all("select task_code k, year, measure_code m, source_code src, amount::varchar a, file_id, sheet, cell from fact_task_funding order by fact_id");
      expect(funding).toEqual(
        fs[2]!.taskFunding.map((x) => ({ k: x.taskCode, year: x.year, m: x.measure, src: x.source, a: fixedDecimal(parseDecimal(x.amount)), file_id: fs[2]!.fileId, sheet: x.at.sheet, cell: x.at.cell })),
      );
      // the amounts are the warehouse's DECIMAL(38,6), not another type that prints alike
      const types = await h.all<{ t: string }>("select distinct typeof(amount) t from fact_task_funding union all select distinct typeof(value) from fact_indicator");
      expect(types.map((x) => x.t)).toEqual(["DECIMAL(38,6)", "DECIMAL(38,6)"]);
    } finally {
      h.close();
    }
  });

  it("gives a file's tasks and indicators its identity and hash by its number, a file set aside before it or not", async () => {
    // the tasks and indicators are staged with their file's number in the run (ld_file's): a file
    // set aside (--accept-partial) leaves a gap in the numbers, which the files after it keep
    const db = tempDb();
    const t = (code: string, cell: string, sheet: string): TaskRecord => ({ ...tasksOf()[0]!, code, at: { sheet, cell }, approved: [] });
    const ind = (key: string, cell: string): IndicatorRecord => ({ key, area: "TDC", label: key, unit: "cái", sort: 1, at: { sheet: "CT", cell } });
    const first = inbox([file("P.QLKH/dm.xlsx", { tasks: [t("NV-01", "B7", "DM")] })]);
    expect((await loadFiles(first.scan, first.parse, { dbPath: db, province })).outcome).toBe("loaded");
    const again = file("TDC/again.xlsx", { tasks: [t("NV-01", "C4", "X")], indicators: [ind("TDC|a", "B3")] }, "sha-again");
    const other = file("TT UD/other.xlsx", { tasks: [t("NV-07", "D5", "Y"), t("NV-08", "D6", "Z")], indicators: [ind("TDC|b", "B4")] }, "sha-other");
    const run = inbox([again, file("P.QLKH/dm.xlsx", { tasks: [t("NV-01", "B7", "DM")] }), other]);
    const r = await loadFiles(run.scan, run.parse, { dbPath: db, province, acceptPartial: true });
    expect(r.files.map((f) => [f.fileId, f.status])).toEqual([["TDC/again.xlsx", "rejected"], ["P.QLKH/dm.xlsx", "unchanged"], ["TT UD/other.xlsx", "loaded"]]);
    const h = await openCurrent(db);
    try {
      expect(await h.all("select task_code, file_id, file_hash, sheet, cell from task order by rowid")).toEqual([
        { task_code: "NV-01", file_id: "P.QLKH/dm.xlsx", file_hash: "h-P.QLKH/dm.xlsx", sheet: "DM", cell: "B7" },
        { task_code: "NV-07", file_id: "TT UD/other.xlsx", file_hash: "sha-other", sheet: "Y", cell: "D5" },
        { task_code: "NV-08", file_id: "TT UD/other.xlsx", file_hash: "sha-other", sheet: "Z", cell: "D6" },
      ]);
      expect(await h.all("select indicator_key, file_id, file_hash, sheet, cell from indicator order by rowid")).toEqual([
        { indicator_key: "TDC|b", file_id: "TT UD/other.xlsx", file_hash: "sha-other", sheet: "CT", cell: "B4" },
      ]);
    } finally {
      h.close();
    }
  });
});
