// The fill's fast XML reader (xlsx/fastxml.ts) against saxes, the library it stands beside:
// on every XML part of the packages in this repository and on seeded mutations of them, a text
// the fast reader accepts must give exactly saxes's events, and a text saxes refuses must never
// be accepted by the fast reader (it hands anything it doubts to saxes).
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { unzipSync } from "fflate";
import { describe, expect, it } from "vitest";
import { scanXml, XmlFallback, type XmlEvents } from "../../xlsx/fastxml.js";
import { saxesEvents } from "../../xlsx/xml.js";
import { seededRandom } from "../../core/random.js";

type Ev = (string | boolean | [string, string][])[];

/** Every event as plain data; offsets left out (saxes gives none). */
function record(read: (ev: XmlEvents) => void): Ev[] {
  const out: Ev[] = [];
  read({
    xmldecl: (d) => out.push(["decl", d.version, d.encoding ?? "", d.standalone ?? ""]),
    opentag: (name, attrs, self) => out.push(["open", name, [...attrs.entries()], self]),
    closetag: (name) => out.push(["close", name]),
    text: (t) => out.push(["text", t]),
    cdata: (t) => out.push(["cdata", t]),
    comment: (t) => out.push(["comment", t]),
    pi: (target, body) => out.push(["pi", target, body]),
  });
  return out;
}

type Outcome = { ok: true; events: Ev[] } | { ok: false; fallback: boolean; error: string };
function run(read: (ev: XmlEvents) => void): Outcome {
  try {
    return { ok: true, events: record(read) };
  } catch (e) {
    return { ok: false, fallback: e instanceof XmlFallback, error: String(e) };
  }
}

function packages(dir: string, out: string[] = []): string[] {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) packages(p, out);
    else if (/\.xls[xm]$/i.test(e.name) && statSync(p).size < 20_000_000) out.push(p);
  }
  return out;
}

/** The XML parts of every readable package under test/fixtures and sample/, distinct. */
function xmlParts(): { where: string; text: string }[] {
  const seen = new Set<string>();
  const out: { where: string; text: string }[] = [];
  for (const file of [...packages("test/fixtures"), ...packages("sample")].sort()) {
    let entries: Record<string, Uint8Array>;
    try {
      entries = unzipSync(readFileSync(file));
    } catch {
      continue; // the bad-input corpus: not a zip, encrypted, a bomb …
    }
    for (const [name, bytes] of Object.entries(entries)) {
      if (!/\.(xml|rels|vml)$/i.test(name) || bytes.length > 1_000_000) continue; // big sheets: the same shapes as small ones, slowly
      const text = new TextDecoder().decode(bytes);
      if (seen.has(text)) continue;
      seen.add(text);
      out.push({ where: `${file}!${name}`, text });
    }
  }
  return out;
}

const PIECES = ["<", ">", "/", "&", ";", '"', "'", "=", " ", "\n", "\r\n", "\t", "\u0000", "&amp;", "&#x41;", "&#0;", "&bogus;", "<!--", "-->", "<![CDATA[", "]]>", "<?x y?>", "<!DOCTYPE x>", "a", "é", "\ud800", "😀", ":"];

function mutate(text: string, r: () => number): string {
  let s = text;
  const n = 1 + Math.floor(r() * 3);
  for (let i = 0; i < n; i++) {
    const at = Math.floor(r() * (s.length + 1));
    const op = r();
    if (op < 0.4) s = s.slice(0, at) + PIECES[Math.floor(r() * PIECES.length)]! + s.slice(at);
    else if (op < 0.8) s = s.slice(0, at) + s.slice(at + 1 + Math.floor(r() * 4));
    else {
      const b = Math.floor(r() * (s.length + 1));
      s = s.slice(0, at) + s.slice(at, at + 1 + Math.floor(r() * 8)) + s.slice(b);
    }
  }
  return s;
}

describe("fast XML reader against saxes", () => {
  const parts = xmlParts();

  it("gives saxes's events on every XML part of the repository's packages", () => {
    expect(parts.length).toBeGreaterThan(100);
    let fast = 0;
    for (const p of parts) {
      const mine = run((ev) => scanXml(p.text, ev));
      const theirs = run((ev) => saxesEvents(p.text, ev));
      expect(theirs.ok, p.where).toBe(true);
      if (mine.ok) {
        fast++;
        expect(mine, p.where).toEqual(theirs);
      } else expect(mine.fallback, `${p.where}: ${mine.error}`).toBe(true);
    }
    // the fast path must be the one taken, or this test proves nothing
    expect(fast / parts.length).toBeGreaterThan(0.95);
  });

  it("never accepts what saxes refuses, and agrees on what both accept (seeded mutations)", () => {
    const r = seededRandom(20261128); // a failing mutation replays from this seed
    const small = parts.filter((p) => p.text.length < 60_000);
    let accepted = 0;
    let refusedBySaxes = 0;
    for (let i = 0; i < 3000; i++) {
      const p = small[Math.floor(r() * small.length)]!;
      const text = mutate(p.text, r);
      const mine = run((ev) => scanXml(text, ev));
      const theirs = run((ev) => saxesEvents(text, ev));
      const label = `${p.where} mutation ${i}`;
      if (!theirs.ok) {
        refusedBySaxes++;
        expect(mine.ok, label).toBe(false);
      } else if (mine.ok) {
        accepted++;
        expect(mine, label).toEqual(theirs);
      } else expect(mine.fallback, `${label}: ${mine.error}`).toBe(true);
    }
    // both branches were exercised
    expect(refusedBySaxes).toBeGreaterThan(300);
    expect(accepted).toBeGreaterThan(300);
  });
});
