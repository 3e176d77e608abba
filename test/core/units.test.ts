// The administrative units and levels as dated data (core/admin/*.json): the 63 former and 34
// current provincial units, each former one succeeded by exactly one current one, codes reused
// with a new meaning only together with a date.
import { describe, expect, it } from "vitest";
import {
  allUnits, currentUnitOf, formerUnitFolder, levelExistedIn, levelInForce, predecessorsOf, successions, unitForYear, unitOfProvince, unitsForYear,
} from "../../core/units.js";
import { loadForms } from "../../queries/forms.js";

describe("administrative units", () => {
  it("63 units up to 2024, 34 (28 provinces, 6 cities) from 2025", () => {
    expect(unitsForYear(2016)).toHaveLength(63);
    expect(unitsForYear(2024)).toHaveLength(63);
    const now = unitsForYear(2025);
    expect(now).toHaveLength(34);
    expect(now.filter((u) => u.kind === "thành phố").map((u) => u.name).sort()).toEqual(["Cần Thơ", "Hà Nội", "Hải Phòng", "Huế", "TP. Hồ Chí Minh", "Đà Nẵng"].sort());
    expect(new Set(now.map((u) => u.code)).size).toBe(34);
    expect(new Set(unitsForYear(2024).map((u) => u.code)).size).toBe(63);
  });

  it("every former unit goes into exactly one current unit on 1 July 2025", () => {
    const former = allUnits().filter((u) => u.valid_to === "2025-06-30");
    for (const u of former) {
      const s = successions().filter((x) => x.from === u.id);
      expect(s, u.name).toHaveLength(1);
      expect(s[0]!.date).toBe("2025-07-01");
    }
    // a code that survives names a unit that took in the former unit of that code
    for (const u of former) {
      const now = unitForYear(u.code, 2025);
      if (now) expect(currentUnitOf(u.id)!.id, u.name).toBe(now.id);
    }
  });

  it("code 80 is Long An until 2024 and the merged Tây Ninh (Long An + Tây Ninh 72) from 2025", () => {
    expect(unitForYear("80", 2024)!.name).toBe("Long An");
    expect(unitForYear("80", 2025)!.name).toBe("Tây Ninh");
    expect(unitForYear("72", 2024)!.name).toBe("Tây Ninh");
    expect(unitForYear("72", 2025)).toBeUndefined();
    expect(predecessorsOf("80@2025").map((u) => u.code).sort()).toEqual(["72", "80"]);
    expect(unitOfProvince({ code: "80", name: "Tây Ninh" })!.id).toBe("80@2025");
    expect(unitOfProvince({ code: "80", name: "Long An" })!.id).toBe("80@2008");
  });

  it("an inbox folder names a former unit by its code and name, never by digits alone", () => {
    expect(formerUnitFolder("72 Tây Ninh")!.id).toBe("72@2008");
    expect(formerUnitFolder("80-Long An")!.id).toBe("80@2008");
    expect(formerUnitFolder("72 TAY NINH")!.id).toBe("72@2008");
    expect(formerUnitFolder("10 Thanh tra")).toBeUndefined();
    expect(formerUnitFolder("80 Tây Ninh")).toBeUndefined(); // 80 Tây Ninh is the current unit
  });
});

describe("levels of management", () => {
  it("cấp huyện: for tasks starting up to June 2025; PL05 shows it for years that had districts", () => {
    expect(levelInForce("HUYEN", "2025-06")).toBe(true);
    expect(levelInForce("HUYEN", "2025-07")).toBe(false);
    expect(levelInForce("TINH", "2027-01")).toBe(true);
    expect(levelExistedIn("HUYEN", 2025)).toBe(true);
    expect(levelExistedIn("HUYEN", 2026)).toBe(false);
  });

  it("PL05's cấp huyện row ends with the level (untilPlanYear = the plan year whose N-1 last had it)", () => {
    const row = loadForms().find((f) => f.code === "pl05")!.rows!.find((r) => r.key === "level:HUYEN")!;
    expect(levelExistedIn("HUYEN", row.untilPlanYear! - 1)).toBe(true);
    expect(levelExistedIn("HUYEN", row.untilPlanYear!)).toBe(false);
  });
});
