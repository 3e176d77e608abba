// core/text.ts plainUnicode: a text it calls plain is stored as it is. The ETL skips the legacy
// conversion and NFC for such a text, and the reader tells it while it reads (XCell.plain), so a
// text wrongly called plain would be stored unconverted or not in NFC.
import { describe, expect, it } from "vitest";
import { isPlain, nfc, PLAIN_START, plainStep, plainUnicode } from "../../core/text.js";
import { decodeLegacy } from "../../etl/text/legacy.js";

// every UTF-16 unit the rule calls plain on its own, and a sample of the others
const UNITS = Array.from({ length: 0x10000 }, (_, c) => c);
const PLAIN_UNITS = UNITS.filter((c) => c < 0xd800 && plainUnicode(String.fromCharCode(c)));

describe("plainUnicode", () => {
  it("calls plain exactly ASCII, U+0100–U+02FF, U+1E00–U+1EFF and Latin-1 letters next to those", () => {
    const want = (c: number) => c < 0x80 || (c >= 0x100 && c < 0x300) || (c >= 0x1e00 && c < 0x1f00);
    expect(PLAIN_UNITS).toEqual(UNITS.filter((c) => c < 0xd800 && want(c)));
    expect(plainUnicode("Sở Khoa học và Công nghệ")).toBe(true);
    // Latin-1 letters alone are what TCVN3 and VNI texts are made of; beside ạ, not
    expect(plainUnicode("Khoa hÑc")).toBe(false);
    expect(plainUnicode("ÑÑ ạ")).toBe(true);
    expect(plainUnicode("a\u00a0b")).toBe(false);
    expect(plainUnicode("e\u0301")).toBe(false);
    expect(plainUnicode("😀")).toBe(false);
  });

  it("a plain text, alone or two plain characters together, is its own NFC and what the legacy check leaves", () => {
    for (const c of PLAIN_UNITS) {
      const t = String.fromCharCode(c);
      expect(nfc(t)).toBe(t);
    }
    // every pair of non-ASCII characters that may be part of a plain text (and one ASCII letter)
    const wide = [...UNITS.filter((c) => c >= 0x80 && c < 0x100), ...PLAIN_UNITS.filter((c) => c >= 0x80), 0x41];
    let plain = 0;
    for (const a of wide) {
      for (const b of wide) {
        const t = String.fromCharCode(a, b);
        if (!plainUnicode(t)) continue;
        plain++;
        if (nfc(t) !== t) expect(t).toBe(nfc(t));
      }
    }
    expect(plain).toBeGreaterThan(600_000);
    for (const t of ["Sở Khoa học và Công nghệ", "Đề tài cấp tỉnh", "ƯỚC TH"]) {
      expect(plainUnicode(t)).toBe(true);
      expect(decodeLegacy(t, ".VnTime").text).toBe(t);
      expect(decodeLegacy(t, "VNI-Times").text).toBe(t);
    }
  });

  it("plainStep one character at a time gives the same answer", () => {
    for (const t of ["abc", "Sở", "hÑc", "ÑÑ ạ", "a\u00a0b", "e\u0301", "ǅ", "ɏ", "ʰ", "\u0300"]) {
      let s = PLAIN_START;
      for (let i = 0; i < t.length; i++) if (t.charCodeAt(i) >= 0x80) s = plainStep(s, t.charCodeAt(i));
      expect(isPlain(s)).toBe(plainUnicode(t));
    }
  });
});
