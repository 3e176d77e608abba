// The toolkit's UTF-8 decoding (xlsx/utf8.ts) is TextDecoder's, at less cost: the same text for
// any bytes (a byte-order mark, bytes that are not UTF-8, ASCII, Vietnamese), or, strict, refused
// exactly where TextDecoder({ fatal: true }) refuses.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { decodeUtf8, strictUtf8 } from "../../xlsx/utf8.js";

const fatal = (b: Uint8Array): string | null => {
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(b);
  } catch {
    return null;
  }
};

// bytes mostly of real text (ASCII, "Dự toán", a BOM), with now and then a stray byte
const piece = fc.oneof(
  fc.constantFrom("Dự toán 2026", "Tổng cộng", "A1", "<c r=\"B7\">", "\ufeff", "€", "𝔸"),
  fc.string({ maxLength: 8 }),
  fc.uint8Array({ maxLength: 4 }),
);
const bytes = fc.array(piece, { maxLength: 8 }).map((ps) => {
  const parts = ps.map((p) => (typeof p === "string" ? Buffer.from(p, "utf8") : Buffer.from(p)));
  return new Uint8Array(Buffer.concat(parts));
});

describe("UTF-8 bytes as text", () => {
  it("decodeUtf8 is TextDecoder('utf-8') on any bytes", () => {
    fc.assert(fc.property(bytes, (b) => decodeUtf8(b) === new TextDecoder("utf-8").decode(b)), { seed: 16, numRuns: 3000 });
    expect(decodeUtf8(new Uint8Array([0xef, 0xbb, 0xbf, 0x41]))).toBe("A");
    expect(decodeUtf8(new Uint8Array([0x41, 0xff, 0x42]))).toBe("A\ufffdB");
  });

  it("strictUtf8 gives the text where TextDecoder({ fatal: true }) does, and null where it throws", () => {
    fc.assert(fc.property(bytes, (b) => strictUtf8(b) === fatal(b)), { seed: 16, numRuns: 3000 });
    expect(strictUtf8(new Uint8Array([0xc3]))).toBeNull();
  });
});
