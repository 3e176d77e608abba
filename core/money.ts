// Money is DECIMAL(38,6) triệu đồng in the warehouse. In TypeScript it travels as a scaled
// bigint (micro-triệu = 1 đồng) so that sums never go through binary floats. Conversion to a
// JS number happens only at the edge where Excel needs a double.

export const SCALE = 1_000_000n;

/** A decimal string such as "13660", "-1.5", "39651.195" → micro-units. Throws on anything else. */
export function parseDecimal(s: string): bigint {
  const m = /^(-)?(\d+)(?:\.(\d{0,6})(\d*))?$/.exec(s.trim());
  if (!m) throw new Error(`not a decimal: ${JSON.stringify(s)}`);
  const [, neg, int, frac = "", rest = ""] = m;
  if (/[1-9]/.test(rest)) throw new Error(`more than 6 decimals: ${s}`);
  const v = BigInt(int!) * SCALE + BigInt((frac + "000000").slice(0, 6));
  return neg ? -v : v;
}

/** micro-units → decimal string with up to 6 decimals, trailing zeros trimmed. */
export function formatDecimal(v: bigint): string {
  const neg = v < 0n;
  const a = neg ? -v : v;
  const int = a / SCALE;
  const frac = (a % SCALE).toString().padStart(6, "0").replace(/0+$/, "");
  return `${neg ? "-" : ""}${int}${frac ? "." + frac : ""}`;
}

/** micro-units → decimal string with all 6 decimals, as DuckDB writes a DECIMAL(x,6) ("1500.250000"). */
export function fixedDecimal(v: bigint): string {
  const neg = v < 0n;
  const a = neg ? -v : v;
  return `${neg ? "-" : ""}${a / SCALE}.${(a % SCALE).toString().padStart(6, "0")}`;
}

/** A double read from a cell → micro-units, rounding away float noise at the 6th decimal. */
export function fromNumber(n: number): bigint {
  if (!Number.isFinite(n)) throw new Error(`not a finite number: ${n}`);
  return BigInt(Math.round(n * 1e6));
}

export const toNumber = (v: bigint): number => Number(v) / 1e6;

/** Tolerance of every arithmetic rule: ± 0,001 triệu. */
export const TOLERANCE = 1000n;
export const withinTolerance = (a: bigint, b: bigint): boolean => (a > b ? a - b : b - a) <= TOLERANCE;

// The same check without a BigInt per figure, for the parse's hot path: exact integer Numbers
// while every figure and partial sum is one, the BigInt way (above) otherwise.
const MAX_SAFE = Number.MAX_SAFE_INTEGER;
const TOLERANCE_MICRO = Number(TOLERANCE);

/**
 * A canonical decimal (the parse's "-12.5", at most 6 decimals) in micro-units as an exact
 * integer Number, NaN when it is not one or too large to be exact: the sums of the arithmetic
 * rules are then added without a BigInt per figure (parseDecimal decides whatever this cannot).
 */
export function microNumber(s: string): number {
  const n = s.length;
  let i = 0;
  let neg = false;
  if (n > 0 && s.charCodeAt(0) === 45) {
    neg = true;
    i = 1;
  }
  let v = 0;
  const i0 = i;
  for (; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) break;
    v = v * 10 + (c - 48);
  }
  if (i === i0 || i - i0 > 9) return NaN;
  let scale = 1_000_000;
  if (i < n) {
    if (s.charCodeAt(i) !== 46) return NaN;
    i++;
    let f = 0;
    let k = 0;
    for (; i < n; i++, k++) {
      const c = s.charCodeAt(i);
      if (c < 48 || c > 57 || k >= 6) return NaN;
      f = f * 10 + (c - 48);
      scale /= 10;
    }
    if (k === 0) return NaN;
    v = v * 1_000_000 + f * scale;
  } else v *= 1_000_000;
  return neg ? -v : v;
}

/**
 * withinTolerance(Σ parseDecimal(parts), parseDecimal(total)) in exact integer Numbers when every
 * figure and partial sum is one; undefined when the BigInt way must decide.
 */
export function partsWithin(parts: readonly string[], total: string): boolean | undefined {
  let sum = 0;
  for (const p of parts) {
    const x = microNumber(p);
    if (x !== x) return undefined;
    sum += x;
    if (sum > MAX_SAFE || sum < -MAX_SAFE) return undefined;
  }
  const t = microNumber(total);
  if (t !== t) return undefined;
  const d = sum - t;
  return d <= TOLERANCE_MICRO && d >= -TOLERANCE_MICRO;
}

/**
 * The largest figure the ETL takes has 20 integer digits (below 10^20). The largest the domain
 * holds is a national total in đồng — about 2·10^15 đồng as an indicator in its own unit, 2·10^9 in
 * triệu đồng — so this leaves five orders of magnitude, and the warehouse's DECIMAL(38,6) (32
 * integer digits) still holds the sum of a million such figures. Past it a cell is refused,
 * located (VALUE_TOO_LARGE), instead of failing a cast or an overflow deep in a load.
 */
export const MAX_FIGURE_DIGITS = 20;
export const MAX_FIGURE = "10^20";

/** Does a decimal string ("-123.45") have more integer digits than the warehouse takes? */
export function figureTooLarge(decimal: string): boolean {
  if (decimal.length <= MAX_FIGURE_DIGITS) return false;
  let i = decimal.charCodeAt(0) === 45 ? 1 : 0;
  while (i < decimal.length && decimal.charCodeAt(i) === 48) i++;
  const dot = decimal.indexOf(".", i);
  return (dot < 0 ? decimal.length : dot) - i > MAX_FIGURE_DIGITS;
}
