// Money is DECIMAL(18,6) triệu đồng in the warehouse. In TypeScript it travels as a scaled
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
