// The inbox is a drop box: offices are its first-level folders, files directly in it belong to
// "chung". Deeper folders and the ETL's own processed/ and rejected/ are not looked into.
// A merged department's inbox may also hold one folder per former province, named "<code> <name>"
// of the former unit ("72 Tây Ninh", "80 Long An"): inside it the same layout again (offices as
// its folders, its own files "chung"); the file identity keeps the folder ("72 Tây Ninh/P.KHTC/…"),
// which is how the loader knows a figure's origin (core/units.ts originOfFile).
// .xls and .ods are passed on to the reader on purpose: its sniffer gives them the clear
// "save it as .xlsx" error, which a silent skip would not.
import { readdirSync, statSync, type Dirent } from "node:fs";
import { join } from "node:path";
import { nfc } from "../core/text.js";
import type { InboxScan } from "../warehouse/model.js";
import { prob } from "../core/codes.js";
import { formerUnitFolder } from "../core/units.js";

export const CHUNG = "chung";
const NOT_SCANNED = new Set(["processed", "rejected"]);
const READ_EXT = /\.(xlsx|xlsm|xls|ods)$/i;

type Skip = { reason: string; reasonVi: string };

function skipReason(name: string): Skip | null {
  if (name.startsWith("~$")) return { reason: "Excel lock file", reasonVi: "tệp khóa của Excel" };
  if (name.startsWith(".")) return { reason: "hidden file", reasonVi: "tệp ẩn" };
  if (!READ_EXT.test(name)) return { reason: "not a spreadsheet (.xlsx/.xlsm)", reasonVi: "không phải bảng tính .xlsx/.xlsm" };
  return null;
}

function list(dir: string): Dirent[] {
  try {
    return readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  } catch {
    return [];
  }
}

export function scanInbox(dir: string): InboxScan {
  const scan: InboxScan = { files: [], skipped: [], problems: [] };
  const visit = (absDir: string, office: string, prefix: string): void => {
    for (const e of list(absDir)) {
      const name = nfc(e.name);
      const abs = join(absDir, e.name);
      if (e.isDirectory()) continue; // deeper folders are not scanned
      if (!e.isFile()) continue;
      const fileId = prefix + name;
      const why = skipReason(name);
      if (why) {
        scan.skipped.push({ fileId, reason: why.reason });
        scan.problems.push(prob("FILE_SKIPPED", { file: fileId }, { reason: why.reason, reasonVi: why.reasonVi }));
        continue;
      }
      let st;
      try {
        st = statSync(abs);
      } catch {
        continue; // gone between listing and stat: the next run sees it or not
      }
      scan.files.push({ fileId, office, path: abs, size: st.size, mtimeMs: st.mtimeMs });
    }
  };
  visit(dir, CHUNG, "");
  for (const e of list(dir)) {
    if (!e.isDirectory()) continue;
    const name = nfc(e.name);
    if (NOT_SCANNED.has(name.toLowerCase()) || name.startsWith(".")) continue;
    if (formerUnitFolder(name)) {
      const sub = join(dir, e.name);
      visit(sub, CHUNG, name + "/");
      for (const o of list(sub)) {
        const office = nfc(o.name);
        if (!o.isDirectory() || NOT_SCANNED.has(office.toLowerCase()) || office.startsWith(".")) continue;
        visit(join(sub, o.name), office, `${name}/${office}/`);
      }
      continue;
    }
    visit(join(dir, e.name), name, name + "/");
  }
  return scan;
}
