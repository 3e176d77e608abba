// A merged department's inbox: a first-level folder named after a former province ("72 Tây Ninh")
// holds that province's offices; any other folder is an office, as before.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { scanInbox } from "../../etl/inbox.js";
import { originOfFile } from "../../core/units.js";

describe("inbox with former provinces' folders", () => {
  const dir = mkdtempSync(join(tmpdir(), "phuluc-inbox-units-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("reads a former province's folder as an inbox of its own, keeping the folder in the identity", () => {
    const put = (rel: string) => {
      mkdirSync(join(dir, rel, ".."), { recursive: true });
      writeFileSync(join(dir, rel), "x");
    };
    put("P.KHTC/du toan 2026.xlsx");
    put("72 Tây Ninh/P.KHTC/du toan.xlsx");
    put("72 Tây Ninh/tong hop.xlsx");
    put("72 Tây Ninh/processed/old.xlsx");
    put("80-Long An/P.QLKH/danh muc.xlsx");
    put("10 Thanh tra/bao cao.xlsx"); // digits, but no former province of that name: an office
    put("10 Thanh tra/sub/deeper.xlsx");
    const s = scanInbox(dir);
    expect(s.files.map((f) => [f.fileId, f.office]).sort()).toEqual([
      ["10 Thanh tra/bao cao.xlsx", "10 Thanh tra"],
      ["72 Tây Ninh/P.KHTC/du toan.xlsx", "P.KHTC"],
      ["72 Tây Ninh/tong hop.xlsx", "chung"],
      ["80-Long An/P.QLKH/danh muc.xlsx", "P.QLKH"],
      ["P.KHTC/du toan 2026.xlsx", "P.KHTC"],
    ]);
    expect(s.files.map((f) => originOfFile(f.fileId)?.id ?? "").sort()).toEqual(["", "", "72@2008", "72@2008", "80@2008"]);
  });
});
