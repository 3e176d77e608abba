// Caches for the pure text functions the parse calls once per cell: value lists, months and
// header words repeat down a sheet, so each distinct text is worked out once. Bounded: a cache
// that fills up starts again (the texts that repeat come back at once).

const LIMIT = 20_000;
const NONE = Symbol("none");

/** fn, remembering its result by its (string) argument. Only for pure functions of one text. */
export function memo<R>(fn: (text: string) => R, keep: (r: R) => boolean = () => true): (text: string) => R {
  const cache = new Map<string, R>();
  // the last text asked and its (cached) result: a column's values repeat row after row, and the
  // same string object is told by one comparison, before the Map hashes it
  // (only ever a string: undefined or another value is never remembered, nor matched)
  let lastText: unknown = NONE;
  let lastResult: R | undefined = undefined;
  return (text: string): R => {
    if (text === lastText) return lastResult as R;
    let r = cache.get(text);
    if (r === undefined && !cache.has(text)) {
      r = fn(text);
      if (typeof text === "string" && keep(r)) {
        if (cache.size >= LIMIT) cache.clear();
        cache.set(text, r);
        lastText = text;
        lastResult = r;
      }
    } else if (typeof text === "string") {
      lastText = text;
      lastResult = r;
    }
    return r as R;
  };
}
