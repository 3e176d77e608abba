// The national-scale inbox generator: for each province a sub-inbox holding the four kinds of
// workbook in the offices' messy styles (spec/inputs.md) — header wording drawn from the
// synonyms, shuffled column order, headers with or without diacritics, one- or two-row headers,
// unit lines in đồng / nghìn / triệu, amounts typed as Vietnamese-style text, months in four
// styles — over ten years of funding, budget and indicator columns.
//
//   npx tsx bench/generate.ts --out <dir> [--rows 1000000] [--seed 1] [--provinces 63] [--years 10] [--plan-year 2024]
//
// Plan year 2024 (the default, what `npm run bench` measures): 63 former provinces. A plan year
// whose years reach 2025: the 34 current units, each inbox with a folder per former province.
//
// Every workbook is written with exceljs's streaming writer (rows are committed as they are made),
// so memory stays flat whatever --rows is. Everything comes from a seeded PRNG and fixed dates:
// the same arguments give byte-identical files. Every generated file is valid input (the bench
// measures loading, not rejecting): codes unique per province, Tổng = sum of its parts, sum rows
// = their leaves, one of du_toan / de_xuat per key and year, no 1 000× year-on-year jump.
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { PassThrough } from "node:stream";
import { fileURLToPath } from "node:url";
import ExcelJS from "exceljs";
import { HIERARCHY } from "../core/hierarchy.js";
import { seededRandom } from "../core/random.js";
import { levelInForce, predecessorsOf, unitsForYear } from "../core/units.js";

// ───────────────────────────── randomness ─────────────────────────────

class Rng {
  constructor(readonly next: () => number) {}
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.next() * xs.length)]!;
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  shuffle<T>(xs: T[]): T[] {
    for (let i = xs.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      [xs[i], xs[j]] = [xs[j]!, xs[i]!];
    }
    return xs;
  }
}

// ───────────────────────────── fixed reference data ─────────────────────────────

/** The 63 former provinces and their statistical codes (the units of 2024, before the 2025 mergers), in code order. */
export const PROVINCES: readonly [string, string][] = unitsForYear(2024).map((u) => [u.code, u.name]);

const LINES = HIERARCHY;

const FIELDS = ["KH tự nhiên", "KH kỹ thuật và công nghệ", "KH y, dược", "KH nông nghiệp", "KH xã hội", "KH nhân văn"];
const TOPICS = [
  "Ứng dụng tiến bộ kỹ thuật sản xuất lúa chất lượng cao", "Xây dựng mô hình nuôi tôm thẻ chân trắng", "Phát triển sản phẩm từ cây dược liệu",
  "Ứng dụng công nghệ sinh học trong chăn nuôi", "Đánh giá thực trạng nguồn nhân lực", "Xây dựng cơ sở dữ liệu chuyển đổi số",
  "Bảo tồn và phát huy giá trị văn hóa truyền thống", "Ứng dụng năng lượng mặt trời", "Xử lý chất thải chăn nuôi quy mô hộ",
  "Nghiên cứu giống cây ăn quả đặc sản", "Quản lý chất lượng nước nuôi trồng thủy sản", "Xây dựng nhãn hiệu tập thể đặc sản địa phương",
];
const ORGS = ["Trường Đại học", "Viện Nghiên cứu", "Trung tâm Ứng dụng tiến bộ KH&CN", "Công ty Cổ phần", "Phòng Nông nghiệp và PTNT huyện", "Chi cục Tiêu chuẩn Đo lường Chất lượng"];
const SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Hoàng", "Võ", "Đặng", "Bùi", "Đỗ"];
const MIDDLE_F = ["Thị", "Thị Thu", "Thị Ngọc", "Thị Kim"];
const MIDDLE_M = ["Văn", "Minh", "Quốc", "Hữu"];
const GIVEN = ["An", "Bình", "Châu", "Dũng", "Hà", "Hạnh", "Hùng", "Lan", "Long", "Mai", "Nam", "Phúc", "Tâm", "Trang", "Tuấn", "Việt"];
const AREAS = [
  ["TĐC", "Tiêu chuẩn–Đo lường–Chất lượng", "TDC"],
  ["SHTT", "Sở hữu trí tuệ", "SHTT"],
  ["ATBX", "An toàn bức xạ", "ATBX"],
  ["Thanh tra", "Thanh tra, kiểm tra", "TT"],
  ["DN", "Doanh nghiệp KH&CN", "DN"],
  ["Thu", "Thu sự nghiệp", "TSN"],
] as const;
const IND_LABELS: Record<string, [string, string][]> = {
  TDC: [["Số cơ sở được kiểm tra về tiêu chuẩn, đo lường, chất lượng", "cơ sở"], ["Số phương tiện đo được kiểm định", "phương tiện"], ["Số mẫu được thử nghiệm", "mẫu"]],
  SHTT: [["Số nhãn hiệu được hỗ trợ đăng ký bảo hộ", "nhãn hiệu"], ["Số đơn sáng chế được hướng dẫn", "đơn"]],
  ATBX: [["Số hồ sơ an toàn bức xạ được giải quyết", "hồ sơ"], ["Số cơ sở bức xạ được kiểm tra", "cơ sở"]],
  TT: [["Số cơ sở được thanh tra, kiểm tra", "cơ sở"], ["Số quyết định xử phạt vi phạm hành chính", "quyết định"]],
  DN: [["Số doanh nghiệp khoa học và công nghệ", "doanh nghiệp"], ["Số tổ chức khoa học và công nghệ", "tổ chức"]],
  TSN: [["Thu sự nghiệp từ dịch vụ KH&CN", "triệu đồng"], ["Thu từ dịch vụ đo lường, thử nghiệm", "triệu đồng"]],
};

// ───────────────────────────── text helpers ─────────────────────────────

const fold = (s: string): string => s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/g, "d").replace(/Đ/g, "D");
const groupThousands = (int: string): string => int.replace(/\B(?=(\d{3})+(?!\d))/g, ".");

type Unit = { name: "đồng" | "nghìn đồng" | "triệu đồng"; perTrieu: number };
const UNITS: Unit[] = [
  { name: "triệu đồng", perTrieu: 1 },
  { name: "nghìn đồng", perTrieu: 1_000 },
  { name: "đồng", perTrieu: 1_000_000 },
];

/**
 * An amount in triệu đồng with at most 3 decimals (kept as an integer number of nghìn đồng so
 * that nothing drifts), written in the sheet's unit: a number, or — sometimes — Vietnamese-style
 * text that cannot be read two ways ("13.660", "1.234,5": only values ≥ 1 000).
 */
function amountCell(nghin: number, unit: Unit, rng: Rng, textRate: number): ExcelJS.CellValue {
  const v = unit.perTrieu === 1 ? nghin / 1000 : unit.perTrieu === 1_000 ? nghin : nghin * 1000;
  if (v >= 1000 && rng.chance(textRate)) {
    const [int, frac] = (unit.perTrieu === 1 ? (nghin / 1000).toFixed(3).replace(/\.?0+$/, "") : String(v)).split(".");
    return frac ? `${groupThousands(int!)},${frac}` : groupThousands(int!);
  }
  return v;
}

const monthDate = (y: number, m: number): Date => new Date(Date.UTC(y, m - 1, 1));
/** A month in one of the four styles offices use. */
function monthCell(y: number, m: number, rng: Rng): { value: ExcelJS.CellValue; numFmt?: string } {
  switch (rng.int(0, 3)) {
    case 0:
      return { value: `${String(m).padStart(2, "0")}/${y}` };
    case 1:
      return { value: `${m}/${y}` };
    case 2:
      return { value: `tháng ${m}/${y}` };
    default:
      return { value: monthDate(y, m), numFmt: "mm/yyyy" };
  }
}

// ───────────────────────────── the data of one province ─────────────────────────────

interface Task {
  code: string;
  title: string;
  level: "Quốc gia" | "Tỉnh" | "Cơ sở" | "Huyện";
  field: string;
  lead: string;
  pi: string;
  female: boolean;
  decision: string;
  start: [number, number];
  end: [number, number];
  accepted?: Date;
  /** nghìn đồng */
  nstw: number;
  nsdp: number;
  ngoai: number;
  /** per year: nghìn đồng of NSĐP spent (closed years) / assigned */
  yearly: Map<number, number>;
}

function makeTasks(rng: Rng, code: string, n: number, years: number[]): Task[] {
  const first = years[0]!;
  const plan = years[years.length - 1]!;
  const out: Task[] = [];
  for (let i = 0; i < n; i++) {
    const r = rng.next();
    let level: Task["level"] = r < 0.01 ? "Quốc gia" : r < 0.45 ? "Tỉnh" : r < 0.7 ? "Cơ sở" : "Huyện";
    const sy = rng.int(first, plan); // inside the window: every task has at least one year of money
    const sm = rng.int(1, 12);
    // no new cấp huyện task after the district level ended (30 June 2025): cơ sở instead, with no
    // draw of its own, so that the years before the reorganisation come out as they always did
    if (level === "Huyện" && !levelInForce("HUYEN", `${sy}-${String(sm).padStart(2, "0")}`)) level = "Cơ sở";
    const months = rng.int(6, 36);
    const endIdx = sy * 12 + (sm - 1) + months - 1;
    const ey = Math.floor(endIdx / 12);
    const em = (endIdx % 12) + 1;
    const female = rng.chance(0.4);
    const budget = rng.int(50, level === "Quốc gia" ? 20_000 : level === "Tỉnh" ? 4_000 : 600) * 1000; // nghìn
    const ngoai = rng.chance(0.3) ? Math.round(budget * rng.int(5, 40) / 100 / 1000) * 1000 : 0;
    const state = budget - ngoai;
    const nstw = level === "Quốc gia" ? Math.round(state * 0.8 / 1000) * 1000 : 0;
    const nsdp = state - nstw;
    // Spread the provincial money over the years the task runs, within the ten-year window.
    const yearly = new Map<number, number>();
    const span = years.filter((y) => y >= sy && y <= ey);
    if (span.length && nsdp > 0) {
      let left = nsdp;
      span.forEach((y, k) => {
        const part = k === span.length - 1 ? left : Math.round((nsdp / span.length) * (0.7 + rng.next() * 0.6) / 1000) * 1000;
        const v = Math.max(0, Math.min(left, part));
        yearly.set(y, v);
        left -= v;
      });
    }
    const t: Task = {
      code: `${code}.${level === "Quốc gia" ? "QG" : level === "Tỉnh" ? "T" : level === "Cơ sở" ? "CS" : "H"}.${sy}.${String(i + 1).padStart(5, "0")}`,
      title: `${rng.pick(TOPICS)} (${i + 1})`,
      level,
      field: rng.pick(FIELDS),
      lead: `${rng.pick(ORGS)} số ${rng.int(1, 40)}`,
      pi: `${rng.pick(SURNAMES)} ${rng.pick(female ? MIDDLE_F : MIDDLE_M)} ${rng.pick(GIVEN)}`,
      female,
      decision: `${rng.int(100, 9999)}/QĐ-UBND ngày ${rng.int(1, 28)}/${sm}/${sy}`,
      start: [sy, sm],
      end: [ey, em],
      nstw,
      nsdp,
      ngoai,
      yearly,
    };
    if (ey < plan - 1 && rng.chance(0.8)) {
      const acc = Date.UTC(ey, em - 1, 1) + rng.int(20, 120) * 86_400_000;
      t.accepted = new Date(acc);
    }
    out.push(t);
  }
  return out;
}

// ───────────────────────────── writing ─────────────────────────────

const FIXED_DATE = new Date(Date.UTC(2024, 5, 30, 8, 0, 0));

interface Sheet {
  ws: ExcelJS.Worksheet;
  row: number;
}

// exceljs's streaming writer zips through archiver, which stamps every entry with the current
// time, and its constructor already appends two parts: so the pin goes on archiver's prototype,
// reached through a throw-away writer, once per process. (archiver writes DOS times from the UTC
// fields, so a UTC instant gives the same bytes in every time zone.)
const ZIP_DATE = new Date(Date.UTC(2024, 5, 30, 8, 0, 0));
let zipDatePinned = false;
function pinZipDates(): void {
  if (zipDatePinned) return;
  zipDatePinned = true;
  type Appender = { append: (this: unknown, src: unknown, data: Record<string, unknown>) => unknown };
  const probe = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: new PassThrough() });
  const proto = Object.getPrototypeOf((probe as unknown as { zip: Appender }).zip) as Appender;
  const append = proto.append;
  proto.append = function (this: unknown, src: unknown, data: Record<string, unknown>) {
    return append.call(this, src, { ...data, date: ZIP_DATE });
  };
}

function newWriter(path: string): ExcelJS.stream.xlsx.WorkbookWriter {
  pinZipDates();
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path, useStyles: true, useSharedStrings: false });
  wb.created = FIXED_DATE;
  wb.modified = FIXED_DATE;
  wb.creator = "phuluc bench";
  return wb;
}

/** Title rows, then the header (one row, or a group row over sub-headers). Returns the next row. */
function writeHeader(
  ws: ExcelJS.Worksheet,
  titles: string[],
  unitLine: string | undefined,
  cols: { group?: string; sub: string }[],
): number {
  let r = 1;
  for (const t of titles) {
    ws.getRow(r).getCell(1).value = t;
    ws.getRow(r).commit();
    r++;
  }
  if (unitLine) {
    ws.getRow(r).getCell(Math.max(1, cols.length - 1)).value = unitLine;
    ws.getRow(r).commit();
    r++;
  }
  r++; // a blank row between the titles and the header
  const two = cols.some((c) => c.group);
  if (!two) {
    const row = ws.getRow(r);
    cols.forEach((c, i) => (row.getCell(i + 1).value = c.sub));
    row.commit();
    return r + 1;
  }
  const top = ws.getRow(r);
  const bottom = ws.getRow(r + 1);
  let i = 0;
  while (i < cols.length) {
    const c = cols[i]!;
    if (!c.group) {
      top.getCell(i + 1).value = c.sub;
      ws.mergeCells(r, i + 1, r + 1, i + 1);
      i++;
      continue;
    }
    let j = i;
    while (j + 1 < cols.length && cols[j + 1]!.group === c.group) j++;
    top.getCell(i + 1).value = c.group;
    if (j > i) ws.mergeCells(r, i + 1, r, j + 1);
    for (let k = i; k <= j; k++) bottom.getCell(k + 1).value = cols[k]!.sub;
    i = j + 1;
  }
  top.commit();
  bottom.commit();
  return r + 2;
}

interface Style {
  rng: Rng;
  diacritics: boolean;
  unit: Unit;
  textRate: number;
}
const h = (s: Style, text: string): string => (s.diacritics ? text : fold(text));

async function writeRegister(path: string, sheetName: string, tasks: Task[], st: Style, province: string): Promise<number> {
  const { rng } = st;
  const wb = newWriter(path);
  const ws = wb.addWorksheet(sheetName);
  const onePeriod = rng.chance(0.4);
  type Col = { head: string; group?: string; put: (t: Task, row: ExcelJS.Row, c: number) => void };
  const money = (v: number, row: ExcelJS.Row, c: number): void => {
    if (v > 0) row.getCell(c).value = amountCell(v, st.unit, rng, st.textRate);
  };
  const month = (ym: [number, number], row: ExcelJS.Row, c: number): void => {
    const m = monthCell(ym[0], ym[1], rng);
    row.getCell(c).value = m.value;
    if (m.numFmt) row.getCell(c).numFmt = m.numFmt;
  };
  const approvedGroup = rng.chance(0.5) ? "Kinh phí phê duyệt" : undefined;
  const cols: Col[] = [
    { head: rng.pick(["Mã nhiệm vụ", "Mã NV", "Mã số"]), put: (t, row, c) => void (row.getCell(c).value = t.code) },
    { head: rng.pick(["Tên nhiệm vụ", "Tên đề tài, dự án"]), put: (t, row, c) => void (row.getCell(c).value = t.title) },
    { head: rng.pick(["Cấp quản lý", "Cấp"]), put: (t, row, c) => void (row.getCell(c).value = t.level) },
    { head: "Lĩnh vực", put: (t, row, c) => void (row.getCell(c).value = t.field) },
    { head: rng.pick(["Tổ chức chủ trì", "Cơ quan chủ trì"]), put: (t, row, c) => void (row.getCell(c).value = t.lead) },
    { head: "Chủ nhiệm", put: (t, row, c) => void (row.getCell(c).value = t.pi) },
    { head: "Giới tính chủ nhiệm", put: (t, row, c) => void (row.getCell(c).value = t.female ? "Nữ" : "Nam") },
    { head: rng.pick(["Quyết định phê duyệt", "Số QĐ"]), put: (t, row, c) => void (row.getCell(c).value = t.decision) },
    { head: "Tình trạng", put: (t, row, c) => void (t.accepted ? (row.getCell(c).value = "Đã nghiệm thu") : undefined) },
    {
      head: "Ngày nghiệm thu",
      put: (t, row, c) => {
        if (!t.accepted) return;
        row.getCell(c).value = t.accepted;
        row.getCell(c).numFmt = "dd/mm/yyyy";
      },
    },
  ];
  if (onePeriod) {
    cols.push({
      head: "Thời gian thực hiện",
      put: (t, row, c) => void (row.getCell(c).value = `${t.start[1]}/${t.start[0]}${rng.pick(["-", " - "])}${t.end[1]}/${t.end[0]}`),
    });
  } else {
    cols.push({ head: rng.pick(["Bắt đầu", "Thời gian bắt đầu"]), put: (t, row, c) => month(t.start, row, c) });
    cols.push({ head: rng.pick(["Kết thúc", "Thời gian kết thúc"]), put: (t, row, c) => month(t.end, row, c) });
  }
  rng.shuffle(cols);
  // The amounts stay together at the end (a group header spans them).
  cols.push(
    { head: approvedGroup ? "Tổng" : rng.pick(["Tổng kinh phí", "Tổng kinh phí phê duyệt"]), group: approvedGroup, put: (t, row, c) => money(t.nstw + t.nsdp + t.ngoai, row, c) },
    { head: "NSTW", group: approvedGroup, put: (t, row, c) => money(t.nstw, row, c) },
    { head: "NSĐP", group: approvedGroup, put: (t, row, c) => money(t.nsdp, row, c) },
    { head: "Ngoài NSNN", group: approvedGroup, put: (t, row, c) => money(t.ngoai, row, c) },
  );
  let r = writeHeader(
    ws,
    [h(st, "SỞ KHOA HỌC VÀ CÔNG NGHỆ " + province.toUpperCase()), h(st, "DANH MỤC NHIỆM VỤ KHOA HỌC VÀ CÔNG NGHỆ")],
    st.unit.perTrieu === 1 && rng.chance(0.5) ? undefined : h(st, `Đơn vị tính: ${st.unit.name}`),
    cols.map((c) => ({ group: c.group ? h(st, c.group) : undefined, sub: h(st, c.head) })),
  );
  for (const t of tasks) {
    const row = ws.getRow(r++);
    cols.forEach((c, i) => c.put(t, row, i + 1));
    row.commit();
  }
  ws.commit();
  await wb.commit();
  return tasks.length;
}

async function writeFinance(path: string, tasks: Task[], years: number[], st: Style, stBudget: Style): Promise<number> {
  const { rng } = st;
  const plan = years[years.length - 1]!;
  const report = plan - 1;
  const wb = newWriter(path);
  let rows = 0;

  // Kind 3: the 01–18 hierarchy over ten years.
  {
    const ws = wb.addWorksheet("Du toan chi KHCN");
    type Col = { group?: string; sub: string; key: string };
    const byYear = stBudget.rng.chance(0.5);
    const cols: Col[] = [{ sub: "Nội dung", key: "label" }, { sub: "Mã số", key: "code" }];
    for (const y of years) {
      const ms: [string, string][] =
        y < report ? [["du_toan", "Dự toán"], ["thuc_hien", "Thực hiện"]] : y === report ? [["du_toan", "Dự toán"], ["thuc_hien_6t", "Thực hiện 6 tháng"], ["uoc", "Ước thực hiện"]] : [["de_xuat", "Dự kiến"]];
      for (const [key, word] of ms) cols.push(byYear ? { group: `Năm ${y}`, sub: word, key: `${key}|${y}` } : { sub: `${word} ${rng.pick(["", "năm "])}${y}`, key: `${key}|${y}` });
    }
    let r = writeHeader(ws, [h(stBudget, "TÌNH HÌNH THỰC HIỆN VÀ DỰ TOÁN CHI KH&CN")], h(stBudget, `Đơn vị tính: ${stBudget.unit.name}`), cols.map((c) => ({ group: c.group ? h(stBudget, c.group) : undefined, sub: h(stBudget, c.sub) })));
    // Leaves: the task rows 09/11/12 follow the tasks' money; the rest grows ~6 % a year.
    const leafVal = new Map<string, number>();
    const base = stBudget.rng.int(20_000, 60_000) * 1000;
    for (const c of cols.slice(2)) {
      const [key, ys] = c.key.split("|");
      const y = Number(ys);
      const grow = Math.pow(1.06, y - years[0]!);
      const factor = key === "thuc_hien_6t" ? 0.35 : key === "thuc_hien" ? 0.98 : 1;
      const levelSum = (lv: Task["level"][]) => tasks.filter((t) => lv.includes(t.level)).reduce((a, t) => a + (t.yearly.get(y) ?? 0), 0);
      const leaves: Record<string, number> = {
        "02": 0,
        "05": Math.round(base * 0.25 * grow * factor),
        "06": Math.round(base * 0.06 * grow * factor),
        "07": Math.round(base * 0.3 * grow * factor),
        "09": Math.round(levelSum(["Quốc gia"]) * factor),
        "10": 0,
        "11": Math.round(levelSum(["Tỉnh"]) * factor),
        "12": Math.round(levelSum(["Cơ sở", "Huyện"]) * factor),
        "13": 0,
        "14": Math.round(base * 0.08 * grow * factor),
        "15": Math.round(base * 0.03 * grow * factor),
        "16": Math.round(base * 0.005 * grow * factor),
        "17": Math.round(base * 0.04 * grow * factor),
        "18": 0,
      };
      for (const [k, v] of Object.entries(leaves)) leafVal.set(`${k}|${c.key}`, v);
      const sum = (code: string): number => {
        const l = LINES.find((x) => x.code === code)!;
        if (!l.children) return leafVal.get(`${code}|${c.key}`)!;
        const v = l.children.reduce((a, k) => a + sum(k), 0);
        leafVal.set(`${code}|${c.key}`, v);
        return v;
      };
      sum("01");
    }
    for (const l of LINES) {
      const row = ws.getRow(r++);
      row.getCell(1).value = l.label;
      row.getCell(2).value = stBudget.rng.chance(0.5) && Number(l.code) >= 5 ? Number(l.code) : l.code;
      cols.slice(2).forEach((c, i) => {
        const v = leafVal.get(`${l.code}|${c.key}`)!;
        // Sums are plain numbers here (formulas would need the cell addresses of each leaf).
        row.getCell(i + 3).value = amountCell(v, stBudget.unit, stBudget.rng, 0);
      });
      row.commit();
      rows++;
    }
    ws.commit();
  }

  // Kind 2: the funding of each task, ten years of columns.
  {
    const ws = wb.addWorksheet("Cap phat kinh phi");
    type Col = { group?: string; sub: string; y: number; m: string };
    const cols: Col[] = [];
    const byYear = rng.chance(0.5);
    for (const y of years) {
      const ms: [string, string[]][] =
        y < report
          ? [["du_toan", ["Dự toán", "DT", "Dự toán giao"]], ["thuc_hien", ["Thực hiện", "TH", "Quyết toán"]]]
          : y === report
            ? [["du_toan", ["Dự toán", "DT"]], ["uoc", ["Ước thực hiện", "Ước TH"]]]
            : [["de_xuat", ["Dự kiến", "Đề xuất", "Nhu cầu kinh phí"]]];
      for (const [m, words] of ms) {
        const w = rng.pick(words);
        cols.push(byYear ? { group: `Năm ${y}`, sub: w, y, m } : { sub: `${w} ${rng.pick(["", "năm "])}${y}`, y, m });
      }
    }
    let r = writeHeader(
      ws,
      [h(st, "BẢNG THEO DÕI CẤP PHÁT KINH PHÍ NHIỆM VỤ KH&CN")],
      h(st, `Đơn vị tính: ${st.unit.name}`),
      [{ sub: h(st, rng.pick(["Mã nhiệm vụ", "Mã NV"])) }, { sub: h(st, "Tên nhiệm vụ") }, ...cols.map((c) => ({ group: c.group ? h(st, c.group) : undefined, sub: h(st, c.sub) }))],
    );
    for (const t of tasks) {
      if (t.yearly.size === 0) continue;
      const row = ws.getRow(r++);
      row.getCell(1).value = t.code;
      row.getCell(2).value = t.title;
      cols.forEach((c, i) => {
        const v = t.yearly.get(c.y);
        if (v === undefined) return;
        const amount = c.m === "thuc_hien" ? Math.round(v * 0.97) : v;
        row.getCell(i + 3).value = amountCell(amount, st.unit, rng, st.textRate);
      });
      row.commit();
      rows++;
    }
    ws.commit();
  }
  await wb.commit();
  return rows;
}

async function writeIndicators(path: string, code: string, areas: (typeof AREAS)[number][], n: number, years: number[], st: Style, startAt: number): Promise<number> {
  const { rng } = st;
  const plan = years[years.length - 1]!;
  const report = plan - 1;
  const wb = newWriter(path);
  const ws = wb.addWorksheet("Chi tieu");
  type Col = { sub: string; y: number; m: string };
  const cols: Col[] = [];
  for (const y of years) {
    if (y < report) cols.push({ sub: `${rng.pick(["Thực hiện năm", "TH"])} ${y}`, y, m: "th" }, { sub: `Kế hoạch ${y}`, y, m: "kh" });
    else if (y === report) cols.push({ sub: `Kế hoạch ${y}`, y, m: "kh" }, { sub: `${rng.pick(["Thực hiện 6 tháng đầu năm", "TH 6 tháng"])} ${y}`, y, m: "th6" });
    else cols.push({ sub: `Kế hoạch ${y}`, y, m: "kh" });
  }
  const areaColumn = rng.chance(0.6);
  const heads = ["Mã chỉ tiêu", ...(areaColumn ? ["Lĩnh vực"] : []), "Chỉ tiêu", "Đơn vị tính"];
  let r = writeHeader(ws, [h(st, "CHỈ TIÊU HOẠT ĐỘNG")], undefined, [...heads, ...cols.map((c) => c.sub)].map((s) => ({ sub: h(st, s) })));
  let rows = 0;
  let k = startAt;
  const per = Math.ceil(n / areas.length);
  for (const [, areaName, prefix] of areas) {
    if (!areaColumn) {
      const g = ws.getRow(r++);
      g.getCell(2).value = `${["I", "II", "III"][areas.findIndex((a) => a[2] === prefix)] ?? "IV"}. ${areaName}`;
      g.commit();
    }
    for (let i = 0; i < per && rows < n; i++) {
      const [label, unit] = rng.pick(IND_LABELS[prefix]!);
      const row = ws.getRow(r++);
      let c = 1;
      row.getCell(c++).value = `${prefix}.${code}.${String(++k).padStart(5, "0")}`;
      if (areaColumn) row.getCell(c++).value = areaName;
      row.getCell(c++).value = `${label} (${k})`;
      row.getCell(c++).value = unit;
      const base = rng.int(5, 500);
      cols.forEach((col, j) => {
        const grow = Math.pow(1.05, col.y - years[0]!);
        const v = Math.round(base * grow * (col.m === "th6" ? 0.5 : col.m === "th" ? 0.95 + rng.next() * 0.1 : 1));
        row.getCell(c + j).value = v;
      });
      row.commit();
      rows++;
    }
  }
  ws.commit();
  await wb.commit();
  return rows;
}

// ───────────────────────────── the national inbox ─────────────────────────────

export interface ProvinceInbox {
  /** the province code, what the bench puts in each warehouse's configuration */
  province: string;
  name: string;
  /** the province's inbox folder (office sub-folders inside) */
  dir: string;
  files: number;
  rows: number;
}

export interface GenerateOptions {
  dir: string;
  provinces?: number;
  years?: number;
  seed?: number;
  /** data rows in all (registers + funding + budget lines + indicators); default 1 000 000 */
  targetRows?: number;
  /** the plan year (the last of the ten); default 2024 */
  planYear?: number;
}

export interface GenerateResult {
  dir: string;
  seed: number;
  years: number[];
  rows: number;
  files: number;
  provinces: ProvinceInbox[];
}

export async function generateNational(o: GenerateOptions): Promise<GenerateResult> {
  const provinces = Math.min(o.provinces ?? 63, PROVINCES.length);
  const nYears = o.years ?? 10;
  const seed = o.seed ?? 1;
  const target = o.targetRows ?? 1_000_000;
  const plan = o.planYear ?? 2024;
  const years = Array.from({ length: nYears }, (_, i) => plan - nYears + 1 + i);
  rmSync(o.dir, { recursive: true, force: true });
  mkdirSync(o.dir, { recursive: true });
  const result: GenerateResult = { dir: o.dir, seed, years, rows: 0, files: 0, provinces: [] };

  // One former province's files into a folder (office sub-folders inside).
  const writeProvince = async (dir: string, code: string, name: string, perProvince: number): Promise<number> => {
    // One stream per province, so a province's files do not depend on how many came before.
    const rng = new Rng(seededRandom((seed * 1_000_003 + Number(code) * 7919) >>> 0));
    const nInd = Math.max(6, Math.round(perProvince * 0.05));
    const nTasks = Math.max(4, Math.ceil((perProvince - nInd - LINES.length) / 2));
    const tasks = makeTasks(rng, code, nTasks, years);
    const style = (): Style => ({ rng, diacritics: rng.chance(0.6), unit: rng.pick(UNITS), textRate: rng.pick([0, 0.02, 0.1]) });
    const sub = (office: string, file: string): string => {
      mkdirSync(join(dir, office), { recursive: true });
      return join(dir, office, file);
    };
    let rows = 0;
    const district = tasks.filter((t) => t.level === "Huyện");
    const department = tasks.filter((t) => t.level !== "Huyện");
    rows += await writeRegister(sub("P.QLKH", `Danh muc nhiem vu ${code}.xlsx`), "Danh muc", department, style(), name);
    rows += await writeRegister(sub("Huyen", `NV cap huyen ${code}.xlsx`), "NV cap huyen", district, style(), name);
    rows += await writeFinance(sub("P.KHTC", `Du toan KHCN ${code}.xlsx`), tasks, years, style(), style());
    const half = Math.ceil(nInd / 2);
    rows += await writeIndicators(sub("TDC", `Chi tieu TDC ${code}.xlsx`), code, [AREAS[0], AREAS[1], AREAS[2]], half, years, style(), 0);
    rows += await writeIndicators(sub("Thanh tra", `Chi tieu ${code}.xlsx`), code, [AREAS[3], AREAS[4], AREAS[5]], nInd - half, years, style(), half);
    return rows;
  };
  const slug = (code: string, name: string) => `${code}-${fold(name).replace(/[^A-Za-z0-9]+/g, "-")}`;

  if (years[years.length - 1]! < 2025) {
    // Years before the reorganisation: one inbox (and warehouse) per former province, 63 in all.
    const perProvince = Math.ceil(target / provinces);
    for (let p = 0; p < provinces; p++) {
      const [code, name] = PROVINCES[p]!;
      const dir = join(o.dir, slug(code, name));
      const rows = await writeProvince(dir, code, name, perProvince);
      result.provinces.push({ province: code, name, dir, files: 5, rows });
      result.rows += rows;
      result.files += 5;
    }
  } else {
    // Years that reach 2025: one inbox per current unit (34), holding a folder per former province
    // it took in ("72 Tây Ninh/…", etl/inbox.ts), each with that province's ten years — the offices'
    // spreadsheets carry on after the merger. The export puts a year's figures under the unit of
    // that year (63 up to 2024, 34 from 2025); --as-current-units rolls them up.
    const current = unitsForYear(2025).slice(0, Math.min(o.provinces ?? 34, 34));
    const formers = current.reduce((a, u) => a + predecessorsOf(u.id).length, 0);
    const perProvince = Math.ceil(target / formers);
    for (const u of current) {
      const dir = join(o.dir, slug(u.code, u.name));
      const olds = predecessorsOf(u.id).sort((a, b) => a.code.localeCompare(b.code));
      let rows = 0;
      for (const f of olds) {
        // a province that merged with none keeps its inbox as it was (no folder needed)
        const fdir = olds.length === 1 && f.code === u.code ? dir : join(dir, `${f.code} ${f.name}`);
        rows += await writeProvince(fdir, f.code, f.name, perProvince);
      }
      result.provinces.push({ province: u.code, name: u.name, dir, files: 5 * olds.length, rows });
      result.rows += rows;
      result.files += 5 * olds.length;
    }
  }
  // The manifest names folders relative to itself, so that it does not depend on where --out was.
  const manifest = { ...result, dir: ".", provinces: result.provinces.map((p) => ({ ...p, dir: relative(o.dir, p.dir) })) };
  writeFileSync(join(o.dir, "manifest.json"), JSON.stringify(manifest, null, 2) + "\n");
  return result;
}

// ───────────────────────────── CLI ─────────────────────────────

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const out = arg("out");
  if (!out) {
    console.error("usage: npx tsx bench/generate.ts --out <dir> [--rows 1000000] [--seed 1] [--provinces 63] [--years 10] [--plan-year 2024]");
    process.exit(2);
  }
  const t0 = Date.now();
  const r = await generateNational({
    dir: out,
    targetRows: arg("rows") ? Number(arg("rows")) : undefined,
    seed: arg("seed") ? Number(arg("seed")) : undefined,
    provinces: arg("provinces") ? Number(arg("provinces")) : undefined,
    years: arg("years") ? Number(arg("years")) : undefined,
    planYear: arg("plan-year") ? Number(arg("plan-year")) : undefined,
  });
  const mb = Math.round(process.resourceUsage().maxRSS / 1024);
  console.log(`${r.rows} data rows in ${r.files} workbooks for ${r.provinces.length} provinces under ${out} (${((Date.now() - t0) / 1000).toFixed(1)} s, peak ${mb} MB)`);
}
