// What is checked before SQL reaches DuckDB at all: its length, how deeply it nests, and that it
// starts like a query. Counting statements and deciding the statement type is DuckDB's job (the
// worker asks its parser); this only keeps absurd input (10 000 parentheses, a megabyte of SQL)
// away from the parser and refuses PRAGMA, which DuckDB rewrites into a SELECT.
import { ApiError } from "../errors.js";

export interface ShapeLimits {
  maxLength: number;
  maxDepth: number;
}

export const DEFAULT_SHAPE: ShapeLimits = { maxLength: 20_000, maxDepth: 100 };

/** Words a read-only query may start with (DuckDB's friendly forms included). */
const STARTS = new Set(["select", "with", "from", "values", "table", "show", "describe", "summarize", "pivot", "unpivot"]);

export function checkShape(sql: string, limits: ShapeLimits = DEFAULT_SHAPE): void {
  // Nesting first: "10 000 parentheses" is the more telling answer than "too long".
  const { depth, firstWord } = scan(sql);
  if (depth > limits.maxDepth) {
    throw new ApiError(
      "QUERY_TOO_DEEP",
      `câu SQL lồng nhau quá ${limits.maxDepth} cấp ngoặc`,
      `SQL nested deeper than ${limits.maxDepth} parentheses`,
    );
  }
  if (sql.length > limits.maxLength) {
    throw new ApiError(
      "QUERY_TOO_LONG",
      `câu SQL dài quá ${limits.maxLength} ký tự`,
      `SQL longer than ${limits.maxLength} characters`,
      `${sql.length}`,
    );
  }
  if (firstWord === "") {
    throw new ApiError("QUERY_SYNTAX", "câu SQL trống", "empty SQL");
  }
  if (!STARTS.has(firstWord)) {
    throw new ApiError(
      "QUERY_NOT_SELECT",
      "chỉ được chạy một câu SELECT",
      "only a single SELECT is allowed",
      `starts with ${firstWord.toUpperCase().slice(0, 40)}`,
    );
  }
}

/**
 * The deepest nesting of ( and [ outside string literals, quoted identifiers and comments, and
 * the first word outside comments and parentheses (lowercased).
 */
export function scan(sql: string): { depth: number; firstWord: string } {
  let depth = 0;
  let max = 0;
  let firstWord: string | null = null;
  const n = sql.length;
  let i = 0;
  while (i < n) {
    const c = sql[i];
    const next = sql[i + 1];
    if (c === "-" && next === "-") {
      const e = sql.indexOf("\n", i + 2);
      i = e < 0 ? n : e + 1;
      continue;
    }
    if (c === "/" && next === "*") {
      // Block comments nest in DuckDB's (PostgreSQL's) grammar.
      let level = 1;
      i += 2;
      while (i < n && level > 0) {
        if (sql[i] === "/" && sql[i + 1] === "*") {
          level++;
          i += 2;
        } else if (sql[i] === "*" && sql[i + 1] === "/") {
          level--;
          i += 2;
        } else i++;
      }
      continue;
    }
    if (c === "'" || c === '"') {
      i++;
      while (i < n) {
        if (sql[i] === c) {
          if (sql[i + 1] === c) {
            i += 2;
            continue;
          }
          break;
        }
        i++;
      }
      i++;
      if (firstWord === null) firstWord = "'";
      continue;
    }
    if (c === "$") {
      // $tag$ … $tag$ or $$ … $$ dollar quoting; $name is a parameter.
      const m = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(sql.slice(i, i + 66));
      if (m) {
        const end = sql.indexOf(m[0], i + m[0].length);
        i = end < 0 ? n : end + m[0].length;
        continue;
      }
    }
    if (c === "(" || c === "[") {
      depth++;
      if (depth > max) max = depth;
    } else if (c === ")" || c === "]") {
      depth = Math.max(0, depth - 1);
    } else if (firstWord === null && /[A-Za-z_]/.test(c)) {
      let j = i;
      while (j < n && /[A-Za-z0-9_]/.test(sql[j])) j++;
      firstWord = sql.slice(i, j).toLowerCase();
      i = j;
      continue;
    } else if (firstWord === null && !/[\s(;]/.test(c)) {
      firstWord = c;
    }
    i++;
  }
  return { depth: max, firstWord: firstWord ?? "" };
}
