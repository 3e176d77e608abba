// The 01–18 hierarchy of S&T spending (spec/appendices.md), as the offices' sheets and the forms
// print it: its one home. The ETL's sum checks take their structure from here (etl/parse), PL01
// and PL02 their rows' sumOf when read (queries/forms.ts, "sumsFrom": "hierarchy") and so their
// row-sum rules, the sample and the benchmark's generator their rows. What cannot import it is
// checked against it (test/core/hierarchy.test.ts): the warehouse's budget_line rows (a
// migration, history) and the tests' expected rows.
export interface HierarchyLine {
  code: string;
  label: string;
  /** the lines this one is the sum of */
  children?: string[];
}

export const HIERARCHY: readonly HierarchyLine[] = [
  { code: "01", label: "TỔNG CHI", children: ["02", "03", "18"] },
  { code: "02", label: "1. Chi đầu tư phát triển KH&CN" },
  { code: "03", label: "2. Chi sự nghiệp KH&CN", children: ["04", "07", "08", "14", "15", "16", "17"] },
  { code: "04", label: "2.1 Chi quỹ lương và hoạt động bộ máy", children: ["05", "06"] },
  { code: "05", label: "- Tiền lương, phụ cấp, các khoản đóng góp theo lương" },
  { code: "06", label: "- Chi hoạt động bộ máy" },
  { code: "07", label: "2.2 Chi hoạt động thường xuyên theo chức năng" },
  { code: "08", label: "2.3 Chi thực hiện nhiệm vụ KH&CN", children: ["09", "10", "11", "12", "13"] },
  { code: "09", label: "- Nhiệm vụ cấp quốc gia" },
  { code: "10", label: "- Nhiệm vụ cấp bộ" },
  { code: "11", label: "- Nhiệm vụ cấp tỉnh" },
  { code: "12", label: "- Nhiệm vụ cấp cơ sở (incl. cấp huyện)" },
  { code: "13", label: "- Nhiệm vụ khác" },
  { code: "14", label: "2.4 Chi tăng cường năng lực nghiên cứu" },
  { code: "15", label: "2.5 Chi sửa chữa, chống xuống cấp" },
  { code: "16", label: "2.6 Chi hợp tác quốc tế" },
  { code: "17", label: "2.7 Chi sự nghiệp KH&CN khác" },
  { code: "18", label: "3. Chi khác cho KH&CN" },
];

/** Each sum line's children: "01" → ["02", "03", "18"]. */
export const HIERARCHY_CHILDREN: Readonly<Record<string, readonly string[]>> = Object.fromEntries(
  HIERARCHY.filter((l) => l.children).map((l) => [l.code, l.children!]),
);

/** Each line's parent (null for 01). */
export function hierarchyParent(code: string): string | null {
  return HIERARCHY.find((l) => l.children?.includes(code))?.code ?? null;
}

const CODES = new Set(HIERARCHY.map((l) => l.code));

/** Whether a code is a line of the hierarchy ("01" … "18"). */
export function isHierarchyCode(code: string): boolean {
  return CODES.has(code);
}
