// One decoding for the toolkit: the ETL's scanner, the fill's fast XML reader and its tree read a
// text the same way, and what the fill's writers escape reads back as it was.
import { describe, expect, it } from "vitest";
import { decodeReferences, decodeXstring, encodeXstring, escapeAttr, escapeText } from "../../xlsx/escape.js";
import { decodeEntities } from "../../xlsx/scanner.js";
import { parseXml, textOf } from "../../xlsx/xml.js";
import { XlsxInvalidError } from "../../xlsx/types.js";

const keep = (): null => null;

describe("xlsx/escape", () => {
  it("decodes references once, left to right, whoever reads", () => {
    const raw = "a &lt;b&gt; &amp;lt; &#65;&#x42; &quot;&apos;";
    expect(decodeReferences(raw, keep)).toBe(`a <b> &lt; AB "'`);
    expect(decodeEntities(raw)).toBe(decodeReferences(raw, keep));
    expect(textOf(parseXml(`<t>${raw}</t>`).root)).toBe(decodeReferences(raw, keep));
  });

  it("keeps or refuses what XML does not know, as the caller says", () => {
    expect(decodeReferences("R&D &nbsp; &#x; &amp;", keep)).toBe("R&D &nbsp; &#x; &");
    expect(decodeEntities("R&D &nbsp; &amp;")).toBe("R&D &nbsp; &");
    expect(() => decodeEntities("a&#1;b")).toThrow(XlsxInvalidError);
    expect(() => decodeEntities("a&#xFFFE;b")).toThrow(/&#xFFFE;/);
    const seen: string[] = [];
    decodeReferences("&#1; &foo;", (ref, why) => (seen.push(`${why} ${ref}`), "?"));
    expect(seen).toEqual(["forbidden &#1;", "unknown &foo;"]);
  });

  it("escapes text and attributes so that the tree reads them back unchanged", () => {
    for (const s of ["plain", "a<b>&c", "line\r\nbreak\rcr", 'q"uote\ttab\nlf', "&amp; literal"]) {
      const doc = parseXml(`<r a="${escapeAttr(s)}">${escapeText(s)}</r>`);
      expect(textOf(doc.root)).toBe(s);
      expect(doc.root.attrs.get("a")).toBe(s);
    }
  });

  it("round-trips Excel's _xHHHH_ escape, a literal \"_x000D_\" included", () => {
    for (const s of ["a\rb", "_x000D_", "tab\u0001", "x_x005F_y"]) expect(decodeXstring(encodeXstring(s))).toBe(s);
    expect(decodeXstring("a_x000D_\nb")).toBe("a\r\nb");
    expect(decodeXstring("_x005F_x000D_")).toBe("_x000D_");
  });
});
