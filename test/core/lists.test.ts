import { describe, expect, it } from "vitest";
import { emptyList } from "../../core/lists.js";

describe("emptyList", () => {
  it("gives a new empty array each time, which takes any values", () => {
    const a = emptyList<string>();
    const b = emptyList<{ x: number }>();
    expect(a).toEqual([]);
    expect(a).not.toBe(b);
    a.push("x", "y");
    b.push({ x: 1 });
    expect(a).toEqual(["x", "y"]);
    expect(b).toEqual([{ x: 1 }]);
    expect(emptyList()).toEqual([]);
    expect(Array.isArray(emptyList())).toBe(true);
  });
});
