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

/** A double read from a cell → micro-units, rounding away float noise at the 6th decimal. */
export function fromNumber(n: number): bigint {
  if (!Number.isFinite(n)) throw new Error(`not a finite number: ${n}`);
  return BigInt(Math.round(n * 1e6));
}

export const toNumber = (v: bigint): number => Number(v) / 1e6;

/** Tolerance of every arithmetic rule: ± 0,001 triệu. */
export const TOLERANCE = 1000n;
export const withinTolerance = (a: bigint, b: bigint): boolean => (a > b ? a - b : b - a) <= TOLERANCE;

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
