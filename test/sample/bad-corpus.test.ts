// The committed bad-workbook corpus must be what scripts/make-bad-corpus.ts writes, and stay small.
// The zip bomb takes ~40 s to deflate, so it is not re-generated here: its size and the sizes its
// zip declares are checked instead.
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeBadCorpus } from "../../scripts/make-bad-corpus.js";

const BAD = join(import.meta.dirname, "..", "fixtures", "bad");
const BOMB_CASE = "zip-bomb";

function walk(root: string, dir = root): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...walk(root, p));
    else out.push(relative(root, p).split("\\").join("/"));
  }
  return out.sort();
}

describe("bad-workbook corpus", () => {
  let fresh: string;
  beforeAll(async () => {
    fresh = mkdtempSync(join(tmpdir(), "phuluc-bad-"));
    await makeBadCorpus(fresh, { skip: [BOMB_CASE] });
  });
  afterAll(() => rmSync(fresh, { recursive: true, force: true }));

  it("is byte-identical to a fresh run (bomb aside)", () => {
    const generated = walk(fresh);
    const committed = walk(BAD).filter((f) => !f.includes(`-${BOMB_CASE}/inbox/`));
    expect(committed).toEqual(generated);
    for (const f of generated) {
      expect(readFileSync(join(BAD, f)).equals(readFileSync(join(fresh, f))), `${f}: run npx tsx scripts/make-bad-corpus.ts`).toBe(true);
    }
  });

  it("has at least 30 cases, each with a well-formed expected.json", () => {
    const cases = readdirSync(BAD).filter((d) => /^\d\d-/.test(d));
    expect(cases.length).toBeGreaterThanOrEqual(30);
    for (const c of cases) {
      const e = JSON.parse(readFileSync(join(BAD, c, "expected.json"), "utf8"));
      expect([0, 1], c).toContain(e.exit);
      expect(typeof e.note, c).toBe("string");
      for (const p of e.problems) {
        expect(p.code, c).toMatch(/^[A-Z0-9_]+$/);
        expect(statSync(join(BAD, c, "inbox", p.file)).isFile(), `${c}: ${p.file}`).toBe(true);
      }
      if (e.exit === 1) expect(e.problems.length, c).toBeGreaterThan(0);
    }
  });

  it("stays under 3 MB, and the bomb is small but declares a sheet past 600 MB", () => {
    const total = walk(BAD).reduce((a, f) => a + statSync(join(BAD, f)).size, 0);
    expect(total).toBeLessThan(3 * 1024 * 1024);
    const dir = readdirSync(BAD).find((d) => d.endsWith(`-${BOMB_CASE}`))!;
    const bomb = readFileSync(join(BAD, dir, "inbox", "TDC", "Chi tieu.xlsx"));
    expect(bomb.length).toBeLessThan(1024 * 1024);
    // Central directory entries (PK\x01\x02): uncompressed size at offset 24.
    let largest = 0;
    for (let i = bomb.indexOf("PK\x01\x02"); i >= 0; i = bomb.indexOf("PK\x01\x02", i + 4)) {
      largest = Math.max(largest, bomb.readUInt32LE(i + 24));
    }
    expect(largest).toBeGreaterThan(600 * 1024 * 1024);
  });
});
