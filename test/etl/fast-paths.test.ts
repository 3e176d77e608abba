// The parse's loops that stand in for a regular expression, a BigInt or a Map on the hot path
// give what those give, for any input.
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { microNumber, parseDecimal, partsWithin, withinTolerance } from "../../core/money.js";
import { FactKeys, hasSpace, spacesToCollapse } from "../../etl/parse/sheet.js";
import { isGroupNumber } from "../../etl/parse/kinds/tasks.js";
import { memo } from "../../etl/parse/memo.js";
import { RowFigures, RowKinds, type RowKind } from "../../etl/parse/kinds/totals.js";
import { toTrieu } from "../../etl/parse/values.js";

/** A canonical decimal as the parse makes them: no leading or trailing zeros, at most 6 decimals. */
const decimal = fc
  .tuple(fc.boolean(), fc.bigInt({ min: 0n, max: 10n ** 22n }), fc.integer({ min: 0, max: 6 }))
  .map(([neg, digits, scale]) => {
    let t = digits.toString();
    if (scale > 0) {
      t = t.padStart(scale + 1, "0");
      t = `${t.slice(0, -scale)}.${t.slice(-scale)}`.replace(/\.?0+$/, "");
    }
    return neg && t !== "0" ? "-" + t : t;
  });

/** The BigInt reading of a whole number shifted by 10^exp (toTrieu's definition). */
function shifted(whole: string, exp: number): string {
  const neg = whole.startsWith("-");
  const digits = BigInt(neg ? whole.slice(1) : whole);
  let t = digits.toString();
  const scale = -exp;
  if (scale > 0) {
    t = t.padStart(scale + 1, "0");
    t = `${t.slice(0, -scale)}.${t.slice(-scale)}`.replace(/\.?0+$/, "");
  } else if (scale < 0) t = digits === 0n ? "0" : t + "0".repeat(-scale);
  return neg && t !== "0" ? "-" + t : t;
}

describe("the parse's fast paths", () => {
  test("microNumber is parseDecimal's micro-units whenever it gives a number", () => {
    fc.assert(
      fc.property(decimal, (d) => {
        const m = microNumber(d);
        if (m === m) expect(BigInt(m)).toBe(parseDecimal(d));
      }),
    );
    for (const d of ["0", "1", "-1", "999999999.999999", "123.5", "0.000001"]) expect(BigInt(microNumber(d))).toBe(parseDecimal(d));
    // past what a double holds exactly, or not a decimal of the parse: left to the BigInt
    for (const d of ["1000000000", "1.1234567", "", "-", "1.", ".5", "1e3", " 1", "+1"]) expect(microNumber(d)).toBeNaN();
  });

  test("partsWithin answers as the BigInt sum and tolerance would, or not at all", () => {
    fc.assert(
      fc.property(fc.array(decimal, { minLength: 1, maxLength: 5 }), decimal, fc.integer({ min: -2500, max: 2500 }), (parts, other, off) => {
        const sum = parts.reduce((s, p) => s + parseDecimal(p), 0n);
        for (const total of [other, microToDecimal(sum + BigInt(off))]) {
          const got = partsWithin(parts, total);
          if (got !== undefined) expect(got).toBe(withinTolerance(sum, parseDecimal(total)));
        }
      }),
    );
    expect(partsWithin(["1.0005", "2"], "3")).toBe(true);
    expect(partsWithin(["1.0011", "2"], "3")).toBe(false);
    expect(partsWithin(["99999999999"], "1")).toBeUndefined();
  });

  test("spacesToCollapse and hasSpace are /\\s\\s|[^\\S ]/ and /\\s/ for every character", () => {
    const wrong: string[] = [];
    for (let c = 0; c < 0x10000; c++) {
      const ch = String.fromCharCode(c);
      for (const t of [`a${ch}b`, ` ${ch}`, `${ch} `, ch]) {
        if (spacesToCollapse(t) !== /\s\s|[^\S ]/.test(t) || hasSpace(t) !== /\s/.test(t)) wrong.push(JSON.stringify(t));
      }
    }
    expect(wrong).toEqual([]);
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom("a", " ", "\t", "\u00a0", "\u2003", "ư", "\n") }), (t) => {
        expect(spacesToCollapse(t)).toBe(/\s\s|[^\S ]/.test(t));
        expect(hasSpace(t)).toBe(/\s/.test(t));
      }),
    );
  });

  test("a whole number in nghìn or đồng becomes triệu as the BigInt reading gives it", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 18n }), fc.boolean(), fc.constantFrom(["nghin", -3], ["dong", -6], ["ty", 3], ["trieu", 0]), (n, neg, [unit, exp]) => {
        const whole = (neg ? "-" : "") + n.toString();
        const r = toTrieu(whole, unit as "nghin");
        expect(r.ok && r.value).toBe(shifted(whole, exp as number));
      }),
    );
    for (const [w, u, want] of [["3772000", "nghin", "3772"], ["5", "nghin", "0.005"], ["50", "dong", "0.00005"], ["1230", "nghin", "1.23"], ["007", "nghin", "0.007"], ["0", "dong", "0"]] as const) {
      const r = toTrieu(w, u);
      expect(r.ok && r.value).toBe(want);
    }
  });

  test("RowKinds holds each row's kind as a Map would", () => {
    const kind = fc.constantFrom<RowKind>("blank", "group", "total", "data", "bad");
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 1, max: 5000 }), kind), { maxLength: 60 }), (sets) => {
        const k = new RowKinds();
        const m = new Map<number, RowKind>();
        for (const [row, v] of sets) {
          k.set(row, v);
          m.set(row, v);
        }
        for (let r = 0; r <= 5001; r += sets.length > 30 ? 1 : 7) expect(k.get(r)).toBe(m.get(r));
        for (const [row] of sets) expect(k.get(row)).toBe(m.get(row));
      }),
    );
  });
});

function microToDecimal(v: bigint): string {
  const neg = v < 0n;
  const a = neg ? -v : v;
  const frac = (a % 1000000n).toString().padStart(6, "0").replace(/0+$/, "");
  return `${neg ? "-" : ""}${a / 1000000n}${frac ? "." + frac : ""}`;
}

test.each([40, 3000])("FactKeys holds what one Map keyed by space|key|year|measure|source would, however many figures a key has (%i keys)", (nKeys) => {
  const keys = new FactKeys<number>();
  const ref = new Map<string, number>();
  const rnd = seeded(16 + nKeys);
  const measures = ["du_toan", "thuc_hien", "de_xuat", undefined];
  const sources = ["NSTW", "NSDP", undefined];
  for (let i = 0; i < 20_000; i++) {
    const space = rnd() < 0.5 ? "tf" : "bl";
    const key = `K${Math.floor(rnd() * nKeys)}`;
    // years past the packed range (and odd ones) take the string form of the key
    const year = rnd() < 0.05 ? 10_000 + Math.floor(rnd() * 3) : rnd() < 0.02 ? 2020.5 : 2000 + Math.floor(rnd() * 30);
    const measure = measures[Math.floor(rnd() * measures.length)];
    const source = sources[Math.floor(rnd() * sources.length)];
    const k = `${space}|${key}|${year}|${measure ?? ""}|${source ?? ""}`;
    const op = rnd();
    if (op < 0.4) expect(keys.get(space, key, year, measure, source)).toBe(ref.get(k));
    else if (op < 0.7) {
      keys.set(space, key, year, measure, source, i);
      ref.set(k, i);
    } else {
      const prev = ref.get(k);
      expect(keys.claim(space, key, year, measure, source, i)).toBe(prev);
      if (prev === undefined) ref.set(k, i);
    }
  }
  for (const [k, v] of ref) {
    const [space, key, year, measure, source] = k.split("|");
    expect(keys.get(space!, key!, Number(year), measure || undefined, source || undefined)).toBe(v);
  }
});

test("RowFigures answers as a Map emptied per row", () => {
  const f = new RowFigures();
  const m = new Map<number, string>();
  const rnd = seeded(7);
  for (let row = 0; row < 500; row++) {
    if (f.size !== 0) f.clear();
    m.clear();
    for (let k = 0; k < 8; k++) {
      const col = 1 + Math.floor(rnd() * 12);
      const v = String(Math.floor(rnd() * 1000));
      f.set(col, v);
      m.set(col, v);
    }
    expect(f.size).toBe(m.size);
    for (let col = 0; col < 14; col++) {
      expect(f.get(col)).toBe(m.get(col));
      expect(f.has(col)).toBe(m.has(col));
    }
    const a: [number, string][] = [];
    f.forEach((v, c) => a.push([c, v]));
    expect(a).toEqual([...m]);
  }
});

test("memo: the last text's result is the cached one; what is not kept, and what is not a text, is worked out again", () => {
  let calls = 0;
  const f = memo((t: string) => {
    calls++;
    return t === "bad" ? { ok: false } : { ok: true, t };
  }, (r) => r.ok);
  const a = f("x");
  expect(f("x")).toBe(a);
  expect(calls).toBe(1);
  const b1 = f("bad");
  const b2 = f("bad");
  expect(b2).not.toBe(b1);
  expect(calls).toBe(3);
  expect(f("x")).toBe(a);
  const g = memo((t: string | undefined) => (t === undefined ? "none" : t.toUpperCase()));
  expect(g(undefined as unknown as string)).toBe("none");
  expect(g("a")).toBe("A");
  expect(g(undefined as unknown as string)).toBe("none");
});

function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

test("isGroupNumber's first-character check answers as the two regular expressions", () => {
  const ref = (t: string): boolean => /^([IVXLC]+|[A-H])[.)]?$/.test(t.trim()) || /^([IVXLC]+|[A-H])[.)]\s+\S/.test(t.trim());
  const ch = fc.constantFrom(" ", "\u00a0", "\t", "\u3000", "\ufeff", "I", "V", "X", "L", "C", "A", "B", "H", "J", "i", "1", ".", ")", "/", "Ạ", "x");
  fc.assert(fc.property(fc.array(ch, { maxLength: 8 }).map((a) => a.join("")), (t) => isGroupNumber(t) === ref(t)), { numRuns: 20_000 });
  for (const t of ["I", " II. Nhiệm vụ", "A)", "H", "I.", "1", "", "  ", "Tổng", "XL", "\u00a0B. x"]) expect(isGroupNumber(t), t).toBe(ref(t));
});
