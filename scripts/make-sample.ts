// Writes the sample inbox (sample/inbox/), its configuration and its README: the department of
// Long An as its offices would drop their workbooks for the 2024 plan (report year 2023, last
// closed year 2022), reproducing the figures of the seed report and as messy as spec/inputs.md
// allows. `npm start` and the end-to-end tests load it; sample/README.md (written from the same
// data below, so that the two cannot disagree) is the golden table other tests compare against.
//
//   npx tsx scripts/make-sample.ts [outDir=sample]
//
// Deterministic: no randomness, fixed dates, and every .xlsx is re-zipped with a fixed timestamp
// (exceljs stamps zip entries with the current time), so two runs give byte-identical files —
// test/sample checks the committed files against a fresh run.
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { HIERARCHY } from "../core/hierarchy.js";
import { colLetters } from "../xlsx/refs.js";
import ExcelJS from "exceljs";
import { unzipSync, zipSync } from "fflate";

// ───────────────────────────── deterministic xlsx output ─────────────────────────────

/** The instant every generated workbook claims for created/modified (mid-2023: report time). */
export const FIXED_DATE = new Date(Date.UTC(2023, 5, 30, 8, 0, 0));
// fflate writes DOS times from the LOCAL fields of a Date: build it from local fields so that the
// bytes do not depend on the machine's time zone.
const ZIP_MTIME = new Date(2023, 5, 30, 8, 0, 0);

export function newWorkbook(): ExcelJS.Workbook {
  const wb = new ExcelJS.Workbook();
  wb.creator = "Sở KH&CN Long An";
  wb.lastModifiedBy = "Sở KH&CN Long An";
  wb.created = FIXED_DATE;
  wb.modified = FIXED_DATE;
  wb.lastPrinted = FIXED_DATE;
  return wb;
}

/** Re-zip with fixed entry times and a fixed compression level, keeping the entry order. */
export function rezip(bytes: Uint8Array, extra?: Record<string, Uint8Array>): Uint8Array {
  const entries = unzipSync(bytes);
  const out: Record<string, Uint8Array> = {};
  for (const [name, data] of Object.entries(entries)) out[name] = data;
  if (extra) for (const [name, data] of Object.entries(extra)) out[name] = data;
  return zipSync(out, { level: 6, mtime: ZIP_MTIME });
}

export async function workbookBytes(wb: ExcelJS.Workbook): Promise<Uint8Array> {
  const buf = await wb.xlsx.writeBuffer();
  return rezip(new Uint8Array(buf as ArrayBuffer));
}

export async function writeWorkbook(wb: ExcelJS.Workbook, path: string): Promise<void> {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, await workbookBytes(wb));
}

// ───────────────────────────── legacy TCVN3 (ABC) text ─────────────────────────────
// TCVN 5712:1993 "VN3": one byte per precomposed Vietnamese letter. Saved by Excel with a ".Vn"
// font, each byte is stored as the Latin-1 character with that code, so "Tổng cộng" shows as
// "Tæng céng". Only the letters a .VnTime font has: lowercase toned letters and the 7 capitals
// Ă Â Ê Ô Ơ Ư Đ (capitals with tones live in .VnTimeH and are not needed here).
const TCVN3_TABLE: Record<number, string> = {
  0xa1: "Ă", 0xa2: "Â", 0xa3: "Ê", 0xa4: "Ô", 0xa5: "Ơ", 0xa6: "Ư", 0xa7: "Đ",
  0xa8: "ă", 0xa9: "â", 0xaa: "ê", 0xab: "ô", 0xac: "ơ", 0xad: "ư", 0xae: "đ",
  0xb5: "à", 0xb6: "ả", 0xb7: "ã", 0xb8: "á", 0xb9: "ạ",
  0xbb: "ằ", 0xbc: "ẳ", 0xbd: "ẵ", 0xbe: "ắ", 0xc6: "ặ",
  0xc7: "ầ", 0xc8: "ẩ", 0xc9: "ẫ", 0xca: "ấ", 0xcb: "ậ",
  0xcc: "è", 0xce: "ẻ", 0xcf: "ẽ", 0xd0: "é", 0xd1: "ẹ",
  0xd2: "ề", 0xd3: "ể", 0xd4: "ễ", 0xd5: "ế", 0xd6: "ệ",
  0xd7: "ì", 0xd8: "ỉ", 0xdc: "ĩ", 0xdd: "í", 0xde: "ị",
  0xdf: "ò", 0xe1: "ỏ", 0xe2: "õ", 0xe3: "ó", 0xe4: "ọ",
  0xe5: "ồ", 0xe6: "ổ", 0xe7: "ỗ", 0xe8: "ố", 0xe9: "ộ",
  0xea: "ờ", 0xeb: "ở", 0xec: "ỡ", 0xed: "ớ", 0xee: "ợ",
  0xef: "ù", 0xf1: "ủ", 0xf2: "ũ", 0xf3: "ú", 0xf4: "ụ",
  0xf5: "ừ", 0xf6: "ử", 0xf7: "ữ", 0xf8: "ứ", 0xf9: "ự",
  0xfa: "ỳ", 0xfb: "ỷ", 0xfc: "ỹ", 0xfd: "ý", 0xfe: "ỵ",
};
const TO_TCVN3 = new Map<string, string>(
  Object.entries(TCVN3_TABLE).map(([b, ch]) => [ch, String.fromCharCode(Number(b))]),
);

/** The inverse, for tests: Excel's stored text of a .VnTime cell → Unicode (undefined: not TCVN3). */
export function fromTcvn3(s: string): string | undefined {
  let out = "";
  for (const ch of s) {
    const code = ch.codePointAt(0)!;
    if (code < 0x80) out += ch;
    else if (code <= 0xff && TCVN3_TABLE[code]) out += TCVN3_TABLE[code];
    else return undefined;
  }
  return out;
}

/** Unicode → the text Excel stores for the same words typed in TCVN3 with a .VnTime font. */
export function toTcvn3(s: string): string {
  let out = "";
  for (const ch of s.normalize("NFC")) {
    const code = ch.codePointAt(0)!;
    if (code < 0x80) out += ch;
    else if (TO_TCVN3.has(ch)) out += TO_TCVN3.get(ch)!;
    else throw new Error(`toTcvn3: no TCVN3 byte for ${JSON.stringify(ch)} in ${JSON.stringify(s)}`);
  }
  return out;
}

// ───────────────────────────── the department's figures ─────────────────────────────
// Money is kept here in nghìn đồng (integers) so that every sum below is exact; the budget sheet
// is written in nghìn đồng, the other sheets in triệu đồng (÷ 1000, at most 3 decimals).

type Lvl = "Quốc gia" | "Tỉnh" | "Cơ sở" | "Huyện";
type FieldName =
  | "KH tự nhiên"
  | "KH kỹ thuật và công nghệ"
  | "KH y, dược"
  | "KH nông nghiệp"
  | "KH xã hội"
  | "KH nhân văn"
  | "Chưa phân loại";

interface Task {
  code: string;
  title: string;
  level: Lvl;
  /** the field the warehouse should end with (the cell may say otherwise, see fieldCell) */
  field: FieldName;
  /** what the cell says, when it differs from `field` ("" = blank) */
  fieldCell?: string;
  lead: string;
  pi?: string;
  female?: boolean;
  decision?: string;
  /** "YYYY-MM" */
  start: string;
  end: string;
  accepted?: string; // "YYYY-MM-DD"
  /** approved funding, triệu đồng; parts absent = not given */
  tong: number;
  nstw?: number;
  nsdp?: number;
  nsnn?: number;
  ngoai?: number;
  /** funding sheet, triệu đồng (NSĐP unless said) */
  luyKe2022?: number;
  duToan2023?: number;
  uoc2023?: number;
  uoc2023Khac?: number;
  deXuat2024?: number;
}

const NATIONAL: Task[] = [
  {
    code: "QG.2016.01",
    title: "Nghiên cứu ứng dụng công nghệ sinh học sinh sản bò thịt nhân bản",
    level: "Quốc gia",
    field: "KH nông nghiệp",
    lead: "Trường Đại học Quốc Tế - Đại học Quốc Gia TP.HCM",
    pi: "PGS.TS. Nguyễn Văn Thuận",
    start: "2016-12",
    end: "2023-11",
    tong: 20970,
    luyKe2022: 1200,
    duToan2023: 300,
    uoc2023: 300,
  },
  {
    code: "QG.2021.02",
    title:
      "Nghiên cứu, thiết kế và chế tạo tổ hợp thiết bị thu gom, tiền xử lý và trục vớt lục bình trên kênh, rạch tại Long An và các tỉnh lân cận",
    level: "Quốc gia",
    field: "KH kỹ thuật và công nghệ",
    lead: "Trường Đại học Bách khoa TP.HCM",
    pi: "TS. Lê Thanh Long",
    decision: "3312/QĐ-BKHCN ngày 30/11/2020",
    start: "2021-10",
    end: "2024-03",
    tong: 13660,
    nstw: 10880,
    nsdp: 1500,
    ngoai: 1280,
    luyKe2022: 900,
    duToan2023: 400,
    uoc2023: 400,
    uoc2023Khac: 350,
    deXuat2024: 200,
  },
  {
    code: "QG.2022.03",
    title:
      "Tuyển chọn, phát triển hai giống cây dược liệu Tràm gió (Melaleuca leucadendron), Tràm Trà (Melaleuca sp.) có chất lượng tinh dầu cao và hoàn thiện quy trình công nghệ chiết xuất tinh dầu, đa dạng sản phẩm sau chế biến",
    level: "Quốc gia",
    field: "KH y, dược",
    lead: "Công ty Cổ phần Nghiên cứu Bảo Tồn và Phát triển Dược liệu Đồng Tháp Mười",
    pi: "ThS. Trần Thị Ngọc Hân",
    female: true,
    start: "2022-12",
    end: "2025-12",
    tong: 24000,
    nsnn: 6780,
    ngoai: 17220,
  },
];

const PROVINCIAL: Task[] = [
  {
    code: "T.2021.01",
    title: "Phục tráng và phát triển giống lúa Tài Nguyên Chợ Đào tại huyện Cần Đước",
    level: "Tỉnh",
    field: "KH nông nghiệp",
    lead: "Viện Lúa Đồng bằng sông Cửu Long",
    pi: "ThS. Nguyễn Thị Thu Hà",
    female: true,
    decision: "1125/QĐ-UBND ngày 05/02/2021",
    start: "2021-03",
    end: "2023-02",
    accepted: "2023-05-26",
    tong: 1850,
    nsdp: 1850,
    luyKe2022: 1480,
    duToan2023: 370,
    uoc2023: 370,
  },
  {
    code: "T.2021.04",
    title: "Sản xuất giống và nuôi thương phẩm cá trê vàng (Clarias macrocephalus) tại Long An",
    level: "Tỉnh",
    field: "KH nông nghiệp",
    lead: "Trường Đại học Cần Thơ",
    pi: "PGS.TS. Trần Văn Bé",
    decision: "3870/QĐ-UBND ngày 14/5/2021",
    start: "2021-06",
    end: "2023-12",
    tong: 2400,
    nsdp: 2100,
    ngoai: 300,
    luyKe2022: 1500,
    duToan2023: 600,
    uoc2023: 600,
    uoc2023Khac: 120,
  },
  {
    code: "T.2022.02",
    title:
      "Sử dụng vật liệu bê tông tính năng siêu cao cốt thép phân tán (UHPC) để xây dựng cầu giao thông nông thôn",
    level: "Tỉnh",
    field: "KH kỹ thuật và công nghệ",
    lead: "Trường Đại học Bách khoa - Đại học Quốc gia TP.HCM",
    pi: "TS. Phạm Minh Khoa",
    decision: "2950/QĐ-UBND ngày 30/3/2022",
    start: "2022-04",
    end: "2024-09",
    tong: 3200,
    nsdp: 2900,
    ngoai: 300,
    luyKe2022: 900,
    duToan2023: 1200,
    uoc2023: 1200,
    uoc2023Khac: 150,
    deXuat2024: 800,
  },
  {
    code: "T.2022.05",
    title:
      "Ứng dụng tấm quang điện mặt trời và đèn năng lượng mặt trời chiếu sáng tuyến đường giao thông nông thôn",
    level: "Tỉnh",
    field: "KH kỹ thuật và công nghệ",
    lead: "Trung tâm Ứng dụng tiến bộ khoa học và công nghệ Long An",
    pi: "KS. Võ Hoàng Nam",
    decision: "6012/QĐ-UBND ngày 28/6/2022",
    start: "2022-07",
    end: "2024-06",
    tong: 2650,
    nsdp: 2650,
    luyKe2022: 600,
    duToan2023: 1300,
    uoc2023: 1300,
    deXuat2024: 750,
  },
  {
    code: "T.2022.07",
    title: "Nuôi tôm thẻ chân trắng thâm canh ứng dụng công nghệ 4.0 tại huyện Cần Giuộc",
    level: "Tỉnh",
    field: "KH nông nghiệp",
    lead: "Công ty TNHH Nuôi trồng thủy sản Cần Giuộc",
    pi: "ThS. Đặng Quốc Việt",
    decision: "8104/QĐ-UBND ngày 26/8/2022",
    start: "2022-09",
    end: "2024-08",
    tong: 4100,
    nsdp: 2800,
    ngoai: 1300,
    luyKe2022: 500,
    duToan2023: 1400,
    uoc2023: 1400,
    uoc2023Khac: 600,
    deXuat2024: 900,
  },
  {
    code: "T.2022.09",
    title: "Nghiên cứu phát triển sản phẩm từ cây dược liệu Sen (Nelumbo nucifera) trồng tại Long An",
    level: "Tỉnh",
    field: "KH y, dược",
    lead: "Viện Dược liệu",
    pi: "TS. Lê Thị Mỹ Dung",
    female: true,
    decision: "9211/QĐ-UBND ngày 29/9/2022",
    start: "2022-10",
    end: "2024-09",
    tong: 1950,
    nsdp: 1950,
    luyKe2022: 200,
    duToan2023: 1000,
    uoc2023: 1000,
    deXuat2024: 750,
  },
  {
    code: "T.2023.01",
    title: "Đánh giá thực trạng và giải pháp phát triển nguồn nhân lực khoa học và công nghệ tỉnh Long An giai đoạn 2021-2030",
    level: "Tỉnh",
    field: "KH xã hội",
    lead: "Trường Đại học Kinh tế TP.HCM",
    pi: "PGS.TS. Hồ Văn Tâm",
    decision: "1402/QĐ-UBND ngày 20/02/2023",
    start: "2023-02",
    end: "2024-01",
    tong: 780,
    nsdp: 780,
    duToan2023: 500,
    uoc2023: 500,
    deXuat2024: 280,
  },
  {
    code: "T.2024.01",
    title: "Xây dựng quy trình nhân giống chanh không hạt sạch bệnh tại Long An",
    level: "Tỉnh",
    field: "KH nông nghiệp",
    lead: "Trạm Nghiên cứu ứng dụng khoa học và công nghệ Đồng Tháp Mười",
    pi: "ThS. Nguyễn Thị Kim Loan",
    female: true,
    start: "2024-01",
    end: "2025-12",
    tong: 1600,
    nsdp: 1600,
    deXuat2024: 900,
  },
  {
    code: "T.2024.02",
    title: "Ứng dụng trí tuệ nhân tạo giám sát chất lượng nước nuôi trồng thủy sản",
    level: "Tỉnh",
    field: "KH kỹ thuật và công nghệ",
    lead: "Trường Đại học Sư phạm Kỹ thuật TP.HCM",
    pi: "TS. Trương Công Minh",
    start: "2024-03",
    end: "2026-02",
    tong: 2300,
    nsdp: 2000,
    ngoai: 300,
    deXuat2024: 1100,
  },
  {
    code: "T.2024.03",
    title: "Nghiên cứu bảo tồn và phát huy giá trị nghề nấu rượu đế Gò Đen",
    level: "Tỉnh",
    field: "KH nhân văn",
    lead: "Trường Đại học Khoa học xã hội và Nhân văn - ĐHQG TP.HCM",
    pi: "TS. Phan Thị Thanh Xuân",
    female: true,
    start: "2024-05",
    end: "2025-04",
    tong: 650,
    nsdp: 650,
    deXuat2024: 450,
  },
];

const GRASSROOTS: Task[] = [
  {
    code: "CS.2022.01",
    title: "Xây dựng hệ thống quản lý thông tin truy xuất nguồn gốc sản phẩm, hàng hóa tỉnh Long An",
    level: "Cơ sở",
    field: "KH kỹ thuật và công nghệ",
    lead: "Chi cục Tiêu chuẩn Đo lường Chất lượng",
    pi: "ThS. Huỳnh Thị Bích Ngọc",
    female: true,
    start: "2022-08",
    end: "2024-12",
    tong: 450,
    nsdp: 450,
    luyKe2022: 90,
    duToan2023: 200,
    uoc2023: 200,
    deXuat2024: 160,
  },
  {
    code: "CS.2022.03",
    title: "Khảo sát nhu cầu đổi mới công nghệ của doanh nghiệp nhỏ và vừa tỉnh Long An",
    level: "Cơ sở",
    field: "KH xã hội",
    lead: "Trung tâm Thông tin và Thống kê khoa học và công nghệ",
    pi: "CN. Lý Văn Hậu",
    start: "2022-05",
    end: "2023-04",
    accepted: "2023-06-08",
    tong: 180,
    nsdp: 180,
    luyKe2022: 120,
    duToan2023: 60,
    uoc2023: 60,
  },
  {
    code: "CS.2023.02",
    title: "Ứng dụng chế phẩm sinh học xử lý rơm rạ làm phân hữu cơ tại Trạm Đồng Tháp Mười",
    level: "Cơ sở",
    field: "KH nông nghiệp",
    lead: "Trạm Nghiên cứu ứng dụng khoa học và công nghệ Đồng Tháp Mười",
    pi: "KS. Mai Thị Hồng",
    female: true,
    start: "2023-03",
    end: "2024-02",
    tong: 240,
    nsdp: 240,
    duToan2023: 170,
    uoc2023: 170,
    deXuat2024: 70,
  },
  {
    code: "CS.2024.01",
    title: "Xây dựng cơ sở dữ liệu tài sản trí tuệ các sản phẩm đặc sản tỉnh Long An",
    level: "Cơ sở",
    field: "KH xã hội",
    lead: "Phòng Quản lý công nghệ và Sở hữu trí tuệ",
    pi: "ThS. Đoàn Minh Trí",
    start: "2024-02",
    end: "2024-12",
    tong: 210,
    nsdp: 210,
    deXuat2024: 210,
  },
];

// The 18 district-level tasks of 2023 (seed: "18 nhiệm vụ khoa học và công nghệ cấp huyện năm
// 2023"). All overlap 2023; 7 began in 2023, 5 were accepted in 2023. Funded by the districts'
// own budgets, so they have no rows in the funding sheet.
const DISTRICT: Task[] = (
  [
    // code, title, field cell, lead, pi, female, start, end, accepted, tong, ngoai
    ["H.TA.2022.01", "Ứng dụng mô hình vườn rau thủy canh hồi lưu tại phường 7, thành phố Tân An", "KH nông nghiệp", "Phòng Kinh tế thành phố Tân An", "Nguyễn Văn Hùng", false, "2022-03", "2023-06", "2023-08-15", 185, 0],
    ["H.TA.2023.02", "Khảo sát mức độ hài lòng của người dân về dịch vụ hành chính công thành phố Tân An", "KH xã hội và nhân văn", "Phòng Nội vụ thành phố Tân An", "Trần Thị Mai", true, "2023-02", "2023-11", undefined, 95, 0],
    ["H.KT.2022.01", "Xây dựng mô hình nuôi lươn đồng không bùn tại thị xã Kiến Tường", "KH nông nghiệp", "Phòng Kinh tế thị xã Kiến Tường", "Lê Văn Phúc", false, "2022-06", "2023-12", undefined, 240, 40],
    ["H.CD.2021.02", "Ứng dụng tiến bộ kỹ thuật canh tác lúa Huyết rồng theo hướng hữu cơ", "KH nông nghiệp", "Phòng Nông nghiệp và PTNT huyện Cần Đước", "Phạm Thị Lan", true, "2021-10", "2024-03", undefined, 320, 60],
    ["H.CG.2023.01", "Xây dựng nhãn hiệu chứng nhận rau Cần Giuộc", "KH xã hội", "Phòng Kinh tế huyện Cần Giuộc", "Võ Minh Tuấn", false, "2023-03", "2024-02", undefined, 210, 0],
    ["H.BL.2022.03", "Ứng dụng đèn LED tiết kiệm năng lượng chiếu sáng công cộng tại thị trấn Bến Lức", "KH kỹ thuật và công nghệ", "Phòng Kinh tế và Hạ tầng huyện Bến Lức", "Đỗ Thành Công", false, "2022-09", "2023-09", "2023-10-20", 280, 0],
    ["H.DH.2023.01", "Mô hình trồng khoai mỡ ứng dụng tưới tiết kiệm nước tại huyện Đức Hòa", "KH nông nghiệp", "Phòng Nông nghiệp và PTNT huyện Đức Hòa", "Nguyễn Thị Bé Tư", true, "2023-04", "2024-03", undefined, 175, 25],
    ["H.DHue.2022.01", "Ứng dụng công nghệ sinh học ủ phân hữu cơ từ phụ phẩm nông nghiệp", "KH nông nghiệp", "Phòng Nông nghiệp và PTNT huyện Đức Huệ", "Huỳnh Văn Lợi", false, "2022-05", "2023-04", "2023-06-30", 150, 0],
    ["H.TTru.2023.01", "Nuôi cá chốt sọc thương phẩm trong ao đất tại huyện Tân Trụ", "KH nông nghiệp", "Phòng Nông nghiệp và PTNT huyện Tân Trụ", "Lê Thị Thu Trang", true, "2023-01", "2023-12", undefined, 160, 0],
    ["H.CT.2022.02", "Ứng dụng phần mềm quản lý hồ sơ địa chính cấp xã huyện Châu Thành", "", "Văn phòng HĐND và UBND huyện Châu Thành", "Trương Văn Dũng", false, "2022-07", "2023-07", "2023-09-12", 130, 0],
    ["H.TT.2021.01", "Phát triển mô hình trồng sen lấy hạt tại huyện Thủ Thừa", "KH nông nghiệp", "Phòng Nông nghiệp và PTNT huyện Thủ Thừa", "Nguyễn Hữu Tài", false, "2021-11", "2023-10", undefined, 260, 40],
    ["H.TTh.2023.02", "Sản xuất giống gấc ghép năng suất cao tại huyện Tân Thạnh", "KH nông nghiệp", "Phòng Nông nghiệp và PTNT huyện Tân Thạnh", "Cao Văn Định", false, "2023-05", "2024-04", undefined, 145, 0],
    ["H.MH.2022.01", "Ứng dụng mô hình nuôi tôm càng xanh luân canh trên ruộng lúa tại huyện Mộc Hóa", "KH nông nghiệp", "Phòng Nông nghiệp và PTNT huyện Mộc Hóa", "Phan Văn Nhựt", false, "2022-08", "2023-12", undefined, 230, 30],
    ["H.THoa.2023.01", "Đánh giá hiện trạng và giải pháp phát triển du lịch cộng đồng huyện Thạnh Hóa", "KH xã hội", "Phòng Văn hóa và Thông tin huyện Thạnh Hóa", "Đinh Thị Hoa", true, "2023-06", "2024-05", undefined, 120, 0],
    ["H.VH.2022.01", "Ứng dụng chế phẩm sinh học phòng trừ sâu bệnh trên cây lúa tại huyện Vĩnh Hưng", "KH nông nghiệp", "Phòng Nông nghiệp và PTNT huyện Vĩnh Hưng", "Lâm Văn Sang", false, "2022-04", "2023-03", "2023-05-10", 140, 0],
    ["H.TH.2022.02", "Xây dựng mô hình chăn nuôi bò sinh sản an toàn sinh học tại huyện Tân Hưng", "KH nông nghiệp", "Phòng Nông nghiệp và PTNT huyện Tân Hưng", "Nguyễn Văn Bảy", false, "2022-10", "2024-03", undefined, 290, 50],
    ["H.CG.2022.04", "Ứng dụng hệ thống xử lý nước thải chăn nuôi heo quy mô hộ gia đình", "KH kỹ thuật và công nghệ", "Phòng Tài nguyên và Môi trường huyện Cần Giuộc", "Tô Thị Ngọc Ánh", true, "2022-11", "2023-10", undefined, 165, 0],
    ["H.BL.2023.02", "Ứng dụng chuyển đổi số trong quản lý hộ kinh doanh cá thể huyện Bến Lức", "KH kỹ thuật và công nghệ", "Phòng Kinh tế và Hạ tầng huyện Bến Lức", "Trần Quốc Bảo", false, "2023-07", "2024-06", undefined, 110, 0],
  ] as const
).map(([code, title, fieldCell, lead, pi, female, start, end, accepted, tong, ngoai]) => {
  const field: FieldName =
    fieldCell === "" ? "Chưa phân loại" : fieldCell === "KH xã hội và nhân văn" ? "KH xã hội" : (fieldCell as FieldName);
  const t: Task = {
    code,
    title,
    level: "Huyện",
    field,
    lead,
    pi,
    female,
    start,
    end,
    tong,
    nsdp: tong - ngoai,
  };
  if (fieldCell !== field) t.fieldCell = fieldCell;
  if (accepted) t.accepted = accepted;
  if (ngoai) t.ngoai = ngoai;
  return t;
});

const ALL_TASKS: Task[] = [...NATIONAL, ...PROVINCIAL, ...GRASSROOTS, ...DISTRICT];

/** Money reserved in row 12 of 2024 for district tasks not yet chosen (triệu đồng). */
const DISTRICT_RESERVE_2024 = 300;

// ── the 01–18 hierarchy ──
export const LINES = HIERARCHY;
const LINE = new Map(LINES.map((l) => [l.code, l]));

/** nghìn đồng per leaf; 07 is left out and closes each column to its required total. */
type Col = "dt22" | "th22" | "dt23" | "th6t23" | "uoc23" | "dx24";
const sumTasks = (tasks: Task[], f: (t: Task) => number | undefined): number =>
  tasks.reduce((a, t) => a + (f(t) ?? 0), 0);
const K = 1000; // triệu → nghìn

const TASK_ROWS_2023 = {
  "09": sumTasks(NATIONAL, (t) => t.duToan2023) * K,
  "11": sumTasks(PROVINCIAL, (t) => t.duToan2023) * K,
  "12": sumTasks(GRASSROOTS, (t) => t.duToan2023) * K,
};
const TASK_ROWS_2024 = {
  "09": sumTasks(NATIONAL, (t) => t.deXuat2024) * K,
  "11": sumTasks(PROVINCIAL, (t) => t.deXuat2024) * K,
  "12": (sumTasks(GRASSROOTS, (t) => t.deXuat2024) + DISTRICT_RESERVE_2024) * K,
};

const TOTAL_03: Record<Col, number> = {
  dt22: 37_500_000,
  th22: 36_980_000,
  dt23: 39_651_195, // 39.651,195 triệu: the figure the seed writes as "39.651.195 triệu đồng"
  th6t23: 13_572_000,
  uoc23: 39_651_195,
  dx24: 41_612_000,
};

const GIVEN: Record<Col, Record<string, number>> = {
  dt22: { "02": 0, "05": 9_300_000, "06": 2_050_000, "09": 650_000, "11": 6_100_000, "12": 520_000, "14": 3_200_000, "15": 1_000_000, "16": 200_000, "17": 1_700_000, "18": 0 },
  th22: { "02": 0, "05": 9_280_000, "06": 2_010_000, "09": 640_000, "11": 5_870_000, "12": 505_000, "14": 3_150_000, "15": 985_000, "16": 150_000, "17": 1_640_000, "18": 0 },
  dt23: { "02": 0, "05": 9_842_195, "06": 2_150_000, ...TASK_ROWS_2023, "14": 3_500_000, "15": 1_200_000, "16": 250_000, "17": 1_850_000, "18": 0 },
  th6t23: { "02": 0, "05": 4_650_000, "06": 980_000, "09": 150_000, "11": 2_100_000, "12": 120_000, "14": 900_000, "15": 310_000, "16": 60_000, "17": 560_000, "18": 0 },
  uoc23: {}, // = dt23 leaf by leaf (the report expects 100 % disbursement)
  dx24: { "02": 0, "05": 10_350_000, "06": 2_250_000, ...TASK_ROWS_2024, "14": 3_800_000, "15": 1_300_000, "16": 300_000, "17": 2_000_000, "18": 0 },
};

function buildBudget(): Record<Col, Map<string, number>> {
  const out = {} as Record<Col, Map<string, number>>;
  for (const col of Object.keys(TOTAL_03) as Col[]) {
    const given = col === "uoc23" ? GIVEN.dt23 : GIVEN[col];
    const m = new Map<string, number>();
    const leaves03 = ["05", "06", "09", "10", "11", "12", "13", "14", "15", "16", "17"];
    const others = leaves03.reduce((a, c) => a + (given[c] ?? 0), 0);
    for (const [c, v] of Object.entries(given)) m.set(c, v);
    m.set("07", TOTAL_03[col] - others);
    const value = (code: string): number => {
      const l = LINE.get(code)!;
      if (!l.children) return m.get(code) ?? 0;
      const v = l.children.reduce((a, c) => a + value(c), 0);
      m.set(code, v);
      return v;
    };
    value("01");
    if (m.get("03") !== TOTAL_03[col]) throw new Error(`row 03 ${col}: ${m.get("03")}`);
    out[col] = m;
  }
  return out;
}
export const BUDGET = buildBudget();

// ───────────────────────────── sheet helpers ─────────────────────────────

const BOLD = { bold: true } as const;
const THIN = { style: "thin" } as const;
const BORDER = { top: THIN, left: THIN, bottom: THIN, right: THIN } as const;

function title(ws: ExcelJS.Worksheet, row: number, text: string, lastCol: number, opts: { bold?: boolean; align?: "left" | "center" | "right"; from?: number } = {}): void {
  const from = opts.from ?? 1;
  ws.mergeCells(row, from, row, lastCol);
  const c = ws.getCell(row, from);
  c.value = text;
  c.font = opts.bold ? { bold: true } : {};
  c.alignment = { horizontal: opts.align ?? "center" };
}

function header(ws: ExcelJS.Worksheet, row: number, col: number, text: string, span?: { rows?: number; cols?: number }): void {
  if (span && ((span.rows ?? 1) > 1 || (span.cols ?? 1) > 1)) {
    ws.mergeCells(row, col, row + (span.rows ?? 1) - 1, col + (span.cols ?? 1) - 1);
  }
  const c = ws.getCell(row, col);
  c.value = text;
  c.font = BOLD;
  c.alignment = { horizontal: "center", vertical: "middle", wrapText: true };
  c.border = BORDER;
}

/** A month as a real Excel date (first of the month, UTC so the serial does not move with TZ). */
function monthDate(ym: string): Date {
  const [y, m] = ym.split("-").map(Number);
  return new Date(Date.UTC(y!, m! - 1, 1));
}
function dayDate(ymd: string): Date {
  const [y, m, d] = ymd.split("-").map(Number);
  return new Date(Date.UTC(y!, m! - 1, d!));
}
const mY = (ym: string): string => `${Number(ym.slice(5))}/${ym.slice(0, 4)}`; // "3/2024"
const mmY = (ym: string): string => `${ym.slice(5)}/${ym.slice(0, 4)}`; // "03/2024"

/** Vietnamese thousands grouping, as staff type amounts into text cells: 13660 → "13.660". */
export function viText(n: number): string {
  const [int, frac] = String(n).split(".");
  const grouped = int!.replace(/\B(?=(\d{3})+(?!\d))/g, ".");
  return frac ? `${grouped},${frac}` : grouped;
}

// ───────────────────────────── P.KHTC: budget lines + task funding ─────────────────────────────

function budgetSheet(wb: ExcelJS.Workbook): void {
  // Excel caps sheet names at 31 characters: the full name is the title in row 3.
  const ws = wb.addWorksheet("TH va DT chi KHCN");
  const last = 11;
  ws.getCell("A1").value = "UBND TỈNH LONG AN";
  ws.getCell("A2").value = "SỞ KHOA HỌC VÀ CÔNG NGHỆ";
  ws.getCell("A2").font = BOLD;
  title(ws, 3, "Tình hình thực hiện và dự toán chi KH&CN", last, { bold: true });
  title(ws, 4, "Đơn vị tính: nghìn đồng", last, { align: "right" });
  header(ws, 6, 1, "Nội dung", { rows: 2 });
  header(ws, 6, 2, "Mã số", { rows: 2 });
  header(ws, 6, 3, "Năm 2022", { cols: 2 });
  header(ws, 7, 3, "Dự toán");
  header(ws, 7, 4, "Thực hiện");
  header(ws, 6, 5, "Năm 2023", { cols: 3 });
  header(ws, 7, 5, "Dự toán");
  header(ws, 7, 6, "Thực hiện 6 tháng");
  header(ws, 7, 7, "Ước thực hiện");
  header(ws, 6, 8, "Dự kiến 2024", { cols: 3 });
  header(ws, 7, 8, "NSTW");
  header(ws, 7, 9, "NSĐP");
  header(ws, 7, 10, "Tổng số");
  header(ws, 6, 11, "Ghi chú", { rows: 2 });
  ws.getColumn(1).width = 52;
  for (let c = 3; c <= 10; c++) ws.getColumn(c).width = 15;
  ws.getColumn(11).width = 30;

  const first = 8;
  const rowOf = new Map(LINES.map((l, i) => [l.code, first + i]));
  const cols: [number, Col][] = [[3, "dt22"], [4, "th22"], [5, "dt23"], [6, "th6t23"], [7, "uoc23"], [9, "dx24"]];
  LINES.forEach((l, i) => {
    const r = first + i;
    const row = ws.getRow(r);
    row.getCell(1).value = l.label;
    if (l.children) row.getCell(1).font = BOLD;
    // Mã số: rows 05–18 typed as numbers (Excel shows 5, 6 … 18), rows 01–04 as text "01"…
    row.getCell(2).value = Number(l.code) >= 5 ? Number(l.code) : l.code;
    row.getCell(2).alignment = { horizontal: "center" };
    for (const [c, col] of cols) {
      const v = BUDGET[col].get(l.code);
      const cell = row.getCell(c);
      if (l.children) {
        const L = colLetters(c);
        const kids = l.children.map((k) => `${L}${rowOf.get(k)}`);
        // 04 and 08 over a contiguous block: SUM(range); 01 and 03: SUM of the child cells.
        const contiguous = l.children.every((k, j) => rowOf.get(k) === rowOf.get(l.children![0]!)! + j);
        const formula = contiguous ? `SUM(${kids[0]}:${kids[kids.length - 1]})` : `SUM(${kids.join(",")})`;
        cell.value = { formula, result: v ?? 0 };
      } else if (v !== undefined) {
        cell.value = v;
      }
      cell.numFmt = "#,##0";
    }
    // NSTW 2024: nothing (left blank); Tổng số = NSTW + NSĐP, as a formula with its cached value.
    const tot = row.getCell(10);
    tot.value = { formula: `SUM(H${r}:I${r})`, result: BUDGET.dx24.get(l.code) ?? 0 };
    tot.numFmt = "#,##0";
    for (let c = 1; c <= last; c++) row.getCell(c).border = BORDER;
  });
  ws.getCell(rowOf.get("12")!, 11).value = `Gồm ${viText(DISTRICT_RESERVE_2024 * K)} nghìn đồng dự phòng cho nhiệm vụ cấp huyện năm 2024 chưa xác định`;
  ws.getCell(rowOf.get("03")!, 11).value = "Sự nghiệp khoa học địa phương";
}

const FUNDING_GROUPS: [string, Task[]][] = [
  ["I. Nhiệm vụ cấp quốc gia (phần đối ứng ngân sách tỉnh)", NATIONAL.filter((t) => t.duToan2023 || t.deXuat2024 || t.luyKe2022)],
  ["II. Nhiệm vụ cấp tỉnh", PROVINCIAL],
  ["III. Nhiệm vụ cấp cơ sở", GRASSROOTS],
];

function fundingSheet(wb: ExcelJS.Workbook): void {
  const ws = wb.addWorksheet("Cấp phát kinh phí nhiệm vụ");
  const last = 9;
  title(ws, 1, "SỞ KHOA HỌC VÀ CÔNG NGHỆ LONG AN", 3, { bold: true, align: "left" });
  title(ws, 2, "BẢNG THEO DÕI CẤP PHÁT KINH PHÍ NHIỆM VỤ KH&CN", last, { bold: true });
  title(ws, 3, "Đơn vị tính: triệu đồng", last, { align: "right" });
  header(ws, 5, 1, "STT", { rows: 2 });
  header(ws, 5, 2, "Mã nhiệm vụ", { rows: 2 });
  header(ws, 5, 3, "Tên nhiệm vụ", { rows: 2 });
  header(ws, 5, 4, "Dự toán 2023", { rows: 2 });
  header(ws, 5, 5, "Ước thực hiện năm 2023", { cols: 2 });
  header(ws, 6, 5, "NSĐP");
  header(ws, 6, 6, "Nguồn khác");
  header(ws, 5, 7, "Lũy kế đến hết 2022", { rows: 2 });
  header(ws, 5, 8, "Nhu cầu kinh phí năm 2024", { rows: 2 });
  header(ws, 5, 9, "Ghi chú", { rows: 2 });
  ws.getColumn(3).width = 60;
  for (let c = 4; c <= 8; c++) ws.getColumn(c).width = 14;

  let r = 7;
  const dataRows: number[] = [];
  const put = (c: number, v: number | undefined): void => {
    if (v === undefined) return;
    ws.getCell(r, c).value = v;
    ws.getCell(r, c).numFmt = "#,##0";
  };
  for (const [label, tasks] of FUNDING_GROUPS) {
    ws.getCell(r, 1).value = label;
    ws.getCell(r, 1).font = BOLD;
    r++;
    tasks.forEach((t, i) => {
      ws.getCell(r, 1).value = i + 1;
      ws.getCell(r, 2).value = t.code;
      ws.getCell(r, 3).value = t.title;
      put(4, t.duToan2023);
      put(5, t.uoc2023);
      put(6, t.uoc2023Khac);
      put(7, t.luyKe2022);
      put(8, t.deXuat2024);
      if (t.accepted) ws.getCell(r, 9).value = "Đã nghiệm thu, thanh lý hợp đồng";
      dataRows.push(r);
      r++;
    });
  }
  ws.getCell(r, 3).value = "Tổng cộng";
  ws.getCell(r, 3).font = BOLD;
  for (let c = 4; c <= 8; c++) {
    const L = colLetters(c);
    const all = FUNDING_GROUPS.flatMap(([, ts]) => ts);
    const key = (["duToan2023", "uoc2023", "uoc2023Khac", "luyKe2022", "deXuat2024"] as const)[c - 4]!;
    ws.getCell(r, c).value = {
      formula: `SUM(${L}${dataRows[0]}:${L}${dataRows[dataRows.length - 1]})`,
      result: sumTasks(all, (t) => t[key]),
    };
    ws.getCell(r, c).numFmt = "#,##0";
  }
}

// ───────────────────────────── P.QLKH: the task register ─────────────────────────────

function registerSheet(wb: ExcelJS.Workbook): { hiddenRow: number; blankRow: number } {
  const ws = wb.addWorksheet("DM nhiem vu");
  const last = 19;
  title(ws, 1, "UBND TỈNH LONG AN", 4, { bold: true });
  title(ws, 2, "SỞ KHOA HỌC VÀ CÔNG NGHỆ", 4, { bold: true });
  title(ws, 3, "DANH MỤC NHIỆM VỤ KHOA HỌC VÀ CÔNG NGHỆ ĐANG QUẢN LÝ NĂM 2023 VÀ ĐƯA VÀO KẾ HOẠCH NĂM 2024", last, { bold: true });
  title(ws, 4, "(Bản cuối, đã rà soát với Phòng Kế hoạch - Tài chính)", last);
  title(ws, 5, "Don vi tinh: trieu dong", last, { align: "right" });
  // Headers without diacritics, in the office's own column order.
  const h: [number, string][] = [
    [1, "STT"], [2, "Ten nhiem vu"], [3, "Ma NV"], [4, "Co quan chu tri"], [5, "Chu nhiem"],
    [6, "Gioi tinh chu nhiem"], [7, "Cap quan ly"], [8, "Linh vuc"], [9, "Thoi gian bat dau"],
    [10, "Thoi gian ket thuc"], [11, "So QD"], [17, "Tinh trang"], [18, "Ngay nghiem thu"], [19, "Ghi chu"],
  ];
  // Row 6 left blank, header on rows 7–8.
  for (const [c, text] of h) header(ws, 7, c, text, { rows: 2 });
  header(ws, 7, 12, "Kinh phi phe duyet", { cols: 5 });
  ["Tong", "NSTW", "NSDP", "NSNN", "Ngoai NSNN"].forEach((t, i) => header(ws, 8, 12 + i, t));
  ws.getColumn(2).width = 60;
  ws.getColumn(4).width = 36;

  let r = 9;
  let hiddenRow = 0;
  let blankRow = 0;
  let n = 0; // a running counter that decides the messy variants, row by row
  const groups: [string, Task[]][] = [
    ["I. Nhiệm vụ cấp quốc gia", NATIONAL],
    ["II. Nhiệm vụ cấp tỉnh", PROVINCIAL],
    ["III. Nhiệm vụ cấp cơ sở", GRASSROOTS],
  ];
  const levelCell = (t: Task, i: number): string =>
    t.level === "Quốc gia" ? (i === 0 ? "Nhà nước" : "Quốc gia") : t.level === "Tỉnh" ? (i % 3 === 1 ? "tỉnh" : "Tỉnh") : "Cơ sở";
  const monthCell = (ym: string, k: number): ExcelJS.CellValue => {
    switch (k % 4) {
      case 0:
        return mmY(ym); // "12/2016"
      case 1:
        return `tháng ${mY(ym)}`; // "tháng 10/2021"
      case 2:
        return monthDate(ym); // a real date, shown mm/yyyy
      default:
        return mY(ym); // "3/2024"
    }
  };
  for (const [label, tasks] of groups) {
    ws.getCell(r, 1).value = label;
    ws.getCell(r, 1).font = BOLD;
    r++;
    tasks.forEach((t, i) => {
      if (t.code === "T.2022.07") {
        blankRow = r; // a blank row left by someone who deleted a task's contents
        r++;
      }
      const row = ws.getRow(r);
      row.getCell(1).value = i + 1;
      row.getCell(2).value = t.title;
      row.getCell(3).value = t.code;
      row.getCell(4).value = t.lead;
      if (t.pi) row.getCell(5).value = t.pi;
      row.getCell(6).value = t.female ? "Nữ" : "Nam";
      row.getCell(7).value = levelCell(t, i);
      row.getCell(8).value = t.fieldCell ?? t.field;
      const s = monthCell(t.start, n);
      const e = monthCell(t.end, n + 1);
      row.getCell(9).value = s;
      row.getCell(10).value = e;
      if (s instanceof Date) row.getCell(9).numFmt = "mm/yyyy";
      if (e instanceof Date) row.getCell(10).numFmt = "mm/yyyy";
      n++;
      if (t.decision) row.getCell(11).value = t.decision;
      // Amounts: numbers, but a few typed as Vietnamese-style text ("13.660").
      const amt = (c: number, v: number | undefined, asText: boolean): void => {
        if (v === undefined) return;
        row.getCell(c).value = asText ? viText(v) : v;
        row.getCell(c).numFmt = "#,##0";
      };
      const textRow = t.code === "QG.2021.02" || t.code === "T.2022.07" || t.code === "CS.2022.01";
      amt(12, t.tong, textRow);
      amt(13, t.nstw, textRow);
      amt(14, t.nsdp, false);
      amt(15, t.nsnn, false);
      amt(16, t.ngoai, textRow);
      if (t.accepted) {
        row.getCell(17).value = "Đã nghiệm thu";
        row.getCell(18).value = dayDate(t.accepted);
        row.getCell(18).numFmt = "dd/mm/yyyy";
      } else if (t.start <= "2023-12") {
        row.getCell(17).value = "Đang thực hiện";
      } // tasks that start in 2024: status left blank (default: Đang thực hiện)
      if (t.start >= "2024-01") row.getCell(19).value = "Mở mới năm 2024";
      if (t.code === "QG.2016.01") row.getCell(19).value = "Tổng vốn; chưa có cơ cấu nguồn";
      if (t.code === "T.2021.04") {
        row.hidden = true; // hidden by the office, still a real task: loaded with a warning
        hiddenRow = r;
      }
      for (let c = 1; c <= last; c++) row.getCell(c).border = BORDER;
      r++;
    });
  }
  ws.getCell(r, 2).value = "Tổng cộng";
  ws.getCell(r, 2).font = BOLD;
  const reg = [...NATIONAL, ...PROVINCIAL, ...GRASSROOTS];
  // Typed totals (not SUM: Excel's SUM would skip the amounts typed as text).
  const totals: [number, (t: Task) => number | undefined][] = [
    [12, (t) => t.tong], [13, (t) => t.nstw], [14, (t) => t.nsdp], [15, (t) => t.nsnn], [16, (t) => t.ngoai],
  ];
  for (const [c, f] of totals) {
    ws.getCell(r, c).value = sumTasks(reg, f);
    ws.getCell(r, c).numFmt = "#,##0";
    ws.getCell(r, c).font = BOLD;
  }
  return { hiddenRow, blankRow };
}

// ───────────────────────────── Huyen: the district register ─────────────────────────────

function districtSheets(wb: ExcelJS.Workbook): void {
  // Sheet 1: the consolidated list as the districts sent it, period in ONE column.
  const one = DISTRICT.slice(0, 13);
  const two = DISTRICT.slice(13);
  {
    const ws = wb.addWorksheet("NV cap huyen 2023");
    const last = 14;
    title(ws, 1, "SỞ KHOA HỌC VÀ CÔNG NGHỆ LONG AN", 4, { bold: true, align: "left" });
    title(ws, 2, "TỔNG HỢP NHIỆM VỤ KH&CN CẤP HUYỆN NĂM 2023", last, { bold: true });
    const h = [
      "STT", "Mã số", "Tên nhiệm vụ", "Cấp", "Lĩnh vực", "Cơ quan chủ trì", "Chủ nhiệm",
      "Giới tính chủ nhiệm", "Thời gian thực hiện", "Tổng kinh phí (triệu đồng)", "NSĐP", "Ngoài NSNN",
      "Tình trạng", "Ngày nghiệm thu",
    ];
    h.forEach((t, i) => header(ws, 4, i + 1, t));
    ws.getColumn(3).width = 60;
    one.forEach((t, i) => {
      const r = 5 + i;
      const row = ws.getRow(r);
      row.getCell(1).value = i + 1;
      row.getCell(2).value = t.code;
      row.getCell(3).value = t.title;
      row.getCell(4).value = "Huyện";
      if (t.fieldCell !== "") row.getCell(5).value = t.fieldCell ?? t.field;
      row.getCell(6).value = t.lead;
      row.getCell(7).value = t.pi!;
      row.getCell(8).value = t.female ? "Nữ" : "Nam";
      // "10/2021-3/2024" and "10/2021 - 3/2024", alternating
      row.getCell(9).value = i % 2 === 0 ? `${mY(t.start)}-${mY(t.end)}` : `${mY(t.start)} - ${mY(t.end)}`;
      row.getCell(10).value = t.tong;
      row.getCell(11).value = t.nsdp!;
      if (t.ngoai) row.getCell(12).value = t.ngoai;
      row.getCell(13).value = t.accepted ? "Đã nghiệm thu" : "Đang thực hiện";
      if (t.accepted) {
        row.getCell(14).value = dayDate(t.accepted);
        row.getCell(14).numFmt = "dd/mm/yyyy";
      }
      for (let c = 1; c <= last; c++) row.getCell(c).border = BORDER;
    });
  }
  // Sheet 2: a late district file pasted as its own sheet, start and end as real dates.
  {
    const ws = wb.addWorksheet("Bo sung");
    const last = 15;
    title(ws, 1, "NHIỆM VỤ KH&CN CẤP HUYỆN NĂM 2023 (BỔ SUNG)", last, { bold: true });
    title(ws, 2, "Đơn vị tính: triệu đồng", last, { align: "right" });
    const h = [
      "STT", "Mã số", "Tên nhiệm vụ", "Cấp quản lý", "Lĩnh vực", "Tổ chức chủ trì", "Chủ nhiệm",
      "Giới tính chủ nhiệm", "Bắt đầu", "Kết thúc", "Tổng kinh phí", "NSNN", "Ngoài NSNN",
      "Tình trạng", "Ngày nghiệm thu",
    ];
    h.forEach((t, i) => header(ws, 4, i + 1, t));
    ws.getColumn(3).width = 60;
    two.forEach((t, i) => {
      const row = ws.getRow(5 + i);
      row.getCell(1).value = i + 1;
      row.getCell(2).value = t.code;
      row.getCell(3).value = t.title;
      row.getCell(4).value = "Huyện";
      row.getCell(5).value = t.fieldCell ?? t.field;
      row.getCell(6).value = t.lead;
      row.getCell(7).value = t.pi!;
      row.getCell(8).value = t.female ? "Nữ" : "Nam";
      row.getCell(9).value = monthDate(t.start);
      row.getCell(9).numFmt = "mm/yyyy";
      row.getCell(10).value = monthDate(t.end);
      row.getCell(10).numFmt = "mm/yyyy";
      row.getCell(11).value = t.tong;
      row.getCell(12).value = t.nsdp!; // NSNN of a district task → NSĐP by the level rule
      if (t.ngoai) row.getCell(13).value = t.ngoai;
      // Status only where something happened; blank = Đang thực hiện (the default).
      if (t.accepted) {
        row.getCell(14).value = "Đã nghiệm thu";
        row.getCell(15).value = dayDate(t.accepted);
        row.getCell(15).numFmt = "dd/mm/yyyy";
      }
      for (let c = 1; c <= last; c++) row.getCell(c).border = BORDER;
    });
  }
}

// ───────────────────────────── Kind 4: indicators ─────────────────────────────

interface Indicator {
  code?: string;
  area: string; // the PL06 area heading
  label: string;
  unit: string;
  parent?: string;
  th22?: number;
  kh23?: number;
  th6t23?: number;
  kh24?: number;
  office: string;
}

const AREA = {
  TDC: "Tiêu chuẩn–Đo lường–Chất lượng",
  SHTT: "Sở hữu trí tuệ",
  ATBX: "An toàn bức xạ",
  TT: "Thanh tra, kiểm tra",
  DN: "Doanh nghiệp KH&CN",
  TSN: "Thu sự nghiệp",
} as const;

const INDICATORS: Indicator[] = [
  // TĐC sub-department (TDC/)
  { office: "TDC", code: "TDC.01", area: AREA.TDC, label: "Số cơ sở được kiểm tra về tiêu chuẩn, đo lường, chất lượng", unit: "cơ sở", th22: 85, kh23: 90, th6t23: 46, kh24: 95 },
  { office: "TDC", code: "TDC.02", area: AREA.TDC, label: "Số cơ sở vi phạm", unit: "cơ sở", th22: 3, th6t23: 1 },
  { office: "TDC", code: "TDC.03", area: AREA.TDC, label: "Số quyết định xử phạt vi phạm hành chính (Chi cục TĐC)", unit: "quyết định", th22: 3, th6t23: 1 },
  { office: "TDC", code: "TDC.04", area: AREA.TDC, label: "Số tiền xử phạt vi phạm hành chính (Chi cục TĐC)", unit: "đồng", th22: 12_500_000, th6t23: 3_500_000 },
  { office: "TDC", code: "TDC.05", area: AREA.TDC, label: "Doanh nghiệp sẵn sàng tham gia Chương trình năng suất chất lượng", unit: "doanh nghiệp", th22: 21, kh23: 25, th6t23: 27, kh24: 30 },
  { office: "TDC", code: "TDC.06", area: AREA.TDC, label: "Cơ quan hành chính cấp tỉnh, huyện áp dụng TCVN ISO 9001:2015", unit: "cơ quan", th22: 41, kh23: 41, th6t23: 41, kh24: 42 },
  // Inspectorate (Thanh tra/), the TCVN3 workbook
  { office: "Thanh tra", area: AREA.TT, label: "Số cơ sở được thanh tra, kiểm tra", unit: "cơ sở", th22: 352, kh23: 337, th6t23: 183, kh24: 340 },
  { office: "Thanh tra", area: AREA.TT, label: "Số cơ sở vi phạm", unit: "cơ sở", th22: 9, th6t23: 3 },
  { office: "Thanh tra", area: AREA.TT, label: "Số quyết định xử phạt vi phạm hành chính (Thanh tra Sở)", unit: "quyết định", th22: 8, th6t23: 3 },
  { office: "Thanh tra", area: AREA.TT, label: "Số tiền xử phạt vi phạm hành chính (Thanh tra Sở)", unit: "đồng", th22: 61_250_000, th6t23: 24_500_000 },
  { office: "Thanh tra", area: AREA.TT, label: "Số đơn phản ánh, kiến nghị được giải quyết", unit: "đơn", th22: 3, th6t23: 2 },
  // Technology/IP office and the centre (TT UD/), area as group rows
  { office: "TT UD", code: "SHTT.01", area: AREA.SHTT, label: "Số nhãn hiệu được hỗ trợ đăng ký bảo hộ", unit: "nhãn hiệu", th22: 35, kh23: 45, th6t23: 40, kh24: 50 },
  { office: "TT UD", code: "SHTT.02", area: AREA.SHTT, label: "Số nhãn hiệu tập thể được hỗ trợ đăng ký", unit: "nhãn hiệu", th22: 5, kh23: 10, th6t23: 8, kh24: 10 },
  { office: "TT UD", code: "ATBX.01", area: AREA.ATBX, label: "Số hồ sơ an toàn bức xạ được tiếp nhận, giải quyết", unit: "hồ sơ", th22: 62, kh23: 70, th6t23: 35, kh24: 70 },
  { office: "TT UD", code: "ATBX.01.1", parent: "ATBX.01", area: AREA.ATBX, label: "Cấp giấy phép tiến hành công việc bức xạ", unit: "hồ sơ", th22: 24, th6t23: 13 },
  { office: "TT UD", code: "ATBX.01.2", parent: "ATBX.01", area: AREA.ATBX, label: "Gia hạn giấy phép tiến hành công việc bức xạ", unit: "hồ sơ", th22: 18, th6t23: 8 },
  { office: "TT UD", code: "ATBX.01.3", parent: "ATBX.01", area: AREA.ATBX, label: "Sửa đổi giấy phép tiến hành công việc bức xạ", unit: "hồ sơ", th22: 2, th6t23: 1 },
  { office: "TT UD", code: "ATBX.01.4", parent: "ATBX.01", area: AREA.ATBX, label: "Bổ sung giấy phép tiến hành công việc bức xạ", unit: "hồ sơ", th22: 3, th6t23: 1 },
  { office: "TT UD", code: "ATBX.01.5", parent: "ATBX.01", area: AREA.ATBX, label: "Cấp chứng chỉ nhân viên bức xạ", unit: "hồ sơ", th22: 15, th6t23: 12 },
  { office: "TT UD", code: "TSN.01", area: AREA.TSN, label: "Thu sự nghiệp (dịch vụ KH&CN; đo lường, thử nghiệm; đề tài, dự án)", unit: "triệu đồng", th22: 4223, kh23: 4223, th6t23: 1564, kh24: 4500 },
  // S&T enterprises, in the workbook dropped straight into the inbox (office "chung")
  { office: "chung", code: "DN.02", area: AREA.DN, label: "Số tổ chức khoa học và công nghệ", unit: "tổ chức", th22: 9, kh23: 10, th6t23: 9, kh24: 10 },
  { office: "chung", code: "DN.01", area: AREA.DN, label: "Số doanh nghiệp khoa học và công nghệ (lũy kế)", unit: "doanh nghiệp", th22: 20, kh23: 23, th6t23: 22, kh24: 25 },
  { office: "chung", code: "DN.03", area: AREA.DN, label: "Doanh nghiệp KH&CN thành lập Quỹ phát triển KH&CN", unit: "doanh nghiệp", th22: 2, kh23: 4, th6t23: 3, kh24: 5 },
];

const IND_HEAD = ["Thực hiện năm 2022", "Kế hoạch 2023", "Thực hiện 6 tháng đầu năm 2023", "Kế hoạch 2024"];

function putInd(row: ExcelJS.Row, first: number, ind: Indicator, asText = false): void {
  [ind.th22, ind.kh23, ind.th6t23, ind.kh24].forEach((v, i) => {
    if (v === undefined) return;
    const c = row.getCell(first + i);
    // Large đồng amounts typed as text by the office ("24.500.000"): unambiguous, several groups.
    c.value = asText && v >= 1_000_000 ? viText(v) : v;
    c.numFmt = "#,##0";
  });
}

function tdcSheet(wb: ExcelJS.Workbook): void {
  const ws = wb.addWorksheet("Chi tieu 6T 2023");
  const last = 9;
  title(ws, 1, "CHI CỤC TIÊU CHUẨN ĐO LƯỜNG CHẤT LƯỢNG", 4, { bold: true, align: "left" });
  title(ws, 2, "KẾT QUẢ THỰC HIỆN CHỈ TIÊU 6 THÁNG ĐẦU NĂM 2023 VÀ KẾ HOẠCH NĂM 2024", last, { bold: true });
  ["Mã chỉ tiêu", "Lĩnh vực", "Chỉ tiêu", "Đơn vị tính", ...IND_HEAD, "Ghi chú"].forEach((t, i) => header(ws, 4, i + 1, t));
  ws.getColumn(3).width = 60;
  INDICATORS.filter((x) => x.office === "TDC").forEach((ind, i) => {
    const row = ws.getRow(5 + i);
    row.getCell(1).value = ind.code!;
    row.getCell(2).value = ind.area;
    row.getCell(3).value = ind.label;
    row.getCell(4).value = ind.unit;
    putInd(row, 5, ind);
    if (ind.code === "TDC.04") row.getCell(9).value = "01 quyết định, cơ sở kinh doanh vàng trang sức";
  });
}

/** The inspectorate still types in TCVN3 with .VnTime: every text cell is legacy-encoded. */
function thanhTraSheet(wb: ExcelJS.Workbook): void {
  const ws = wb.addWorksheet("Thanh tra 6T");
  const font = { name: ".VnTime", size: 13 };
  const boldFont = { ...font, bold: true };
  const last = 9;
  const tx = (r: number, c: number, s: string, bold = false): void => {
    const cell = ws.getCell(r, c);
    cell.value = toTcvn3(s);
    cell.font = bold ? boldFont : font;
  };
  ws.mergeCells(1, 1, 1, 4);
  tx(1, 1, "Sở Khoa học và Công nghệ", true);
  ws.mergeCells(2, 1, 2, 4);
  tx(2, 1, "Thanh tra Sở", true);
  ws.mergeCells(3, 1, 3, last);
  tx(3, 1, "Báo cáo kết quả thanh tra, kiểm tra 6 tháng đầu năm 2023", true);
  ws.getCell(3, 1).alignment = { horizontal: "center" };
  ["STT", "Lĩnh vực", "Chỉ tiêu", "Đơn vị tính", ...IND_HEAD, "Ghi chú"].forEach((t, i) => {
    tx(5, i + 1, t, true);
    ws.getCell(5, i + 1).border = BORDER;
    ws.getCell(5, i + 1).alignment = { horizontal: "center", vertical: "middle", wrapText: true };
  });
  ws.getColumn(3).width = 55;
  INDICATORS.filter((x) => x.office === "Thanh tra").forEach((ind, i) => {
    const r = 6 + i;
    const row = ws.getRow(r);
    row.getCell(1).value = i + 1;
    tx(r, 2, ind.area);
    tx(r, 3, ind.label);
    tx(r, 4, ind.unit);
    putInd(row, 5, ind, true);
    if (ind.unit === "đồng") tx(r, 9, "03 quyết định xử phạt");
  });
}

function ttudSheet(wb: ExcelJS.Workbook): void {
  const ws = wb.addWorksheet("Sheet1");
  const last = 8;
  title(ws, 1, "TRUNG TÂM ỨNG DỤNG TIẾN BỘ KH&CN - PHÒNG QLCN&SHTT", last, { bold: true, align: "left" });
  title(ws, 2, "Chỉ tiêu hoạt động năm 2023 - 2024", last, { bold: true });
  const h = ["Mã chỉ tiêu", "Chỉ tiêu", "Đơn vị tính", "Thuộc chỉ tiêu", "Thực hiện năm 2022", "Kế hoạch năm 2023", "TH 6 tháng đầu năm 2023", "Kế hoạch năm 2024"];
  h.forEach((t, i) => header(ws, 4, i + 1, t));
  ws.getColumn(2).width = 60;
  let r = 5;
  const groups: [string, string][] = [
    ["I. Sở hữu trí tuệ", AREA.SHTT],
    ["II. An toàn bức xạ", AREA.ATBX],
    ["III. Thu sự nghiệp", AREA.TSN],
  ];
  for (const [label, area] of groups) {
    ws.getCell(r, 2).value = label; // the group row: its heading in the Chỉ tiêu column, no code
    ws.getCell(r, 2).font = BOLD;
    r++;
    for (const ind of INDICATORS.filter((x) => x.office === "TT UD" && x.area === area)) {
      const row = ws.getRow(r);
      row.getCell(1).value = ind.code!;
      row.getCell(2).value = ind.label; // "of which" rows: the Thuộc chỉ tiêu column says so
      row.getCell(3).value = ind.unit;
      if (ind.parent) row.getCell(4).value = ind.parent;
      putInd(row, 5, ind);
      r++;
    }
  }
}

function chungWorkbook(): ExcelJS.Workbook {
  const wb = newWorkbook();
  const ws = wb.addWorksheet("DN KHCN");
  title(ws, 1, "VĂN PHÒNG SỞ - TỔNG HỢP CHỈ TIÊU DOANH NGHIỆP KH&CN", 8, { bold: true });
  ["Mã chỉ tiêu", "Lĩnh vực", "Chỉ tiêu", "Đơn vị tính", ...IND_HEAD].forEach((t, i) => header(ws, 3, i + 1, t));
  ws.getColumn(3).width = 55;
  INDICATORS.filter((x) => x.office === "chung").forEach((ind, i) => {
    const row = ws.getRow(4 + i);
    row.getCell(1).value = ind.code!;
    row.getCell(2).value = ind.area;
    row.getCell(3).value = ind.label;
    row.getCell(4).value = ind.unit;
    putInd(row, 5, ind);
  });
  // A contact list kept in the same file: matches no kind, skipped and listed by the ETL.
  const c = wb.addWorksheet("Danh ba");
  ["Họ và tên", "Phòng", "Điện thoại", "Thư điện tử"].forEach((t, i) => header(c, 1, i + 1, t));
  const people = [
    ["Nguyễn Thị Hồng Nhung", "Văn phòng", "0272 3 826 001", "vanphong@example.invalid"],
    ["Trần Văn Lộc", "Phòng Kế hoạch - Tài chính", "0272 3 826 002", "khtc@example.invalid"],
    ["Lê Minh Châu", "Phòng Quản lý khoa học", "0272 3 826 003", "qlkh@example.invalid"],
    ["Phạm Quốc Huy", "Thanh tra Sở", "0272 3 826 004", "thanhtra@example.invalid"],
  ];
  people.forEach((p, i) => p.forEach((v, j) => (c.getCell(2 + i, j + 1).value = v)));
  return wb;
}

// ───────────────────────────── the merged Tây Ninh: plan year 2026 ─────────────────────────────
// Since 1 July 2025 Long An (80) and Tây Ninh (72) are one province, Tây Ninh (code 80, centre in
// Tân An). Its department's inbox (sample/tay-ninh/inbox/) holds one folder per former province,
// named "<code> <name>" of the former unit, with that province's 2024–2025 spreadsheets; the merged
// department's own 2026 estimate sits at the top as usual. Filled for N = 2026, PL01's columns
// (2024 and 2025) are the two former provinces' sums. Figures in triệu đồng, all NSĐP.

type Leaves = Record<string, number>;
/** The leaves of the 01–18 table (the rows with no children). */
const LEAF_CODES = LINES.filter((l) => !l.children).map((l) => l.code);
const scaleLeaves = (src: Leaves, f: number): Leaves =>
  Object.fromEntries(Object.entries(src).map(([c, v]) => [c, Math.round(v * f)]));
/** Every line's figure: leaves as given, sum rows the sum of their children. */
function withSums(leaves: Leaves): Map<string, number> {
  const m = new Map<string, number>();
  const value = (code: string): number => {
    const l = LINE.get(code)!;
    const v = l.children ? l.children.reduce((a, c) => a + value(c), 0) : leaves[code] ?? 0;
    m.set(code, v);
    return v;
  };
  value("01");
  return m;
}

/** Long An's 2024 estimate (the de_xuat 2024 of the 2024 sample) became its dự toán 2024. */
const LA_DT24: Leaves = Object.fromEntries(LEAF_CODES.map((c) => [c, (BUDGET.dx24.get(c) ?? 0) / K]));
const TN_DT24: Leaves = { "02": 0, "05": 7_800, "06": 1_600, "07": 9_200, "09": 300, "11": 4_100, "12": 650, "14": 2_100, "15": 800, "16": 150, "17": 1_200, "18": 0 };
type MCol = "dt24" | "th24" | "dt25" | "th6t25" | "uoc25";
function formerBudget(dt24: Leaves, r: { th: number; dt: number; th6t: number; uoc: number }): Record<MCol, Map<string, number>> {
  const dt25 = scaleLeaves(dt24, r.dt);
  return {
    dt24: withSums(dt24),
    th24: withSums(scaleLeaves(dt24, r.th)),
    dt25: withSums(dt25),
    th6t25: withSums(scaleLeaves(dt25, r.th6t)),
    uoc25: withSums(scaleLeaves(dt25, r.uoc)),
  };
}
export const MERGED = {
  longAn: formerBudget(LA_DT24, { th: 0.97, dt: 1.06, th6t: 0.42, uoc: 0.99 }),
  tayNinh: formerBudget(TN_DT24, { th: 0.95, dt: 1.05, th6t: 0.45, uoc: 1 }),
};
/** The merged department's estimate for 2026: both former provinces' dự toán 2025 plus 8 %. */
const DX26: Map<string, number> = withSums(
  Object.fromEntries(LEAF_CODES.map((c) => [c, Math.round(((MERGED.longAn.dt25.get(c) ?? 0) + (MERGED.tayNinh.dt25.get(c) ?? 0)) * 1.08)])),
);

export interface MergedTask {
  code: string; title: string; lead: string; pi: string; female: boolean; level: string; field: string;
  start: string; end: string; tong: number; accepted?: string; dt25?: number; luyKe24?: number; nhuCau26?: number;
}
/** Tây Ninh's (72) tasks: one of cấp huyện from 2023, kept (a level of its year). */
export const TAY_NINH_TASKS: MergedTask[] = [
  { code: "TN.T.2024.01", title: "Ứng dụng công nghệ tưới tiết kiệm nước cho cây mãng cầu ở vùng đồi núi Bà Đen", lead: "Trung tâm Ứng dụng tiến bộ KH&CN Tây Ninh", pi: "Nguyễn Thị Thu Hà", female: true, level: "Tỉnh", field: "KH nông nghiệp", start: "2024-03", end: "2026-06", tong: 1_800, dt25: 700, luyKe24: 500, nhuCau26: 600 },
  { code: "TN.H.2023.01", title: "Khảo sát nhu cầu chuyển đổi số của hộ kinh doanh huyện Gò Dầu", lead: "Phòng Kinh tế - Hạ tầng huyện Gò Dầu", pi: "Trần Văn Phúc", female: false, level: "Huyện", field: "KH xã hội", start: "2023-05", end: "2025-04", tong: 250, accepted: "2025-05-20", dt25: 80, luyKe24: 170 },
  { code: "TN.CS.2025.01", title: "Xây dựng quy trình kiểm định nhanh độ ẩm nông sản sau thu hoạch", lead: "Chi cục Tiêu chuẩn Đo lường Chất lượng Tây Ninh", pi: "Lê Minh Tâm", female: false, level: "Cơ sở", field: "KH kỹ thuật và công nghệ", start: "2025-02", end: "2025-12", tong: 120, dt25: 120 },
];

function mergedBudgetSheet(
  wb: ExcelJS.Workbook,
  province: string,
  groups: { label: string; cols: { head: string; values: Map<string, number> }[] }[],
  note?: string,
): void {
  const ws = wb.addWorksheet("TH va DT chi KHCN");
  const nCols = groups.reduce((a, g) => a + g.cols.length, 0);
  const last = 2 + nCols;
  ws.getCell("A1").value = `UBND TỈNH ${province.toUpperCase()}`;
  ws.getCell("A2").value = "SỞ KHOA HỌC VÀ CÔNG NGHỆ";
  ws.getCell("A2").font = BOLD;
  title(ws, 3, "Tình hình thực hiện và dự toán chi KH&CN", last, { bold: true });
  title(ws, 4, "Đơn vị tính: triệu đồng", last, { align: "right" });
  header(ws, 6, 1, "Nội dung", { rows: 2 });
  header(ws, 6, 2, "Mã số", { rows: 2 });
  let c = 3;
  for (const g of groups) {
    header(ws, 6, c, g.label, { cols: g.cols.length });
    g.cols.forEach((x, i) => header(ws, 7, c + i, x.head));
    c += g.cols.length;
  }
  ws.getColumn(1).width = 52;
  for (let k = 3; k <= last; k++) ws.getColumn(k).width = 15;
  const first = 8;
  const rowOf = new Map(LINES.map((l, i) => [l.code, first + i]));
  const cols = groups.flatMap((g) => g.cols);
  LINES.forEach((l, i) => {
    const row = ws.getRow(first + i);
    row.getCell(1).value = l.label;
    if (l.children) row.getCell(1).font = BOLD;
    row.getCell(2).value = l.code;
    cols.forEach((x, k) => {
      const cell = row.getCell(3 + k);
      const v = x.values.get(l.code);
      if (l.children) {
        const L = colLetters(3 + k);
        cell.value = { formula: `SUM(${l.children.map((ch) => `${L}${rowOf.get(ch)}`).join(",")})`, result: v ?? 0 };
      } else if (v !== undefined) cell.value = v;
      cell.numFmt = "#,##0";
    });
    for (let k = 1; k <= last; k++) row.getCell(k).border = BORDER;
  });
  if (note) ws.getCell(first + LINES.length + 1, 1).value = note;
}

/** The register sheet of the merged sample (exported: tests write other tasks in the same layout). */
export function mergedRegisterSheet(wb: ExcelJS.Workbook, tasks: MergedTask[] = TAY_NINH_TASKS): void {
  const ws = wb.addWorksheet("DM nhiem vu");
  const last = 14;
  title(ws, 1, "UBND TỈNH TÂY NINH", 4, { bold: true });
  title(ws, 2, "DANH MỤC NHIỆM VỤ KHOA HỌC VÀ CÔNG NGHỆ NĂM 2025", last, { bold: true });
  title(ws, 3, "Đơn vị tính: triệu đồng", last, { align: "right" });
  const h: [number, string][] = [
    [1, "STT"], [2, "Mã nhiệm vụ"], [3, "Tên nhiệm vụ"], [4, "Tổ chức chủ trì"], [5, "Chủ nhiệm"], [6, "Giới tính chủ nhiệm"],
    [7, "Cấp quản lý"], [8, "Lĩnh vực"], [9, "Thời gian bắt đầu"], [10, "Thời gian kết thúc"], [13, "Tình trạng"], [14, "Ngày nghiệm thu"],
  ];
  for (const [col, text] of h) header(ws, 5, col, text, { rows: 2 });
  header(ws, 5, 11, "Kinh phí phê duyệt", { cols: 2 });
  header(ws, 6, 11, "Tổng");
  header(ws, 6, 12, "NSĐP");
  ws.getColumn(3).width = 60;
  tasks.forEach((t, i) => {
    const row = ws.getRow(7 + i);
    const vals: [number, ExcelJS.CellValue][] = [
      [1, i + 1], [2, t.code], [3, t.title], [4, t.lead], [5, t.pi], [6, t.female ? "Nữ" : "Nam"], [7, t.level], [8, t.field],
      [9, mmY(t.start)], [10, mmY(t.end)], [11, t.tong], [12, t.tong], [13, t.accepted ? "Đã nghiệm thu" : "Đang thực hiện"],
    ];
    for (const [col, v] of vals) row.getCell(col).value = v;
    if (t.accepted) {
      row.getCell(14).value = dayDate(t.accepted);
      row.getCell(14).numFmt = "dd/mm/yyyy";
    }
    for (let k = 1; k <= last; k++) row.getCell(k).border = BORDER;
  });
}

function mergedFundingSheet(wb: ExcelJS.Workbook): void {
  const ws = wb.addWorksheet("Cấp phát kinh phí nhiệm vụ");
  title(ws, 1, "BẢNG THEO DÕI CẤP PHÁT KINH PHÍ NHIỆM VỤ KH&CN", 6, { bold: true });
  title(ws, 2, "Đơn vị tính: triệu đồng", 6, { align: "right" });
  ["Mã nhiệm vụ", "Tên nhiệm vụ", "Dự toán 2025", "Lũy kế đến hết 2024", "Nhu cầu kinh phí năm 2026"].forEach((t, i) => header(ws, 4, 1 + i, t));
  ws.getColumn(2).width = 60;
  TAY_NINH_TASKS.forEach((t, i) => {
    const row = ws.getRow(5 + i);
    row.getCell(1).value = t.code;
    row.getCell(2).value = t.title;
    if (t.dt25 !== undefined) row.getCell(3).value = t.dt25;
    if (t.luyKe24 !== undefined) row.getCell(4).value = t.luyKe24;
    if (t.nhuCau26 !== undefined) row.getCell(5).value = t.nhuCau26;
  });
}

export const MERGED_FILES = {
  longAn: "tay-ninh/inbox/80 Long An/P.KHTC/TH va DT chi KHCN 2024-2025 - Long An.xlsx",
  tayNinh: "tay-ninh/inbox/72 Tây Ninh/P.KHTC/TH va DT chi KHCN 2024-2025 - Tay Ninh.xlsx",
  tayNinhTasks: "tay-ninh/inbox/72 Tây Ninh/P.QLKH/Danh muc nhiem vu KHCN 2025 - Tay Ninh.xlsx",
  estimate: "tay-ninh/inbox/P.KHTC/Du toan KHCN 2026.xlsx",
  config: "tay-ninh/phuluc.config.json",
  readme: "tay-ninh/README.md",
} as const;

async function makeMergedSample(outDir: string, w: (rel: string, wb: ExcelJS.Workbook) => Promise<void>, text: (rel: string, s: string) => void): Promise<void> {
  rmSync(join(outDir, "tay-ninh", "inbox"), { recursive: true, force: true });
  const former = (b: Record<MCol, Map<string, number>>) => [
    { label: "Năm 2024", cols: [{ head: "Dự toán", values: b.dt24 }, { head: "Thực hiện", values: b.th24 }] },
    { label: "Năm 2025", cols: [{ head: "Dự toán", values: b.dt25 }, { head: "Thực hiện 6 tháng", values: b.th6t25 }, { head: "Ước thực hiện", values: b.uoc25 }] },
  ];
  let wb = newWorkbook();
  mergedBudgetSheet(wb, "Long An", former(MERGED.longAn));
  await w(MERGED_FILES.longAn, wb);
  wb = newWorkbook();
  mergedBudgetSheet(wb, "Tây Ninh", former(MERGED.tayNinh));
  await w(MERGED_FILES.tayNinh, wb);
  wb = newWorkbook();
  mergedRegisterSheet(wb);
  mergedFundingSheet(wb);
  await w(MERGED_FILES.tayNinhTasks, wb);
  wb = newWorkbook();
  mergedBudgetSheet(wb, "Tây Ninh", [{ label: "Dự kiến 2026", cols: [{ head: "NSTW", values: new Map() }, { head: "NSĐP", values: DX26 }, { head: "Tổng số", values: DX26 }] }], "Tỉnh Tây Ninh sau hợp nhất (Nghị quyết 202/2025/QH15), trụ sở tại Tân An");
  await w(MERGED_FILES.estimate, wb);
  text(MERGED_FILES.config, JSON.stringify({ province: { code: "80", name: "Tây Ninh" } }, null, 2) + "\n");
  text(MERGED_FILES.readme, mergedReadme());
}

function mergedReadme(): string {
  const L: string[] = [];
  const p = (s = ""): void => void L.push(s);
  const t = (v: number | undefined): string => (v === undefined ? "" : viText(v));
  p("# The merged Tây Ninh (code 80 since 1 July 2025), plan year 2026");
  p();
  p("Generated by `npx tsx scripts/make-sample.ts` with the Long An sample beside it — do not edit by");
  p("hand. Since 1 July 2025 Long An (former code 80) and Tây Ninh (former code 72) are one province,");
  p("Tây Ninh, code 80, centre in Tân An (Nghị quyết 202/2025/QH15; codes: Quyết định 19/2025/QĐ-TTg).");
  p("Its department's inbox holds one folder per former province, named `<code> <name>` of the former");
  p("unit; the files in it keep that origin (`origin_unit` `80@2008` Long An, `72@2008` Tây Ninh).");
  p("Loaded with `phuluc.config.json` (province 80, Tây Ninh) and filled for **N = 2026**, PL01's");
  p("columns (N-2 = 2024, N-1 = 2025) are the sums of the two former provinces' figures below.");
  p("Money in triệu đồng, all NSĐP.");
  p();
  p("| file (identity) | what it holds |");
  p("|---|---|");
  p("| `80 Long An/P.KHTC/TH va DT chi KHCN 2024-2025 - Long An.xlsx` | Long An's 01–18 table: 2024 dự toán and thực hiện, 2025 dự toán, 6 months and expected |");
  p("| `72 Tây Ninh/P.KHTC/TH va DT chi KHCN 2024-2025 - Tay Ninh.xlsx` | the same for the former Tây Ninh |");
  p("| `72 Tây Ninh/P.QLKH/Danh muc nhiem vu KHCN 2025 - Tay Ninh.xlsx` | 3 tasks of the former Tây Ninh (one cấp huyện task of 2023, kept: a level of its year) and their funding |");
  p("| `P.KHTC/Du toan KHCN 2026.xlsx` | the merged department's estimate for 2026 (Dự kiến 2026, NSĐP) |");
  p();
  p("## PL01 for N = 2026: Long An + Tây Ninh = the form");
  p();
  p("| Mã số | 1 DT 2024 (LA + TN = form) | 2 TH 2024 | 3 DT 2025 | 4 TH 6T 2025 | 6 Ước TH 2025 |");
  p("|---|--:|--:|--:|--:|--:|");
  const { longAn: a, tayNinh: b } = MERGED;
  for (const l of LINES) {
    const cell = (col: MCol): string => `${t(a[col].get(l.code))} + ${t(b[col].get(l.code))} = **${t((a[col].get(l.code) ?? 0) + (b[col].get(l.code) ?? 0))}**`;
    p(`| ${l.code} | ${cell("dt24")} | ${cell("th24")} | ${cell("dt25")} | ${cell("th6t25")} | ${cell("uoc25")} |`);
  }
  p();
  p("## PL02 for N = 2026 (Dự kiến 2026, NSĐP)");
  p();
  p("| Mã số | Row | NSĐP |");
  p("|---|---|--:|");
  for (const l of LINES) p(`| ${l.code} | ${l.label} | ${t(DX26.get(l.code))} |`);
  p();
  p("PL05 for N = 2026 reports 2025, a year that still had districts until 30 June: its cấp huyện row");
  p("is there (TN.H.2023.01). For N = 2027 the row is gone (core/admin/levels.json).");
  return L.join("\n") + "\n";
}

// ───────────────────────────── the inbox ─────────────────────────────

export const SAMPLE_FILES = {
  khtc: "inbox/P.KHTC/Du toan KHCN 2024 - KHTC.xlsx",
  register: "inbox/P.QLKH/Danh muc nhiem vu KHCN (ban cuoi).xlsx",
  lock: "inbox/P.QLKH/~$Danh muc nhiem vu KHCN (ban cuoi).xlsx",
  district: "inbox/Huyen/NV KHCN cap huyen 2023.xlsx",
  tdc: "inbox/TDC/Chi tieu TDC 6T2023.xlsx",
  thanhTra: "inbox/Thanh tra/Bao cao thanh tra 6T2023.xlsx",
  ttud: "inbox/TT UD/Chi tieu hoat dong 2023.xlsx",
  chung: "inbox/Tong hop DN KHCN.xlsx",
  note: "inbox/ghi chu.txt",
  config: "phuluc.config.json",
  readme: "README.md",
} as const;

export async function makeSample(outDir: string): Promise<string[]> {
  rmSync(join(outDir, "inbox"), { recursive: true, force: true });
  const written: string[] = [];
  const w = async (rel: string, wb: ExcelJS.Workbook): Promise<void> => {
    await writeWorkbook(wb, join(outDir, rel));
    written.push(rel);
  };
  const text = (rel: string, s: string | Uint8Array): void => {
    mkdirSync(dirname(join(outDir, rel)), { recursive: true });
    writeFileSync(join(outDir, rel), s);
    written.push(rel);
  };

  let wb = newWorkbook();
  budgetSheet(wb);
  fundingSheet(wb);
  await w(SAMPLE_FILES.khtc, wb);

  wb = newWorkbook();
  registerSheet(wb);
  await w(SAMPLE_FILES.register, wb);
  // Excel's owner file while the register is open: 162 bytes, the user name in the first byte run.
  const lock = new Uint8Array(162);
  const who = "qlkh";
  lock[0] = who.length;
  for (let i = 0; i < who.length; i++) lock[1 + i] = who.charCodeAt(i);
  text(SAMPLE_FILES.lock, lock);

  wb = newWorkbook();
  districtSheets(wb);
  await w(SAMPLE_FILES.district, wb);

  wb = newWorkbook();
  tdcSheet(wb);
  await w(SAMPLE_FILES.tdc, wb);

  wb = newWorkbook();
  thanhTraSheet(wb);
  await w(SAMPLE_FILES.thanhTra, wb);

  wb = newWorkbook();
  ttudSheet(wb);
  await w(SAMPLE_FILES.ttud, wb);

  await w(SAMPLE_FILES.chung, chungWorkbook());
  text(
    SAMPLE_FILES.note,
    "Ghi chú của Văn phòng: P.KHTC gửi lại bản dự toán sau khi họp ngày 26/6/2023.\n" +
      "File danh mục nhiệm vụ của P.QLKH là bản cuối.\n",
  );
  text(SAMPLE_FILES.config, JSON.stringify({ province: { code: "80", name: "Long An" } }, null, 2) + "\n");
  text(SAMPLE_FILES.readme, readme());
  await makeMergedSample(outDir, w, text);
  return written;
}

// ───────────────────────────── README: the golden figures ─────────────────────────────

/** triệu đồng, Vietnamese style, up to 3 decimals: 39651.195 → "39.651,195" */
export function tr(nghin: number): string {
  const t = Math.round(nghin) / 1000;
  const [int, frac] = t.toFixed(3).split(".");
  const f = frac!.replace(/0+$/, "");
  const g = int!.replace(/\B(?=(\d{3})+(?!\d))/g, ".");
  return f ? `${g},${f}` : g;
}
const pct = (a: number, b: number): string => (b === 0 ? "" : (Math.round((a / b) * 1000) / 10).toFixed(1).replace(".", ","));
const num = (v: number | undefined): string => (v === undefined ? "" : viText(v));
const trm = (v: number | undefined): string => (v === undefined ? "" : tr(v * K));

function readme(): string {
  const L: string[] = [];
  const p = (s = ""): void => void L.push(s);
  p("# The sample inbox (Long An, plan year 2024)");
  p();
  p("Generated by `npx tsx scripts/make-sample.ts` — do not edit by hand: `test/sample` re-generates");
  p("it and fails if a committed file differs by one byte. The tables below are written by the");
  p("same script from the same data, and are the golden figures every form should show when this");
  p("inbox is loaded with `phuluc.config.json` (province 80, Long An) and filled for **N = 2024**");
  p("(N-1 = 2023 is the year reported, N-2 = 2022 the last closed year). Money in triệu đồng,");
  p("Vietnamese style (39.651,195 = thirty-nine thousand six hundred fifty-one point one nine five).");
  p("A 0 in these tables is a figure of nothing: the forms may show it as 0 or leave the cell blank.");
  p();
  p("## Files");
  p();
  p("| file (identity) | office | what it holds / what it tests |");
  p("|---|---|---|");
  p("| `P.KHTC/Du toan KHCN 2024 - KHTC.xlsx` | P.KHTC | sheet `TH va DT chi KHCN` (Kind 3; title row 3 \"Tình hình thực hiện và dự toán chi KH&CN\" — Excel caps sheet names at 31 characters), unit line **Đơn vị tính: nghìn đồng** (every figure ÷ 1000), two-row header (group \"Năm 2022\" / \"Năm 2023\" / \"Dự kiến 2024\"), Mã số 01–04 as text and 5–18 as numbers, rows 01/03/04/08 and the Tổng số column as formulas with cached values; sheet `Cấp phát kinh phí nhiệm vụ` (Kind 2, triệu đồng, group rows I–III, a Tổng cộng row of SUM formulas) |");
  p("| `P.QLKH/Danh muc nhiem vu KHCN (ban cuoi).xlsx` | P.QLKH | Kind 1 register of the 3 national, 10 provincial and 4 cơ sở tasks: merged title rows, header on rows 7–8 (row 6 blank) without diacritics in its own column order, group \"Kinh phi phe duyet\" over \"Tong / NSTW / NSDP / NSNN / Ngoai NSNN\", group rows I–III, a typed Tổng cộng row, one blank row (R" + registerLayout.blankRow + "), one hidden row (R" + registerLayout.hiddenRow + ", task T.2021.04: loaded, warning ROW_HIDDEN), amounts as text (\"13.660\"), months as \"12/2016\", \"tháng 10/2021\", real dates and \"3/2024\" |");
  p("| `P.QLKH/~$Danh muc nhiem vu KHCN (ban cuoi).xlsx` | — | Excel lock file (162 bytes): skipped and listed |");
  p("| `Huyen/NV KHCN cap huyen 2023.xlsx` | Huyen | the 18 cấp huyện tasks of 2023 on two sheets: `NV cap huyen 2023` (13 tasks, one-column period \"10/2021-3/2024\" / \"10/2021 - 3/2024\", one field \"KH xã hội và nhân văn\" → KH xã hội with a warning, one blank field → Chưa phân loại with a warning) and `Bo sung` (5 tasks, start and end as real dates, NSNN → NSĐP) |");
  p("| `TDC/Chi tieu TDC 6T2023.xlsx` | TDC | Kind 4, area in a \"Lĩnh vực\" column, Mã chỉ tiêu, unit per row (fines in đồng) |");
  p("| `Thanh tra/Bao cao thanh tra 6T2023.xlsx` | Thanh tra | Kind 4 in legacy **TCVN3** (.VnTime font: \"Sè c¬ së ®­îc thanh tra, kiÓm tra\"), no Mã chỉ tiêu (keyed by area + label), fines as text \"24.500.000\" |");
  p("| `TT UD/Chi tieu hoat dong 2023.xlsx` | TT UD | Kind 4 with the area as group rows (I. Sở hữu trí tuệ, II. An toàn bức xạ, III. Thu sự nghiệp) and \"Thuộc chỉ tiêu\" for the 5 \"of which\" rows of ATBX.01 |");
  p("| `Tong hop DN KHCN.xlsx` | chung | Kind 4 (S&T enterprises) + sheet `Danh ba` (a contact list: matches no kind, skipped and listed) |");
  p("| `ghi chu.txt` | — | not a workbook: skipped and listed |");
  p();
  p("Expected load: exit 0, no error; warnings: ROW_HIDDEN (register R" + registerLayout.hiddenRow + "), the unsplit national task");
  p("QG.2016.01 (Tổng only, \"chưa phân nguồn\"), field \"KH xã hội và nhân văn\" (H.TA.2023.02), blank field");
  p("(H.CT.2022.02); skipped: the lock file, `ghi chu.txt`, sheet `Danh ba`. Counts: " + ALL_TASKS.length + " tasks (3 quốc gia,");
  p("10 tỉnh, 4 cơ sở, 18 huyện), " + fundingFactCount() + " task-funding facts, " + INDICATORS.length + " indicators.");
  p();

  // PL01
  p("## PL01 — execution 2022, 6 months 2023, expected 2023 (all NSĐP)");
  p();
  p("| Mã số | Row | 1 DT 2022 | 2 TH 2022 | 3 DT 2023 | 4 TH 6T 2023 | 5 % 4/3 | 6 Ước TH 2023 | 7 % 6/3 |");
  p("|---|---|--:|--:|--:|--:|--:|--:|--:|");
  for (const l of LINES) {
    const g = (c: Col): number => BUDGET[c].get(l.code) ?? 0;
    p(`| ${l.code} | ${l.label} | ${tr(g("dt22"))} | ${tr(g("th22"))} | ${tr(g("dt23"))} | ${tr(g("th6t23"))} | ${pct(g("th6t23"), g("dt23"))} | ${tr(g("uoc23"))} | ${pct(g("uoc23"), g("dt23"))} |`);
  }
  p();
  p("Rows 10 and 13 are blank in the sheet (no figure: shown as 0 / blank). Seed check: row 03, 2023:");
  p("DT 39.651,195 (the seed's \"39.651.195 triệu đồng\" is this figure in nghìn đồng), TH 6 tháng 13.572, 34,2 %.");
  p();
  // PL02
  p("## PL02 — estimate 2024 (de_xuat 2024, all NSĐP; NSTW, Ngoài NSNN, Nước ngoài empty)");
  p();
  p("| Mã số | Row | 1 Tổng số | 2 NSTW | 3 NSĐP | 4 Ngoài NSNN | 5 Nước ngoài |");
  p("|---|---|--:|--:|--:|--:|--:|");
  for (const l of LINES) {
    const v = BUDGET.dx24.get(l.code) ?? 0;
    p(`| ${l.code} | ${l.label} | ${tr(v)} |  | ${tr(v)} |  |  |`);
  }
  p();
  p("Seed check: total 41.612, all NSĐP.");
  p();
  // Reconciliation
  p("## Reconciliation (budget lines vs task funding)");
  p();
  p("| form | row | budget sheet | tasks in the funding sheet | difference |");
  p("|---|---|--:|--:|--:|");
  const rec = (form: string, code: string, budget: number, tasks: number): void =>
    p(`| ${form} | ${code} | ${tr(budget)} | ${tr(tasks)} | ${tr(budget - tasks)} |`);
  rec("PL01 col 3 (DT 2023)", "09", BUDGET.dt23.get("09")!, sumTasks(NATIONAL, (t) => t.duToan2023) * K);
  rec("PL01 col 3 (DT 2023)", "10", 0, 0);
  rec("PL01 col 3 (DT 2023)", "11", BUDGET.dt23.get("11")!, sumTasks(PROVINCIAL, (t) => t.duToan2023) * K);
  rec("PL01 col 3 (DT 2023)", "12", BUDGET.dt23.get("12")!, sumTasks([...GRASSROOTS, ...DISTRICT], (t) => t.duToan2023) * K);
  rec("PL01 col 3 (DT 2023)", "13", 0, 0);
  rec("PL02 NSTW+NSĐP (2024)", "09", BUDGET.dx24.get("09")!, sumTasks(NATIONAL, (t) => t.deXuat2024) * K);
  rec("PL02 NSTW+NSĐP (2024)", "10", 0, 0);
  rec("PL02 NSTW+NSĐP (2024)", "11", BUDGET.dx24.get("11")!, sumTasks(PROVINCIAL, (t) => t.deXuat2024) * K);
  rec("PL02 NSTW+NSĐP (2024)", "12", BUDGET.dx24.get("12")!, sumTasks([...GRASSROOTS, ...DISTRICT], (t) => t.deXuat2024) * K);
  rec("PL02 NSTW+NSĐP (2024)", "13", 0, 0);
  p();
  p(`The one difference is deliberate: row 12 of 2024 holds ${tr(DISTRICT_RESERVE_2024 * K)} reserved for district tasks not yet`);
  p("chosen (the budget sheet's Ghi chú says so). A fill reports it as a reconciliation difference (exit 0;");
  p("exit 3 with `--strict`), it must not hide it. All arithmetic rules hold.");
  p();
  // PL03
  p("## PL03 — basis of the 2024 estimate (tasks with a 2024 figure)");
  p();
  p("Columns: 1–3 approved (Tổng, NSNN, Nguồn khác) · 5 DT 2023 NSNN · 6 Ước 2023 NSNN · 7 Ước 2023 khác ·");
  p("4 = 6+7 · 9 = lũy kế 2022 NSNN + 6 · 10 = lũy kế 2022 khác (none given) + 7 · 8 = 9+10 · 12 = 2024 NSNN · 13 = 0 · 11 = 12+13.");
  p();
  p("| group | code | D thời gian | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9 | 10 | 11 | 12 | 13 |");
  p("|---|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|");
  const pl03 = [...NATIONAL, ...PROVINCIAL, ...GRASSROOTS].filter((t) => (t.deXuat2024 ?? 0) > 0);
  const tot = new Array<number>(13).fill(0);
  const groupRows: [string, Task[]][] = [
    ["I. chuyển tiếp", pl03.filter((t) => t.start < "2024-01")],
    ["II. mở mới", pl03.filter((t) => t.start >= "2024-01")],
  ];
  for (const [g, ts] of groupRows) {
    const gt = new Array<number>(13).fill(0);
    const lv: Lvl[] = ["Quốc gia", "Tỉnh", "Cơ sở"];
    for (const level of lv) {
      for (const t of ts.filter((x) => x.level === level)) {
        const nsnn = (t.nstw ?? 0) + (t.nsdp ?? 0) + (t.nsnn ?? 0);
        const khac = t.ngoai ?? 0;
        const c5 = t.duToan2023 ?? 0;
        const c6 = t.uoc2023 ?? 0;
        const c7 = t.uoc2023Khac ?? 0;
        const c9 = (t.luyKe2022 ?? 0) + c6;
        const c10 = c7;
        const c12 = t.deXuat2024 ?? 0;
        const v = [t.tong, nsnn, khac, c6 + c7, c5, c6, c7, c9 + c10, c9, c10, c12, c12, 0];
        v.forEach((x, i) => {
          gt[i] += x;
          tot[i] += x;
        });
        p(`| ${g} / ${level} | ${t.code} | ${mmY(t.start)}–${mmY(t.end)} | ${v.map((x) => trm(x)).join(" | ")} |`);
      }
    }
    p(`| **${g}** (sum) |  |  | ${gt.map((x) => trm(x)).join(" | ")} |`);
  }
  p(`| **Tổng cộng** |  |  | ${tot.map((x) => trm(x)).join(" | ")} |`);
  p();
  p("QG.2021.02's column 1–3 come from its register split (NSNN = NSTW 10.880 + NSĐP 1.500). Level");
  p("groups with no task (Bộ, Huyện, Khác) are omitted. Column 12 total = PL02 rows 09 + 11 + 12 minus the");
  p(`${tr(DISTRICT_RESERVE_2024 * K)} reserve.`);
  p();
  // PL04
  p("## PL04 — national tasks carried out in Long An (2023 or 2024)");
  p();
  p("| code | title | lead organisation | D thời gian | E quyết định | 1 Tổng | 2 NSTW | 3 NSĐP | 4 Ngoài NSNN |");
  p("|---|---|---|---|---|--:|--:|--:|--:|");
  for (const t of NATIONAL) {
    const nstw = t.nstw ?? t.nsnn;
    p(`| ${t.code} | ${t.title} | ${t.lead} | ${mmY(t.start)}–${mmY(t.end)} | ${t.decision ?? ""} | ${trm(t.tong)} | ${trm(nstw)} | ${trm(t.nsdp)} | ${trm(t.ngoai)} |`);
  }
  const n4 = (f: (t: Task) => number | undefined): string => trm(sumTasks(NATIONAL, f));
  p(`| **Tổng cộng** |  |  |  |  | ${n4((t) => t.tong)} | ${n4((t) => t.nstw ?? t.nsnn)} | ${n4((t) => t.nsdp)} | ${n4((t) => t.ngoai)} |`);
  p();
  p("QG.2016.01 is unsplit: its parts stay blank and rule 1 = 2+3+4 is not applied to it (the fill says");
  p("so); hence the total row's column 1 (58.630) exceeds 2+3+4 (37.660) by exactly its 20.970. QG.2022.03's");
  p("NSNN 6.780 goes to NSTW by the level rule.");
  p();
  // PL05
  p("## PL05 — number of tasks, reporting year 2023");
  p();
  p("Counted: tasks whose period overlaps 2023. Col 3 = started in 2023; col 4 = started before 2023;");
  p("col 5 = accepted (Ngày nghiệm thu) in 2023; col 6 = status Đã ứng dụng (none in the sample).");
  p();
  p("| block | row | 1 Tổng số | 2 chủ nhiệm nữ | 3 mới trong năm | 4 chuyển tiếp | 5 nghiệm thu | 6 ứng dụng |");
  p("|---|---|--:|--:|--:|--:|--:|--:|");
  const active = ALL_TASKS.filter((t) => t.start <= "2023-12" && t.end >= "2023-01");
  const count = (ts: Task[]): string =>
    [
      ts.length,
      ts.filter((t) => t.female).length,
      ts.filter((t) => t.start.startsWith("2023")).length,
      ts.filter((t) => t.start < "2023-01").length,
      ts.filter((t) => t.accepted?.startsWith("2023")).length,
      0,
    ].join(" | ");
  const levels: [string, Lvl | "Bộ" | "Khác"][] = [["Quốc gia", "Quốc gia"], ["Bộ", "Bộ"], ["Tỉnh", "Tỉnh"], ["Cơ sở", "Cơ sở"], ["Huyện", "Huyện"], ["Khác", "Khác"]];
  p(`| 1.1 Theo cấp quản lý | **subtotal** | ${count(active)} |`);
  for (const [name, lv] of levels) p(`| 1.1 | ${name} | ${count(active.filter((t) => t.level === lv))} |`);
  const fields: FieldName[] = ["KH tự nhiên", "KH kỹ thuật và công nghệ", "KH y, dược", "KH nông nghiệp", "KH xã hội", "KH nhân văn", "Chưa phân loại"];
  p(`| 1.2 Theo lĩnh vực | **subtotal** | ${count(active)} |`);
  for (const f of fields) p(`| 1.2 | ${f} | ${count(active.filter((t) => t.field === f))} |`);
  p();
  p("Seed check: 18 cấp huyện tasks in 2023. Not counted (start in 2024): T.2024.01, T.2024.02, T.2024.03, CS.2024.01.");
  p();
  // PL06
  p("## PL06 — activity indicators");
  p();
  p("| area | code | indicator | unit | 1 TH 2022 | 2 KH 2023 | 3 TH 6T 2023 | 4 % 3/2 | 5 KH 2024 | office |");
  p("|---|---|---|---|--:|--:|--:|--:|--:|---|");
  const areaOrder = [AREA.TDC, AREA.SHTT, AREA.ATBX, AREA.TT, AREA.DN, AREA.TSN];
  for (const a of areaOrder) {
    for (const ind of INDICATORS.filter((x) => x.area === a)) {
      const ratio = ind.kh23 && ind.th6t23 !== undefined ? pct(ind.th6t23, ind.kh23) : "";
      p(`| ${a} | ${ind.code ?? ""} | ${ind.parent ? "— of which: " : ""}${ind.label} | ${ind.unit} | ${num(ind.th22)} | ${num(ind.kh23)} | ${num(ind.th6t23)} | ${ratio} | ${num(ind.kh24)} | ${ind.office} |`);
    }
  }
  p();
  p("Seed checks: inspections 183 of 337 (54,3 %); ATBX 35 = 13 + 8 + 1 + 1 + 12; fines 24.500.000 đồng");
  p("(Thanh tra, 3 decisions) and 3.500.000 đồng (Chi cục TĐC, 1 decision), kept in đồng (an indicator's own");
  p("unit); 22 S&T enterprises, 9 S&T organisations; service revenue 1.564 of 4.223 (37,0 %). The Thanh tra");
  p("rows have no code: their key is (Thanh tra, kiểm tra | label) after TCVN3 → Unicode conversion.");
  p();
  return L.join("\n");
}

function fundingFactCount(): number {
  let n = 0;
  for (const [, ts] of FUNDING_GROUPS)
    for (const t of ts)
      for (const v of [t.duToan2023, t.uoc2023, t.uoc2023Khac, t.luyKe2022, t.deXuat2024]) if (v !== undefined) n++;
  return n;
}

// The register's blank/hidden row numbers are needed by the README before the register is
// written into a workbook: lay it out once into a scratch workbook.
const registerLayout = registerSheet(new ExcelJS.Workbook());

export const SAMPLE_FACTS = {
  NATIONAL,
  PROVINCIAL,
  GRASSROOTS,
  DISTRICT,
  INDICATORS,
  DISTRICT_RESERVE_2024,
  registerLayout,
};

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const out = process.argv[2] ?? "sample";
  const files = await makeSample(out);
  console.log(`wrote ${files.length} files under ${out}/`);
}
