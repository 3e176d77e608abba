// The fill benchmark's input: a warehouse of N provincial tasks, each with approved funding and
// 2023/2024 figures, loaded through the real loader; then the bundled template filled once, so
// that the workbook's PL03 holds N task rows (a refill matches every row).
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { InboxScan, ParsedFile, TaskRecord } from "../warehouse/model.js";
import { loadFiles } from "../warehouse/load.js";
import { openCurrent } from "../warehouse/generations.js";
import { afterLoad } from "../etl/commands.js";

export async function setupPl03(o: { dir: string; tasks: number; template: string }): Promise<{ db: string; workbook: string; rows: number }> {
  rmSync(o.dir, { recursive: true, force: true });
  mkdirSync(o.dir, { recursive: true });
  const db = join(o.dir, "pl03.duckdb");
  const tasks: TaskRecord[] = [];
  const funding: ParsedFile["taskFunding"] = [];
  for (let i = 0; i < o.tasks; i++) {
    const code = `T.${2020 + (i % 4)}.${String(i).padStart(5, "0")}`;
    const r = i + 7;
    const nsdp = 100 + (i % 50) * 10;
    const other = i % 3 === 0 ? 40 : 0;
    tasks.push({
      code,
      title: `Nghiên cứu ứng dụng tiến bộ khoa học kỹ thuật số ${i + 1} tại tỉnh`,
      level: (["TINH", "CO_SO", "HUYEN"] as const)[i % 3]!,
      field: "NONG_NGHIEP",
      leadOrg: `Trung tâm ứng dụng ${i % 20}`,
      start: i % 5 === 0 ? "2024-03" : `${2021 + (i % 3)}-0${1 + (i % 9)}`,
      end: "2025-12",
      status: "DANG_THUC_HIEN",
      unsplit: false,
      at: { sheet: "DM", cell: `B${r}` },
      approved: [
        { source: "TONG", amount: String(nsdp * 3 + other), at: { sheet: "DM", cell: `H${r}` } },
        { source: "NSDP", amount: String(nsdp * 3), at: { sheet: "DM", cell: `I${r}` } },
        ...(other ? [{ source: "NGOAI_NSNN" as const, amount: String(other), at: { sheet: "DM", cell: `J${r}` } }] : []),
      ],
    });
    funding.push(
      { taskCode: code, year: 2023, measure: "du_toan", source: "NSDP", amount: String(nsdp), at: { sheet: "KP", cell: `C${r}` } },
      { taskCode: code, year: 2023, measure: "uoc_thuc_hien", source: "NSDP", amount: String(nsdp - 5), at: { sheet: "KP", cell: `D${r}` } },
      { taskCode: code, year: 2022, measure: "luy_ke", source: "NSDP", amount: String(nsdp), at: { sheet: "KP", cell: `E${r}` } },
      { taskCode: code, year: 2024, measure: "de_xuat", source: "NSDP", amount: String(nsdp + 20), at: { sheet: "KP", cell: `F${r}` } },
    );
  }
  const file = (fileId: string, parts: Partial<ParsedFile>): ParsedFile => ({
    fileId, office: fileId.split("/")[0]!, sha256: fileId, size: 1, mtimeMs: 0, sheets: [],
    tasks: [], taskFunding: [], budgetLines: [], indicators: [], indicatorFacts: [], problems: [], ...parts,
  });
  const files = [file("P.QLKH/dm.xlsx", { tasks }), file("P.KHTC/kp.xlsx", { taskFunding: funding })];
  const scan: InboxScan = { files: files.map((f) => ({ fileId: f.fileId, office: f.office, path: f.fileId, size: 1, mtimeMs: 0 })), skipped: [], problems: [] };
  const r = await loadFiles(scan, async (f) => files.find((x) => x.fileId === f.fileId)!, { dbPath: db, province: { code: "80", name: "Long An" }, afterLoad });
  if (r.outcome !== "loaded") throw new Error(`pl03 setup load: ${r.outcome} ${JSON.stringify(r.problems.slice(0, 3))}`);
  const { fillWorkbook } = await import("../fill/fill.js");
  const w = await openCurrent(db);
  const filled = await fillWorkbook({ db: w, year: 2024, template: readFileSync(o.template) });
  w.close();
  const workbook = join(o.dir, "pl03-5000.xlsx");
  writeFileSync(workbook, filled.bytes);
  const pl03 = filled.report.forms.find((f) => f.form === "pl03");
  return { db, workbook, rows: pl03?.rowsAdded.length ?? 0 };
}
