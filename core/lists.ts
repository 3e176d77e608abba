// Empty arrays made for values that are not small integers (objects, strings, undefined).
//
// V8 keeps an array's elements as one "kind": `[]` starts as small integers and becomes "any
// value" at the first object or string put in it. Hot code compiled while it had seen only one
// kind at a place (a sheet's columns all given, a list that stays empty in one file and not in
// the next) was thrown away and compiled again when the other came ("wrong map", "not a Smi"):
// several hundred milliseconds of the optimising compiler in the ETL's loads (issue 16).
//
// The copy of an empty "any value" array is one too. A copy, not a literal: a literal's arrays
// are counted at its place in the code, and when the garbage collector finds they live long it
// has them made in the old generation from then on, throwing away the optimised code that makes
// them: a list kept until the end of a file (a task's figures) was that too.
const NONE: unknown[] = [undefined];
NONE.pop();

/** An empty array whose elements are already of the kind objects and strings need. */
export function emptyList<T>(): T[] {
  return NONE.slice() as T[];
}

/** A typed array's elements in a new one of its kind, `size` long: a growable column's next size. */
export function grown<T extends Int32Array | Float64Array | BigInt64Array>(a: T, size: number): T {
  const b = new (a.constructor as new (n: number) => T)(size);
  b.set(a as never);
  return b;
}
