// Query parameters, typed. From the command line: `name=value` (typed by the SQL's own use of
// $name — DuckDB infers the parameter's type from its context and casts the text), or
// `name:int=5`, `name:date=2024-01-01`, `name:decimal=1.5`, `name:text=…`. From the API: a JSON
// object whose keys may carry the same `:type` suffix; JSON numbers and booleans keep their type.
import { ApiError } from "../errors.js";

export const PARAM_TYPES = ["auto", "text", "int", "double", "decimal", "date", "timestamp", "bool"] as const;
export type ParamType = (typeof PARAM_TYPES)[number];
export interface TypedParam {
  type: ParamType;
  /** the value as text (null binds NULL) */
  value: string | null;
}
export type TypedParams = Record<string, TypedParam>;

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$|^[1-9][0-9]{0,3}$/;
const ALIASES: Record<string, ParamType> = {
  integer: "int",
  bigint: "int",
  float: "double",
  number: "double",
  numeric: "decimal",
  varchar: "text",
  string: "text",
  boolean: "bool",
};

const bad = (detail: string) => new ApiError("QUERY_PARAMS", "tham số không hợp lệ", "invalid parameter", detail);

function parseKey(key: string): { name: string; type: ParamType | null } {
  const [name, rawType, ...rest] = key.split(":");
  if (rest.length > 0 || !NAME.test(name)) throw bad(`name "${key}"`);
  if (rawType === undefined) return { name, type: null };
  const t = (ALIASES[rawType.toLowerCase()] ?? rawType.toLowerCase()) as ParamType;
  if (!PARAM_TYPES.includes(t)) throw bad(`type "${rawType}" (int, double, decimal, date, timestamp, text, bool)`);
  return { name, type: t };
}

function check(name: string, p: TypedParam): TypedParam {
  const v = p.value;
  if (v === null) return p;
  const ok: Record<ParamType, (s: string) => boolean> = {
    auto: () => true,
    text: () => true,
    int: (s) => /^[+-]?\d{1,38}$/.test(s),
    double: (s) => s.trim() !== "" && Number.isFinite(Number(s)),
    decimal: (s) => /^[+-]?(\d{1,38}(\.\d{0,37})?|\.\d{1,37})$/.test(s) && s.replace(/[^0-9]/g, "").length <= 38,
    date: (s) => /^\d{4}-\d{2}-\d{2}$/.test(s),
    timestamp: (s) => /^\d{4}-\d{2}-\d{2}([ T]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?)?(Z|[+-]\d{2}(:?\d{2})?)?$/.test(s),
    bool: (s) => /^(true|false)$/i.test(s),
  };
  if (!ok[p.type](v)) throw bad(`${name}: "${v.slice(0, 60)}" is not a ${p.type}`);
  return p;
}

/** `name=value`, `name:type=value` (command line). */
export function parseCliParams(items: string[]): TypedParams {
  const out: TypedParams = {};
  for (const item of items) {
    const eq = item.indexOf("=");
    if (eq <= 0) throw bad(`"${item}": expected name=value or name:type=value`);
    const { name, type } = parseKey(item.slice(0, eq));
    if (name in out) throw bad(`${name} given twice`);
    out[name] = check(name, { type: type ?? "auto", value: item.slice(eq + 1) });
  }
  return out;
}

/** The API's JSON params object. */
export function parseJsonParams(obj: Record<string, unknown> | undefined): TypedParams {
  const out: TypedParams = {};
  for (const [key, raw] of Object.entries(obj ?? {})) {
    const { name, type } = parseKey(key);
    if (name in out) throw bad(`${name} given twice`);
    let p: TypedParam;
    if (raw === null) p = { type: type ?? "auto", value: null };
    else if (typeof raw === "number") {
      if (!Number.isFinite(raw)) throw bad(`${name}: not a finite number`);
      p = { type: type ?? (Number.isSafeInteger(raw) ? "int" : "double"), value: String(raw) };
    } else if (typeof raw === "boolean") p = { type: type ?? "bool", value: String(raw) };
    else if (typeof raw === "string") p = { type: type ?? "auto", value: raw };
    else throw bad(`${name}: a string, number, boolean or null`);
    out[name] = check(name, p);
  }
  return out;
}
