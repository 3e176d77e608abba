import { describe, expect, test } from "vitest";
import { decodeLegacy, encodingOfFont, fromTcvn3, fromVni, toTcvn3, toVni } from "../../etl/text/legacy.js";

// The whole Vietnamese alphabet with every tone: 134 letters each case (TCVN3 has lower case only).
const LOWER = "aàảãáạăằẳẵắặâầẩẫấậbcdđeèẻẽéẹêềểễếệghiìỉĩíịklmnoòỏõóọôồổỗốộơờởỡớợpqrstuùủũúụưừửữứựvxyỳỷỹýỵ";
const UPPER_BASES = "ĂÂĐÊÔƠƯ";

describe("TCVN3 (ABC)", () => {
  test("every lower-case letter both ways", () => {
    for (const c of LOWER) {
      const legacy = toTcvn3(c);
      expect(fromTcvn3(legacy), c).toBe(c);
      if (!/[a-z]/.test(c)) expect(legacy.charCodeAt(0), c).toBeGreaterThanOrEqual(0xa1);
    }
    expect(fromTcvn3(toTcvn3(LOWER))).toBe(LOWER);
  });
  test("the upper-case base letters of the chart", () => {
    expect(fromTcvn3(toTcvn3(UPPER_BASES))).toBe(UPPER_BASES);
    expect(toTcvn3(UPPER_BASES)).toBe("¡¢§£¤¥¦");
  });
  test("every capital with its tone, through an …H font", () => {
    expect(decodeLegacy(toTcvn3(LOWER), ".VnTimeH")).toEqual({ kind: "converted", text: LOWER.toUpperCase(), encoding: "TCVN3" });
  });
  test("capitals with tones come from the …H fonts", () => {
    expect(decodeLegacy(toTcvn3("tổng cộng kinh phí"), ".VnTimeH")).toEqual({ kind: "converted", text: "TỔNG CỘNG KINH PHÍ", encoding: "TCVN3" });
  });
  test("the spec's tell-tale without a font", () => {
    expect(decodeLegacy("Tæng céng")).toEqual({ kind: "converted", text: "Tổng cộng", encoding: "TCVN3" });
    expect(decodeLegacy("Nghiªn cøu khoa häc")).toEqual({ kind: "converted", text: "Nghiên cứu khoa học", encoding: "TCVN3" });
  });
  test("by the font, even without a tell-tale", () => {
    expect(decodeLegacy("Sè", ".VnTime")).toEqual({ kind: "converted", text: "Số", encoding: "TCVN3" });
    expect(decodeLegacy("Sè")).toEqual({ kind: "unicode", text: "Sè" });
  });
});

describe("VNI-Windows", () => {
  test("every letter both ways, both cases", () => {
    for (const c of LOWER + LOWER.toUpperCase()) expect(fromVni(toVni(c)), c).toBe(c);
    expect(fromVni(toVni(LOWER))).toBe(LOWER);
    expect(fromVni(toVni(LOWER.toUpperCase()))).toBe(LOWER.toUpperCase());
  });
  test("known words", () => {
    expect(decodeLegacy("Toång coäng")).toEqual({ kind: "converted", text: "Tổng cộng", encoding: "VNI" });
    expect(decodeLegacy("Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam")).toMatchObject({ text: "Cộng hòa xã hội chủ nghĩa Việt Nam" });
    expect(decodeLegacy("Tröôøng Ñaïi hoïc", "VNI-Times")).toEqual({ kind: "converted", text: "Trường Đại học", encoding: "VNI" });
  });
});

describe("Unicode stays as it is", () => {
  test.each(["Tổng cộng", "Ngoài NSNN", "Hoà", "Xuân", "Quê", "Hà Nội", "café", "Dự toán 2024", "ĐH Bách khoa"])("%s", (t) => {
    expect(decodeLegacy(t)).toEqual({ kind: "unicode", text: t });
  });
  test.each(["Công ty ABC®", "µg/l", "Müller", "Nguyễn ½", "m²", "25°C", "«Trích»"])("%s is no legacy text", (t) => {
    expect(decodeLegacy(t)).toEqual({ kind: "unicode", text: t });
  });
  test("Unicode typed into a .VnTime cell", () => {
    expect(decodeLegacy("Tổng cộng", ".VnTime")).toEqual({ kind: "unicode", text: "Tổng cộng" });
  });
});

test("unconvertible legacy text", () => {
  // a .VnTime cell with a byte the chart does not have (Ð at 0xD0 is é; Ä is unassigned)
  expect(decodeLegacy("Tæng Ä", ".VnTime")).toMatchObject({ kind: "unconvertible", encoding: "TCVN3" });
  expect(decodeLegacy("Toång Ä¿")).toMatchObject({ kind: "unconvertible" });
});

test("fonts", () => {
  expect(encodingOfFont(".VnTime")).toEqual({ enc: "TCVN3", upper: false });
  expect(encodingOfFont(".VnArialH")).toEqual({ enc: "TCVN3", upper: true });
  expect(encodingOfFont("VNI-Times")).toEqual({ enc: "VNI", upper: false });
  expect(encodingOfFont("Times New Roman")).toBeNull();
});
