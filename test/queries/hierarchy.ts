// The 01–18 rows as PL01/PL02 print them, to build whole expected FormData in tests.
import type { FormRow, FormValue } from "../../queries/types.js";

export const LINES: [code: string, label: string, parent: string | null, kind: FormRow["kind"]][] = [
  ["01", "TỔNG CHI", null, "total"],
  ["02", "1. Chi đầu tư phát triển KH&CN", "01", "data"],
  ["03", "2. Chi sự nghiệp KH&CN", "01", "group"],
  ["04", "2.1 Chi quỹ lương và hoạt động bộ máy", "03", "group"],
  ["05", "- Tiền lương, phụ cấp, các khoản đóng góp theo lương", "04", "data"],
  ["06", "- Chi hoạt động bộ máy", "04", "data"],
  ["07", "2.2 Chi hoạt động thường xuyên theo chức năng", "03", "data"],
  ["08", "2.3 Chi thực hiện nhiệm vụ KH&CN", "03", "group"],
  ["09", "- Nhiệm vụ cấp quốc gia", "08", "data"],
  ["10", "- Nhiệm vụ cấp bộ", "08", "data"],
  ["11", "- Nhiệm vụ cấp tỉnh", "08", "data"],
  ["12", "- Nhiệm vụ cấp cơ sở", "08", "data"],
  ["13", "- Nhiệm vụ khác", "08", "data"],
  ["14", "2.4 Chi tăng cường năng lực nghiên cứu", "03", "data"],
  ["15", "2.5 Chi sửa chữa, chống xuống cấp", "03", "data"],
  ["16", "2.6 Chi hợp tác quốc tế", "03", "data"],
  ["17", "2.7 Chi sự nghiệp KH&CN khác", "03", "data"],
  ["18", "3. Chi khác cho KH&CN", "01", "data"],
];

/** Every line with every column blank except the figures given (column → value by row). */
export function hierarchyRows(columns: string[], figures: Record<string, Record<string, FormValue>>): FormRow[] {
  return LINES.map(([code, label, parent, kind], i) => {
    const values: Record<string, FormValue> = { label, ma_so: code };
    for (const c of columns) values[c] = null;
    values.note = null;
    Object.assign(values, figures[code] ?? {});
    return { rowKey: code, kind, sort: i + 1, parentKey: parent, values };
  });
}
