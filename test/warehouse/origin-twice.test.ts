// A merged department's 01–18 figure given both as its own and by a former province (rule 5 of the
// cross-file checks) is found whichever run brought each side: both in one run, or one side
// already in the warehouse. A run that stages no former province's file and finds no budget line
// in the warehouse does not ask (load.ts crossFileProblems `formers`); these are the runs that must.
import { describe, expect, it } from "vitest";
import type { BudgetLineFact } from "../../warehouse/model.js";
import { loadFiles } from "../../warehouse/load.js";
import { file, inbox, tempDb } from "./helpers.js";

// Tây Ninh (80 from 2025) took Long An (80 to 2025) in: a file in "80 Long An/" is Long An's
const province = { code: "80", name: "Tây Ninh" };
const clock = () => new Date("2026-01-15T08:00:00Z");
const line = (code: string, year: number, amount: string, cell: string): BudgetLineFact => ({
  line: code, year, measure: "du_toan", source: "NSDP", amount, at: { sheet: "B", cell },
});
const own = file("P.KHTC/dt.xlsx", { budgetLines: [line("30", 2024, "5", "D30"), line("31", 2024, "6", "D31")] });
const former = file("80 Long An/dt.xlsx", { budgetLines: [line("30", 2024, "5", "E30")] });

const twice = (r: Awaited<ReturnType<typeof loadFiles>>) =>
  r.problems.filter((p) => p.code === "ORIGIN_COUNTED_TWICE").map((p) => [p.place.file, p.place.cell, p.place.other?.file, p.place.other?.cell]);
const found = [["P.KHTC/dt.xlsx", "D30", "80 Long An/dt.xlsx", "E30"]];

describe("a figure given as the department's own and by a former province", () => {
  for (const perFileChecks of [true, false]) {
    it(`is refused in one run${perFileChecks ? "" : " (checks over the whole run)"}`, async () => {
      const { scan, parse } = inbox([own, former]);
      const r = await loadFiles(scan, parse, { dbPath: tempDb(), province, now: clock, perFileChecks });
      expect([r.outcome, twice(r)]).toEqual(["rejected", found]);
    });

    it(`is refused when the other side is in the warehouse already, either way round${perFileChecks ? "" : " (whole run)"}`, async () => {
      for (const [first, second] of [[former, own], [own, former]]) {
        const db = tempDb();
        const a = inbox([first!]);
        expect((await loadFiles(a.scan, a.parse, { dbPath: db, province, now: clock, perFileChecks })).outcome).toBe("loaded");
        const b = inbox([second!]);
        const r = await loadFiles(b.scan, b.parse, { dbPath: db, province, now: clock, perFileChecks });
        expect([r.outcome, twice(r)]).toEqual(["rejected", found]);
      }
    });
  }

  it("is not met by a province's own files alone", async () => {
    const db = tempDb();
    const a = inbox([own]);
    expect((await loadFiles(a.scan, a.parse, { dbPath: db, province, now: clock })).outcome).toBe("loaded");
    const b = inbox([file("P.KHTC/dt.xlsx", { budgetLines: [line("30", 2024, "7", "D30")] }, "h2")]);
    const r = await loadFiles(b.scan, b.parse, { dbPath: db, province, now: clock });
    expect([r.outcome, twice(r)]).toEqual(["loaded", []]);
  });
});
