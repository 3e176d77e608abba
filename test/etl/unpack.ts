// Test-only: a file read by readInboxFile with its facts as objects again. The parse writes a
// file's facts straight into columns (warehouse/pack.ts FileFacts: no object per fact on the
// reading worker's path); the tests that look at a fact by its fields, and a file given to the
// loader as objects, get them back from those columns — the very objects the parse used to make.
import { formatDecimal } from "../../core/money.js";
import { readInboxFile } from "../../etl/read.js";
import type { BudgetLineFact, IndicatorFact, ParsedFile, TaskFundingFact, TaskRecord } from "../../warehouse/model.js";

/** The file as objects (its `packed` dropped: the loader packs the objects again); as it is when not packed. */
export function unpacked(f: ParsedFile): ParsedFile {
  const p = f.packed;
  if (!p) return f;
  const kindOf = (name: string) => p.small.indexOf(name) + 1;
  const [approvedK, fundingK, lineK, indicatorK] = ["task_approved", "task_funding", "budget_line", "indicator"].map(kindOf);
  const sm = (id: number) => p.small[id - 1]!;
  const codeLetters = new Map(p.codeColumns);
  const approved = new Map<string, TaskRecord["approved"]>();
  const taskFunding: TaskFundingFact[] = [];
  const budgetLines: BudgetLineFact[] = [];
  const indicatorFacts: IndicatorFact[] = [];
  for (let i = 0; i < p.n; i++) {
    const kind = p.kind[i]!;
    const key = p.keys[p.k1[i]! - 1]!;
    const sheet = sm(p.sheet[i]!);
    const at = { sheet, cell: `${sm(p.col[i]!)}${p.row[i]}` };
    const amount = formatDecimal(BigInt(p.amount[i]!));
    const year = p.year[i]!;
    const measure = sm(p.measure[i]!) as TaskFundingFact["measure"];
    const source = sm(p.source[i]!) as TaskFundingFact["source"];
    if (kind === approvedK) {
      const list = approved.get(key) ?? [];
      list.push({ source: source as TaskRecord["approved"][number]["source"], amount, at });
      approved.set(key, list);
    } else if (kind === fundingK) {
      taskFunding.push({ taskCode: key, year, measure, source, amount, at, codeAt: { sheet, cell: `${codeLetters.get(sheet)}${p.row[i]}` } });
    } else if (kind === lineK) budgetLines.push({ line: key, year, measure, source, amount, at });
    else if (kind === indicatorK) indicatorFacts.push({ key, year, measure, value: amount, at });
  }
  const { packed: _packed, ...rest } = f;
  return { ...rest, tasks: f.tasks.map((t) => ({ ...t, approved: approved.get(t.code) ?? [] })), taskFunding, budgetLines, indicatorFacts };
}

/** readInboxFile, the file's facts as objects (`unpacked`). */
export async function readAsObjects(...args: Parameters<typeof readInboxFile>): Promise<ParsedFile> {
  return unpacked(await readInboxFile(...args));
}
