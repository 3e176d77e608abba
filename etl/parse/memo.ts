// Caches for the pure text functions the parse calls once per cell: value lists, months and
// header words repeat down a sheet, so each distinct text is worked out once. Bounded: a cache
// that fills up starts again (the texts that repeat come back at once).

const LIMIT = 20_000;
const NONE = Symbol("none");

/** fn, remembering its result by its (string) argument. Only for pure functions of one text. */
export function memo<R>(fn: (text: string) => R, keep: (r: R) => boolean = () => true): (text: string) => R {
  const cache = new Map<string, R>();
  // The last four texts asked and their (cached) results, told by comparison before the Map is
  // asked: a column's values repeat row after row (a level, a field, a number format), and the
  // Map's lookup cost more than the few comparisons. Only texts are remembered, never matched
  // by another value.
  let t0: unknown = NONE;
  let t1: unknown = NONE;
  let t2: unknown = NONE;
  let t3: unknown = NONE;
  let r0: R | undefined;
  let r1: R | undefined;
  let r2: R | undefined;
  let r3: R | undefined;
  let next = 0;
  const remember = (text: string, r: R): void => {
    switch (next) {
      case 0:
        t0 = text;
        r0 = r;
        break;
      case 1:
        t1 = text;
        r1 = r;
        break;
      case 2:
        t2 = text;
        r2 = r;
        break;
      default:
        t3 = text;
        r3 = r;
    }
    next = (next + 1) & 3;
  };
  return (text: string): R => {
    if (text === t0) return r0 as R;
    if (text === t1) return r1 as R;
    if (text === t2) return r2 as R;
    if (text === t3) return r3 as R;
    let r = cache.get(text);
    if (r === undefined && !cache.has(text)) {
      r = fn(text);
      if (typeof text === "string" && keep(r)) {
        if (cache.size >= LIMIT) cache.clear();
        cache.set(text, r);
        remember(text, r);
      }
    } else if (typeof text === "string") remember(text, r as R);
    return r as R;
  };
}
