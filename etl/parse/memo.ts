// Caches for the pure text functions the parse calls once per cell: value lists, months and
// header words repeat down a sheet, so each distinct text is worked out once. Bounded: a cache
// that fills up starts again (the texts that repeat come back at once).

const LIMIT = 20_000;

/** fn, remembering its result by its (string) argument. Only for pure functions of one text. */
export function memo<R>(fn: (text: string) => R, keep: (r: R) => boolean = () => true): (text: string) => R {
  const cache = new Map<string, R>();
  return (text: string): R => {
    let r = cache.get(text);
    if (r === undefined && !cache.has(text)) {
      r = fn(text);
      if (typeof text === "string" && keep(r)) {
        if (cache.size >= LIMIT) cache.clear();
        cache.set(text, r);
      }
    }
    return r as R;
  };
}
