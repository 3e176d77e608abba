// Builders of ParsedFile values for loader tests (the parser has its own tests on real files).
import type { InboxScan, ParsedFile, TaskRecord } from "../../warehouse/model.js";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export function tempDb(): string {
  return join(mkdtempSync(join(tmpdir(), "phuluc-wh-")), "w.duckdb");
}

export function file(fileId: string, parts: Partial<ParsedFile> = {}, sha = "h-" + fileId): ParsedFile {
  return {
    fileId,
    office: fileId.includes("/") ? fileId.split("/")[0]! : "chung",
    sha256: sha,
    size: 100,
    mtimeMs: 1_700_000_000_000,
    sheets: [],
    tasks: [],
    taskFunding: [],
    budgetLines: [],
    indicators: [],
    indicatorFacts: [],
    problems: [],
    ...parts,
  };
}

export function task(code: string, cell: string, extra: Partial<TaskRecord> = {}): TaskRecord {
  return {
    code,
    title: `Nhiệm vụ ${code}`,
    level: "TINH",
    field: "KY_THUAT",
    leadOrg: "Viện X",
    start: "2023-01",
    end: "2024-12",
    status: "DANG_THUC_HIEN",
    unsplit: false,
    at: { sheet: "DM", cell },
    approved: [
      { source: "TONG", amount: "100", at: { sheet: "DM", cell: cell.replace(/^[A-Z]+/, "H") } },
      { source: "NSDP", amount: "100", at: { sheet: "DM", cell: cell.replace(/^[A-Z]+/, "I") } },
    ],
    ...extra,
  };
}

/** A scan + parser pair over in-memory ParsedFiles. */
export function inbox(files: ParsedFile[]): { scan: InboxScan; parse: (f: InboxScan["files"][number]) => Promise<ParsedFile> } {
  const byId = new Map(files.map((f) => [f.fileId, f]));
  return {
    scan: {
      files: files.map((f) => ({ fileId: f.fileId, office: f.office, path: f.fileId, size: f.size, mtimeMs: f.mtimeMs })),
      skipped: [],
      problems: [],
    },
    parse: async (f) => byId.get(f.fileId)!,
  };
}
