// The loader asks its parser for the next files while it stages one: as many as the parser reads
// at once, and those it queues for its readers besides — never more, so that what a load holds
// in memory stays bounded whatever the inbox's size.
import { describe, expect, it } from "vitest";
import { loadFiles, type FileParser } from "../../warehouse/load.js";
import type { InboxScan, ParsedFile } from "../../warehouse/model.js";
import { file, tempDb } from "./helpers.js";

const province = { code: "80", name: "Long An" };
const files = Array.from({ length: 6 }, (_, i) => file(`P.QLKH/f${i}.xlsx`));
const scan: InboxScan = {
  files: files.map((f) => ({ fileId: f.fileId, office: f.office, path: f.fileId, size: f.size, mtimeMs: f.mtimeMs })),
  skipped: [],
  problems: [],
};

/** A parser that answers a file only when the test lets it, and records what was asked when. */
function heldParser(o: { concurrency?: number; queued?: number }) {
  const asked: string[] = [];
  const release = new Map<string, () => void>();
  const parse = Object.assign(
    (f: { fileId: string }) =>
      new Promise<ParsedFile>((resolve) => {
        asked.push(f.fileId);
        release.set(f.fileId, () => resolve(structuredClone(files.find((x) => x.fileId === f.fileId)!)));
      }),
    o,
  ) as FileParser;
  return { parse, asked, release };
}

const tick = () => new Promise((r) => setTimeout(r, 20));

describe("reading ahead", () => {
  for (const [o, window] of [
    [{}, 1],
    [{ concurrency: 1, queued: 1 }, 2],
    [{ concurrency: 2, queued: 1 }, 3],
  ] as const) {
    it(`keeps ${window} file(s) asked for ahead of the one staged (${JSON.stringify(o)})`, async () => {
      const { parse, asked, release } = heldParser(o);
      const load = loadFiles(scan, parse, { dbPath: tempDb(), province });
      await tick();
      // before the first file is answered: the window, and not one more
      expect(asked).toEqual(files.slice(0, window).map((f) => f.fileId));
      for (let i = 0; i < files.length; i++) {
        release.get(files[i]!.fileId)!();
        // wait until the loader has staged file i and asked for the next (or for the end)
        for (let t = 0; t < 200 && asked.length < Math.min(files.length, i + 1 + window); t++) await tick();
        expect(asked.length).toBe(Math.min(files.length, i + 1 + window));
      }
      const r = await load;
      expect(r.outcome).toBe("loaded");
      expect(r.files.map((f) => f.fileId)).toEqual(files.map((f) => f.fileId));
    });
  }
});
