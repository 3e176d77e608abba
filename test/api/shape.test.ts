// What is checked before SQL reaches DuckDB, and the parameters' parsing.
import { describe, expect, it } from "vitest";
import { ApiError } from "../../api/errors.js";
import { parseCliParams, parseJsonParams } from "../../api/sandbox/params.js";
import { checkShape, scan } from "../../api/sandbox/shape.js";

const code = (fn: () => unknown): string | null => {
  try {
    fn();
    return null;
  } catch (e) {
    return e instanceof ApiError ? e.code : String(e);
  }
};

describe("shape", () => {
  it("counts nesting outside strings, quoted names and comments", () => {
    expect(scan("select ((1)), [[2]]").depth).toBe(2);
    expect(scan("select '((((((' as a, \"((((\" as b -- ((((\n/* (((( /* nested (( */ ((( */ from t").depth).toBe(0);
    expect(scan("select 'it''s (' || $$ (((( $$ || $tag$ (( $tag$, $p").depth).toBe(0);
    expect(scan("select (( 'x' ))").depth).toBe(2);
  });

  it("finds the first word past comments and parentheses", () => {
    expect(scan("  /* c */ -- d\n ( SELECT 1)").firstWord).toBe("select");
    expect(scan("\n\nPRAGMA show_tables").firstWord).toBe("pragma");
    expect(scan(";; with x as (select 1) select * from x").firstWord).toBe("with");
    expect(scan("   ").firstWord).toBe("");
  });

  it("refuses by length, depth, emptiness and first word; passes queries", () => {
    expect(code(() => checkShape("select 1"))).toBeNull();
    expect(code(() => checkShape("from task"))).toBeNull();
    expect(code(() => checkShape("select " + "(".repeat(101) + "1" + ")".repeat(101)))).toBe("QUERY_TOO_DEEP");
    expect(code(() => checkShape("select " + "(".repeat(100) + "1" + ")".repeat(100)))).toBeNull();
    expect(code(() => checkShape("select '" + "x".repeat(20_000) + "'"))).toBe("QUERY_TOO_LONG");
    expect(code(() => checkShape("-- nothing"))).toBe("QUERY_SYNTAX");
    expect(code(() => checkShape("pragma version"))).toBe("QUERY_NOT_SELECT");
    expect(code(() => checkShape("'select'"))).toBe("QUERY_NOT_SELECT");
  });
});

describe("parameters", () => {
  it("parses name=value and name:type=value from the command line", () => {
    expect(parseCliParams(["y=2025", "d:date=2024-01-01", "n:decimal=-1.50", "t:text=a=b", "i:integer=5", "b:bool=TRUE"])).toEqual({
      y: { type: "auto", value: "2025" },
      d: { type: "date", value: "2024-01-01" },
      n: { type: "decimal", value: "-1.50" },
      t: { type: "text", value: "a=b" },
      i: { type: "int", value: "5" },
      b: { type: "bool", value: "TRUE" },
    });
  });

  it("refuses bad names, types, values and duplicates", () => {
    for (const bad of [["=1"], ["1x=2"], ["a:date=2024-13"], ["a:int=1.5"], ["a:decimal=1e5"], ["a:nope=1"], ["a=1", "a=2"], ["a"], ["a:b:c=1"]]) {
      expect([bad, code(() => parseCliParams(bad))]).toEqual([bad, "QUERY_PARAMS"]);
    }
  });

  it("types JSON values by their JSON type unless a suffix says otherwise", () => {
    expect(parseJsonParams({ a: 1, b: 1.5, c: true, d: null, e: "x", "f:decimal": "2.5", "g:text": 7 })).toEqual({
      a: { type: "int", value: "1" },
      b: { type: "double", value: "1.5" },
      c: { type: "bool", value: "true" },
      d: { type: "auto", value: null },
      e: { type: "auto", value: "x" },
      f: { type: "decimal", value: "2.5" },
      g: { type: "text", value: "7" },
    });
    expect(code(() => parseJsonParams({ a: [1] }))).toBe("QUERY_PARAMS");
    expect(code(() => parseJsonParams({ a: Number.NaN }))).toBe("QUERY_PARAMS");
  });
});
