// Figures for the engine tests: small FormData in the shape the appendix SQL returns.
import type { FormData, FormRow, FormValue } from "../../../queries/types.js";

const HIER = ["01", "02", "03", "04", "05", "06", "07", "08", "09", "10", "11", "12", "13", "14", "15", "16", "17", "18"];
const GROUPS = new Set(["01", "03", "04", "08"]);
const PARENT: Record<string, string | null> = {
  "01": null, "02": "01", "03": "01", "04": "03", "05": "04", "06": "04", "07": "03", "08": "03",
  "09": "08", "10": "08", "11": "08", "12": "08", "13": "08", "14": "03", "15": "03", "16": "03", "17": "03", "18": "01",
};

function row(rowKey: string, kind: FormRow["kind"], sort: number, parentKey: string | null, values: Record<string, FormValue>): FormRow {
  return { rowKey, kind, sort, parentKey, values };
}

/** PL02 for 2024: every leaf 10×its index in NSĐP, row 09 also 5 in NSTW; sums add up. */
export function pl02Data(year = 2024): FormData {
  const leaf = (k: string) => (GROUPS.has(k) ? 0 : Number(k) * 10);
  const nstw = (k: string) => (k === "09" ? 5 : 0);
  const sumOf = (k: string, f: (k: string) => number): number =>
    GROUPS.has(k) ? HIER.filter((c) => PARENT[c] === k).reduce((s, c) => s + sumOf(c, f), 0) : f(k);
  return {
    form: "pl02", year, generation: 7,
    rows: HIER.map((k, i) => {
      const c2 = sumOf(k, nstw);
      const c3 = sumOf(k, leaf);
      return row(k, k === "01" ? "total" : GROUPS.has(k) ? "group" : "data", i + 1, PARENT[k], {
        label: `label ${k}`, ma_so: k, c1: c2 + c3, c2: c2 || null, c3, c4: null, c5: null, note: null,
      });
    }),
  };
}

/** PL01 for 2024: c3 = 100 on leaves, c4 = 34.2 on leaves, ratio 34.2. */
export function pl01Data(year = 2024): FormData {
  return {
    form: "pl01", year, generation: 7,
    rows: HIER.map((k, i) => {
      const n = HIER.filter((c) => !GROUPS.has(c) && (c === k || isUnder(c, k))).length;
      return row(k, k === "01" ? "total" : GROUPS.has(k) ? "group" : "data", i + 1, PARENT[k], {
        label: `label ${k}`, ma_so: k, c1: 90 * n, c2: 80 * n, c3: 100 * n, c4: 34.2 * n, c5: 34.2, c6: 95 * n, c7: 95, note: null,
      });
    }),
  };
}

function isUnder(c: string, k: string): boolean {
  let p = PARENT[c];
  while (p) {
    if (p === k) return true;
    p = PARENT[p];
  }
  return false;
}

export interface Task {
  code: string;
  title: string;
  org?: string;
  period?: string;
  decision?: string;
  nstw?: number;
  nsdp?: number;
  other?: number;
}

/** PL04 from a task list; a total row closing it. */
export function pl04Data(tasks: Task[], year = 2024): FormData {
  const rows: FormRow[] = tasks.map((t, i) =>
    row(`task:${t.code}`, "data", i + 1, null, {
      stt: String(i + 1), title: t.title, lead_org: t.org ?? null, period: t.period ?? null, decision: t.decision ?? null,
      c1: (t.nstw ?? 0) + (t.nsdp ?? 0) + (t.other ?? 0), c2: t.nstw ?? null, c3: t.nsdp ?? null, c4: t.other ?? null, note: null,
    }),
  );
  const sum = (f: (t: Task) => number | undefined) => tasks.reduce((s, t) => s + (f(t) ?? 0), 0);
  rows.push(row("total", "total", 999, null, {
    stt: null, title: "Tổng cộng", lead_org: null, period: null, decision: null,
    c1: sum((t) => (t.nstw ?? 0) + (t.nsdp ?? 0) + (t.other ?? 0)), c2: sum((t) => t.nstw), c3: sum((t) => t.nsdp), c4: sum((t) => t.other), note: null,
  }));
  return { form: "pl04", year, generation: 7, rows };
}

export const SEED_PL04: Task[] = [
  { code: "QG-01", title: "Nghiên cứu ứng dụng công nghệ sinh học sinh sản bò thịt nhân bản", org: "Trường ĐH Quốc tế, ĐHQG TP.HCM", period: "12/2016-11/2023", nstw: 20970 },
  { code: "QG-02", title: "Nghiên cứu, thiết kế và chế tạo tổ hợp thiết bị thu gom, tiền xử lý và trục vớt lục bình", org: "ĐH Bách khoa TP.HCM", period: "10/2021-3/2024", decision: "3312/QĐ-BKHCN ngày 30/11/2020", nstw: 10880, nsdp: 1500, other: 1280 },
  { code: "QG-03", title: "Tuyển chọn, phát triển hai giống cây dược liệu Tràm gió, Tràm Trà", org: "Công ty CP Nghiên cứu Bảo tồn và Phát triển Dược liệu Đồng Tháp Mười", period: "12/2022-12/2025", nstw: 6780, other: 17220 },
];

/** PL03: group I (TINH: two tasks), group II (HUYEN: one task), total. */
export function pl03Data(year = 2024): FormData {
  const t = (code: string, parent: string, sort: number, title: string, c12: number) =>
    row(`task:${code}`, "data", sort, parent, {
      stt: null, title, lead_org: "Sở KH&CN", period: "01/2023-12/2025", decision: "=1+1", c1: 300, c2: 300, c3: null,
      c4: 100, c5: 100, c6: 100, c7: null, c8: 150, c9: 150, c10: null, c11: c12, c12, c13: null, note: null,
    });
  const g = (key: string, parent: string | null, sort: number, stt: string, title: string, c12: number) =>
    row(key, "group", sort, parent, { stt, title, c1: null, c2: null, c3: null, c11: c12, c12, c13: null });
  return {
    form: "pl03", year, generation: 7,
    rows: [
      g("group:I", null, 1, "I", "I. Nhiệm vụ chuyển tiếp", 120),
      g("group:I:TINH", "group:I", 2, "1", "Nhiệm vụ cấp tỉnh", 120),
      t("T-01", "group:I:TINH", 3, "Nghiên cứu giống lúa", 50),
      t("T-02", "group:I:TINH", 4, "Nghiên cứu cá chốt sọc", 70),
      g("group:II", null, 5, "II", "II. Nhiệm vụ mở mới", 40),
      g("group:II:HUYEN", "group:II", 6, "1", "Nhiệm vụ cấp huyện", 40),
      t("H-01", "group:II:HUYEN", 7, "Mô hình nuôi lươn", 40),
      row("total", "total", 8, null, { title: "Tổng cộng", c11: 160, c12: 160, c13: null }),
    ],
  };
}
