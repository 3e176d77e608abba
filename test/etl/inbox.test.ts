import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { expect, test } from "vitest";
import { scanInbox } from "../../etl/inbox.js";
import { tmpDir } from "./helpers.js";

test("offices are first-level folders; only .xlsx/.xlsm (and .xls/.ods for their clear error) are read", () => {
  const dir = tmpDir();
  const put = (p: string) => {
    mkdirSync(join(dir, p, ".."), { recursive: true });
    writeFileSync(join(dir, p), "x");
  };
  put("tong hop.xlsx");
  put("P.KHTC/du toan 2024.xlsx");
  put("P.KHTC/macro.XLSM");
  put("P.KHTC/cu.xls");
  put("P.KHTC/lo.ods");
  put("P.KHTC/~$du toan 2024.xlsx");
  put("P.KHTC/.hidden.xlsx");
  put("P.KHTC/ghi chu.txt");
  put("P.KHTC/2023/old.xlsx");
  put("processed/P.KHTC/x.xlsx");
  put("rejected/y.xlsx");
  put("Phòng Quản lý KH".normalize("NFD") + "/NV 2023 (bản cuối).xlsx".normalize("NFD"));
  const scan = scanInbox(dir);
  expect(scan.files.map((f) => [f.fileId, f.office])).toEqual([
    ["tong hop.xlsx", "chung"],
    ["P.KHTC/cu.xls", "P.KHTC"],
    ["P.KHTC/du toan 2024.xlsx", "P.KHTC"],
    ["P.KHTC/lo.ods", "P.KHTC"],
    ["P.KHTC/macro.XLSM", "P.KHTC"],
    ["Phòng Quản lý KH/NV 2023 (bản cuối).xlsx", "Phòng Quản lý KH"],
  ]);
  expect(scan.files[5]!.fileId).toBe(scan.files[5]!.fileId.normalize("NFC"));
  expect(scan.skipped).toEqual([
    { fileId: "P.KHTC/.hidden.xlsx", reason: "hidden file" },
    { fileId: "P.KHTC/ghi chu.txt", reason: "not a spreadsheet (.xlsx/.xlsm)" },
    { fileId: "P.KHTC/~$du toan 2024.xlsx", reason: "Excel lock file" },
  ]);
  expect(scan.problems.map((p) => [p.code, p.severity, p.place.file])).toEqual([
    ["FILE_SKIPPED", "info", "P.KHTC/.hidden.xlsx"],
    ["FILE_SKIPPED", "info", "P.KHTC/ghi chu.txt"],
    ["FILE_SKIPPED", "info", "P.KHTC/~$du toan 2024.xlsx"],
  ]);
  expect(scan.problems[2]!.en).toContain("P.KHTC/~$du toan 2024.xlsx");
});

test("an empty or missing inbox scans to nothing", () => {
  expect(scanInbox(join(tmpDir(), "nope"))).toEqual({ files: [], skipped: [], problems: [] });
});
