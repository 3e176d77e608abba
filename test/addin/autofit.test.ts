// The Office.js back end grows the rows it writes texts into (Range.format.autofitRows, ExcelApi
// 1.2): queued with the last write request of a form, so a form still costs one write sync.
import { describe, expect, it } from "vitest";
import { applyFormPlan, fillWorkbook, textRowRuns } from "../../addin/office/excel.js";
import { planRequests } from "../../addin/office/batches.js";
import { createMockExcel, type MockEvent } from "../doubles/mock-excel.js";
import type { FormPlan } from "../../fill/engine/types.js";
import { pl03Plan, pl03Template, workbookPlan } from "./fixtures.js";
import { useMockExcel } from "./office-fill.js";


type Call = Extract<MockEvent, { kind: "call" }>;
const autofits = (events: MockEvent[]): Call[] => events.filter((e): e is Call => e.kind === "call" && e.method === "autofitRows");

describe("textRowRuns (pure)", () => {
  it("runs of rows with a text cell; numbers, blanks and header rewrites left out", () => {
    const plan: FormPlan = {
      ...pl03Plan(0),
      blocks: [
        { row: 9, col: 1, cells: [[{ s: "1" }, { n: 2 }], [{ s: "2" }], [{ n: 3 }, { blank: true }], [null, { s: "x" }]] },
        { row: 20, col: 2, cells: [[{ s: "y" }]] },
      ],
    };
    expect(textRowRuns(plan)).toEqual([
      { at: 9, count: 2 },
      { at: 12, count: 1 },
      { at: 20, count: 1 },
    ]);
    expect(textRowRuns({ ...plan, blocks: [{ row: 5, col: 3, cells: [[{ n: 1 }, { f: "=A1" }]] }] })).toEqual([]);
  });
});

describe("autofitRows on the mock", () => {
  it("queued after the values, in the same sync; the form still takes one write sync", async () => {
    const mock = createMockExcel([pl03Template()]);
    useMockExcel(mock);
    const plan = pl03Plan(4);
    let syncs = 0;
    await (mock.Excel as typeof Excel).run(async (context) => {
      syncs = (await applyFormPlan(context, plan, { supports: () => true })).syncs;
    });
    expect(syncs).toBe(1);
    expect(mock.syncCount()).toBe(1);
    const calls = autofits(mock.events);
    expect(calls.map((c) => c.address)).toEqual(["9:12"]); // the body rows, not the header row 2
    const lastValues = mock.events.map((e, i) => ({ e, i })).filter(({ e }) => e.kind === "set" && e.prop === "values").pop()!;
    expect(mock.events.indexOf(calls[0])).toBeGreaterThan(lastValues.i);
    expect(calls[0].sync).toBe(1);
  });

  it("with the writes split into several requests: once, with the last one", async () => {
    const mock = createMockExcel([pl03Template()]);
    useMockExcel(mock);
    const plan = pl03Plan(300);
    const requests = planRequests(plan, 30_000).length;
    expect(requests).toBeGreaterThan(1);
    let syncs = 0;
    await (mock.Excel as typeof Excel).run(async (context) => {
      syncs = (await applyFormPlan(context, plan, { supports: () => true, budget: 30_000 })).syncs;
    });
    expect(syncs).toBe(requests);
    const calls = autofits(mock.events);
    expect(calls.map((c) => [c.address, c.sync])).toEqual([["9:308", requests]]);
  });

  it("a form that writes no text (a fixed form's figures) is not autofitted; sync count per form unchanged", async () => {
    const mock = createMockExcel([pl03Template()]);
    useMockExcel(mock);
    const plan: FormPlan = { ...pl03Plan(0), blocks: [{ row: 9, col: 7, cells: [[{ n: 1 }, { n: 2 }], [{ n: 3 }, { n: 4 }]] }] };
    const result = await fillWorkbook({
      year: 2024,
      generation: 1,
      locate: () => [{ form: "PL03", sheetName: "PL03" }],
      plan: () => workbookPlan(plan),
      supports: () => true,
    });
    expect(autofits(mock.events)).toEqual([]);
    expect(result.applied[0].syncs).toBe(1);
    expect(result.log.perForm.PL03).toBe(2); // one read, one write
  });
});
