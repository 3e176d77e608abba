// The bad-workbook corpus (test/fixtures/bad, made by scripts/make-bad-corpus.ts) at the ETL's
// level: every problem of a file that the ETL itself must find is found at its place, and
// nothing else is an error or a warning. Cross-file problems are the loader's and not checked here.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { acrossFiles, CODES } from "../../core/codes.js";
import { scanInbox } from "../../etl/inbox.js";
import { readInboxFile } from "../../etl/read.js";
import { LIMITS } from "./helpers.js";

const ROOT = join(import.meta.dirname, "../fixtures/bad");
interface Expected {
  exit: number;
  problems: { code: string; file: string; sheet?: string; cell?: string; other?: { file?: string } }[];
}
const cases = existsSync(ROOT) ? readdirSync(ROOT).filter((c) => existsSync(join(ROOT, c, "expected.json"))).sort() : [];
// the loader's cross-file checks (codes of its own, or a second place in another file)
const crossFile = (e: Expected["problems"][number]) =>
  !(e.code in CODES) || acrossFiles(e.code) || (e.other?.file !== undefined && e.other.file !== e.file);

describe.runIf(cases.length > 0)("bad-workbook corpus, file by file", () => {
  test.each(cases)("%s", async (c) => {
    const exp = JSON.parse(readFileSync(join(ROOT, c, "expected.json"), "utf8")) as Expected;
    const scan = scanInbox(join(ROOT, c, "inbox"));
    const got = [...scan.problems];
    // a lower inflate limit: the zip bomb then stops within seconds, the rest is far below it
    const limits = { ...LIMITS, maxInflatedBytes: 64 * 1024 * 1024 };
    for (const f of scan.files) got.push(...(await readInboxFile(f.path, f.fileId, f.office, { limits, province: "80" })).problems);
    for (const e of exp.problems.filter((p) => !crossFile(p))) {
      const hit = got.find(
        (p) => p.code === e.code && p.place.file === e.file && (e.sheet === undefined || p.place.sheet === e.sheet) && (e.cell === undefined || p.place.cell === e.cell),
      );
      expect(hit, `${e.code} at ${e.file} ${e.sheet ?? ""}!${e.cell ?? ""}`).toBeDefined();
    }
    const unexpected = got
      .filter((p) => p.severity !== "info" && !exp.problems.some((e) => e.code === p.code && e.file === p.place.file))
      .filter((p) => !(p.code === "FILE_NO_DATA" && exp.problems.some((e) => e.code === "SHEET_NO_ROWS")));
    expect(unexpected.map((p) => `${p.code} ${p.place.file} ${p.place.sheet ?? ""}!${p.place.cell ?? ""}`)).toEqual([]);
  });
});
