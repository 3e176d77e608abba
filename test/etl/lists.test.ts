import { expect, test } from "vitest";
import { areaOf, fieldOf, genderOf, hierarchyCode, hierarchyLabel, levelOf, statusOf } from "../../etl/parse/values-lists.js";

test("levels and their synonyms", () => {
  const cases: [string, string | null][] = [
    ["Quốc gia", "QUOC_GIA"], ["Nhà nước", "QUOC_GIA"], ["cấp nhà nước", "QUOC_GIA"], ["Trung ương", "QUOC_GIA"], ["CẤP QUỐC GIA", "QUOC_GIA"],
    ["Bộ", "BO"], ["Cấp bộ", "BO"], ["Tỉnh", "TINH"], ["Nhiệm vụ cấp tỉnh", "TINH"], ["Cơ sở", "CO_SO"], ["Huyện", "HUYEN"], ["Khác", "KHAC"],
    ["Cấp xã", null], ["", null],
  ];
  for (const [t, want] of cases) expect(levelOf(t), t).toBe(want);
});

test("fields and their synonyms", () => {
  expect(fieldOf("KH tự nhiên")).toEqual({ field: "TU_NHIEN" });
  expect(fieldOf("Khoa học kỹ thuật và công nghệ")).toEqual({ field: "KY_THUAT" });
  expect(fieldOf("KH y, dược")).toEqual({ field: "Y_DUOC" });
  expect(fieldOf("Khoa học Y - Dược")).toEqual({ field: "Y_DUOC" });
  expect(fieldOf("KH nông nghiệp")).toEqual({ field: "NONG_NGHIEP" });
  expect(fieldOf("KH xã hội")).toEqual({ field: "XA_HOI" });
  expect(fieldOf("KH nhân văn")).toEqual({ field: "NHAN_VAN" });
  expect(fieldOf("KH xã hội và nhân văn")).toEqual({ field: "XA_HOI", merged: true });
  expect(fieldOf("KH XH & NV")).toEqual({ field: "XA_HOI", merged: true });
  expect(fieldOf("Khoa học xã hội & nhân văn")).toEqual({ field: "XA_HOI", merged: true });
  expect(fieldOf("Vật lý")).toBeNull();
});

test("statuses, genders, areas", () => {
  expect(statusOf("Đang thực hiện")).toBe("DANG_THUC_HIEN");
  expect(statusOf("Đã nghiệm thu")).toBe("DA_NGHIEM_THU");
  expect(statusOf("Đã ứng dụng")).toBe("DA_UNG_DUNG");
  expect(statusOf("Đã đưa vào ứng dụng")).toBe("DA_UNG_DUNG");
  expect(statusOf("Dừng")).toBe("DUNG");
  expect(statusOf("Hoàn thành")).toBeNull();
  expect(genderOf("Nữ")).toBe("NU");
  expect(genderOf("nam")).toBe("NAM");
  expect(genderOf("khác")).toBeNull();
  expect(areaOf("I. Tiêu chuẩn - Đo lường - Chất lượng")).toBe("TDC");
  expect(areaOf("Sở hữu trí tuệ")).toBe("SHTT");
  expect(areaOf("An toàn bức xạ")).toBe("ATBX");
  expect(areaOf("Thanh tra, kiểm tra")).toBe("THANH_TRA");
  expect(areaOf("Doanh nghiệp KH&CN")).toBe("DN_KHCN");
  expect(areaOf("Thu sự nghiệp")).toBe("THU_SU_NGHIEP");
  expect(areaOf("Số cuộc họp")).toBeNull();
});

test("the 01–18 hierarchy by code and by label", () => {
  expect(hierarchyCode("1")).toBe("01");
  expect(hierarchyCode("08")).toBe("08");
  expect(hierarchyCode("19")).toBeNull();
  expect(hierarchyCode("ĐT.01")).toBeNull();
  const labels: [string, string][] = [
    ["TỔNG CHI", "01"],
    ["1. Chi đầu tư phát triển KH&CN", "02"],
    ["2. Chi sự nghiệp KH&CN", "03"],
    ["2.1 Chi quỹ lương và hoạt động bộ máy", "04"],
    ["- Tiền lương, phụ cấp, các khoản đóng góp theo lương", "05"],
    ["- Chi hoạt động bộ máy", "06"],
    ["2.2 Chi hoạt động thường xuyên theo chức năng", "07"],
    ["2.3 Chi thực hiện nhiệm vụ KH&CN", "08"],
    ["- Nhiệm vụ cấp quốc gia", "09"],
    ["- Nhiệm vụ cấp bộ", "10"],
    ["- Nhiệm vụ cấp tỉnh", "11"],
    ["- Nhiệm vụ cấp cơ sở", "12"],
    ["- Nhiệm vụ khác", "13"],
    ["2.4 Chi tăng cường năng lực nghiên cứu", "14"],
    ["2.5 Chi sửa chữa, chống xuống cấp", "15"],
    ["2.6 Chi hợp tác quốc tế", "16"],
    ["2.7 Chi sự nghiệp KH&CN khác", "17"],
    ["3. Chi khác cho KH&CN", "18"],
    ["Chi thuc hien nhiem vu KH&CN", "08"],
  ];
  for (const [l, c] of labels) expect(hierarchyLabel(l), l).toBe(c);
  expect(hierarchyLabel("Trong đó: chi cho đào tạo")).toBeNull();
});
