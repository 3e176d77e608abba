// A small warehouse built by INSERTs, for the queries tests: a fresh in-memory DuckDB with the
// schema, one load run, and helpers that insert facts with their lineage (file, sheet, cell).
import { openMemory, type Db } from "../../warehouse/db.js";
import { migrate } from "../../warehouse/migrate.js";

export const PROVINCE = "80";
export const RUN = 1;

export interface TaskInput {
  code: string;
  title?: string;
  level: "QUOC_GIA" | "BO" | "TINH" | "CO_SO" | "HUYEN" | "KHAC";
  field?: string;
  leadOrg?: string;
  piGender?: "NAM" | "NU";
  decision?: string;
  /** "YYYY-MM" */
  start: string;
  end: string;
  status?: "DANG_THUC_HIEN" | "DA_NGHIEM_THU" | "DA_UNG_DUNG" | "DUNG";
  acceptedOn?: string;
  /** approved funding by source ("TONG" always; parts as given); unsplit when only TONG */
  approved: Partial<Record<"TONG" | "NSTW" | "NSDP" | "NGOAI_NSNN" | "NUOC_NGOAI", string>>;
  file?: string;
}

export class TestWarehouse {
  private cellNo = 0;
  private sortNo = 0;
  constructor(readonly db: Db) {}

  static async create(): Promise<TestWarehouse> {
    const db = await openMemory();
    await migrate(db);
    await db.run("insert into province values ($p, 'Long An')", { p: PROVINCE });
    await db.run("insert into office values ('P.KHTC', 'Phòng Kế hoạch - Tài chính'), ('P.QLKH', 'Phòng Quản lý khoa học'), ('THANH_TRA', 'Thanh tra')");
    await db.run(
      `insert into load_run values ($run, timestamptz '2023-06-20 08:00:00+07', timestamptz '2023-06-20 08:00:05+07',
        'etl load', 'loaded', 3, 3, 0, 'x', '{}')`,
      { run: RUN },
    );
    for (const [file, office] of [
      ["P.QLKH/danh muc nhiem vu.xlsx", "P.QLKH"],
      ["P.KHTC/kinh phi nhiem vu.xlsx", "P.KHTC"],
      ["P.KHTC/du toan chi KHCN.xlsx", "P.KHTC"],
      ["THANH_TRA/chi tieu.xlsx", "THANH_TRA"],
    ]) {
      await db.run(
        "insert into source_file values ($f, $o, $h, 1000, null, $run, '[]')",
        { f: file!, o: office!, h: `sha-${office}`, run: RUN },
      );
    }
    return new TestWarehouse(db);
  }

  private cell(): string {
    return `B${++this.cellNo}`;
  }

  private lineage(file: string) {
    return { run: RUN, file, hash: `sha-${file.split("/")[0]}`, cell: this.cell() };
  }

  async task(t: TaskInput): Promise<void> {
    const file = t.file ?? "P.QLKH/danh muc nhiem vu.xlsx";
    const l = this.lineage(file);
    const parts = Object.keys(t.approved).filter((k) => k !== "TONG");
    await this.db.run(
      `insert into task values ($province, $code, $title, $level, $field, $lead, null, $gender, $decision,
        cast($start || '-01' as date), cast($end || '-01' as date), $status, cast($accepted as date), $unsplit, $sort,
        $run, $file, $hash, 'Danh muc', $cell)`,
      {
        province: PROVINCE,
        code: t.code,
        title: t.title ?? `Nhiệm vụ ${t.code}`,
        level: t.level,
        field: t.field ?? "KY_THUAT",
        lead: t.leadOrg ?? "Sở KH&CN",
        gender: t.piGender ?? null,
        decision: t.decision ?? null,
        start: t.start,
        end: t.end,
        status: t.status ?? "DANG_THUC_HIEN",
        accepted: t.acceptedOn ?? null,
        unsplit: parts.length === 0,
        sort: ++this.sortNo,
        run: l.run,
        file,
        hash: l.hash,
        cell: l.cell,
      },
    );
    for (const [source, amount] of Object.entries(t.approved)) {
      const a = this.lineage(file);
      await this.db.run(
        `insert into fact_task_approved (province_code, task_code, source_code, amount, run_id, file_id, file_hash, sheet, cell)
         values ($province, $code, $source, cast($amount as decimal(18,6)), $run, $file, $hash, 'Danh muc', $cell)`,
        { province: PROVINCE, code: t.code, source, amount: amount!, run: a.run, file, hash: a.hash, cell: a.cell },
      );
    }
  }

  /** A task funding fact; returns its fact id. */
  async funding(task: string, year: number, measure: string, source: string, amount: string): Promise<number> {
    const file = "P.KHTC/kinh phi nhiem vu.xlsx";
    const l = this.lineage(file);
    const r = await this.db.all<{ fact_id: string }>(
      `insert into fact_task_funding (province_code, task_code, year, measure_code, source_code, amount, run_id, file_id, file_hash, sheet, cell)
       values ($province, $task, $year, $measure, $source, cast($amount as decimal(18,6)), $run, $file, $hash, 'Kinh phi', $cell)
       returning fact_id`,
      { province: PROVINCE, task, year, measure, source, amount, run: l.run, file, hash: l.hash, cell: l.cell },
    );
    return Number(r[0]!.fact_id);
  }

  /** A budget line fact; returns its fact id. */
  async line(line: string, year: number, measure: string, source: string, amount: string): Promise<number> {
    const file = "P.KHTC/du toan chi KHCN.xlsx";
    const l = this.lineage(file);
    const r = await this.db.all<{ fact_id: string }>(
      `insert into fact_budget_line (province_code, line_code, year, measure_code, source_code, amount, run_id, file_id, file_hash, sheet, cell)
       values ($province, $line, $year, $measure, $source, cast($amount as decimal(18,6)), $run, $file, $hash, 'Chi KHCN', $cell)
       returning fact_id`,
      { province: PROVINCE, line, year, measure, source, amount, run: l.run, file, hash: l.hash, cell: l.cell },
    );
    return Number(r[0]!.fact_id);
  }

  async indicator(key: string, area: string, label: string, unit: string, parentKey: string | null = null): Promise<void> {
    const file = "THANH_TRA/chi tieu.xlsx";
    const l = this.lineage(file);
    await this.db.run(
      `insert into indicator values ($province, $key, null, $area, $label, $unit, $parent, $sort, $run, $file, $hash, 'Chi tieu', $cell)`,
      { province: PROVINCE, key, area, label, unit, parent: parentKey, sort: ++this.sortNo, run: l.run, file, hash: l.hash, cell: l.cell },
    );
  }

  async indicatorFact(key: string, year: number, measure: string, value: string): Promise<number> {
    const file = "THANH_TRA/chi tieu.xlsx";
    const l = this.lineage(file);
    const r = await this.db.all<{ fact_id: string }>(
      `insert into fact_indicator (province_code, indicator_key, year, measure_code, value, run_id, file_id, file_hash, sheet, cell)
       values ($province, $key, $year, $measure, cast($value as decimal(18,6)), $run, $file, $hash, 'Chi tieu', $cell)
       returning fact_id`,
      { province: PROVINCE, key, year, measure, value, run: l.run, file, hash: l.hash, cell: l.cell },
    );
    return Number(r[0]!.fact_id);
  }

  close(): void {
    this.db.close();
  }
}
