// The value lists of spec/inputs.md "Values", with their synonyms, matched on folded text.
import { fold } from "../../core/text.js";
import { HIERARCHY_CHILDREN as CORE_HIERARCHY_CHILDREN, isHierarchyCode } from "../../core/hierarchy.js";
import { memo } from "./memo.js";
import type { Area, Field, Level, Status } from "../../warehouse/model.js";

const strip = (s: string): string => fold(s).replace(/[.:;]+$/, "").trim();

function levelOf_(text: string): Level | null {
  const f = strip(text).replace(/^(nhiem vu )?(cap )?/, "");
  if (/^(quoc gia|nha nuoc|trung uong)$/.test(f)) return "QUOC_GIA";
  if (/^bo( nganh)?$/.test(f)) return "BO";
  if (/^tinh$/.test(f)) return "TINH";
  if (/^co so$/.test(f)) return "CO_SO";
  if (/^(huyen|quan huyen)$/.test(f)) return "HUYEN";
  if (/^khac$/.test(f)) return "KHAC";
  return null;
}

/** A field, and whether it was the merged "xã hội và nhân văn" (stored as xã hội, with a warning). */
function fieldOf_(text: string): { field: Field; merged?: boolean } | null {
  const f = strip(text)
    .replace(/^(linh vuc )?((khoa hoc|kh)\.? )?/, "")
    .replace(/\s*&\s*/g, " va ")
    .replace(/[-,/]/g, " ")
    .replace(/\s+/g, " ")
    .trim();
  if (/^tu nhien$/.test(f)) return { field: "TU_NHIEN" };
  if (/^(ky thuat( va cong nghe)?|ky thuat cong nghe|cong nghe)$/.test(f)) return { field: "KY_THUAT" };
  if (/^y (va )?duoc( hoc)?$|^y hoc$|^y te$/.test(f)) return { field: "Y_DUOC" };
  if (/^nong nghiep$/.test(f)) return { field: "NONG_NGHIEP" };
  if (/^xa hoi va nhan van$|^xa hoi nhan van$|^xh va nv$/.test(f)) return { field: "XA_HOI", merged: true };
  if (/^xa hoi$/.test(f)) return { field: "XA_HOI" };
  if (/^nhan van$/.test(f)) return { field: "NHAN_VAN" };
  if (/^chua phan loai$/.test(f)) return { field: "CHUA_PHAN_LOAI" };
  return null;
}

function statusOf_(text: string): Status | null {
  const f = strip(text);
  if (/^(dang (thuc hien|trien khai|tien hanh)|chuyen tiep|mo moi)$/.test(f)) return "DANG_THUC_HIEN";
  if (/^(da )?nghiem thu$/.test(f)) return "DA_NGHIEM_THU";
  if (/^(da )?(dua vao )?ung dung$/.test(f)) return "DA_UNG_DUNG";
  if (/^(da )?dung( thuc hien)?$|^tam dung$/.test(f)) return "DUNG";
  return null;
}

function genderOf_(text: string): "NAM" | "NU" | null {
  const f = strip(text);
  if (f === "nam") return "NAM";
  if (f === "nu") return "NU";
  return null;
}

/** The area of an indicator group row or Lĩnh vực cell. */
function areaOf_(text: string): Area | null {
  const f = strip(text).replace(/^([ivx]+|[a-h]|\d+)[.)]\s*/, "");
  if (/\btdc\b|tieu chuan|do luong|chat luong/.test(f)) return "TDC";
  if (/\bshtt\b|so huu tri tue/.test(f)) return "SHTT";
  if (/\batbx\b|buc xa/.test(f)) return "ATBX";
  if (/thanh tra|kiem tra/.test(f)) return "THANH_TRA";
  if (/doanh nghiep (kh|khoa hoc)/.test(f)) return "DN_KHCN";
  if (/thu su nghiep|doanh thu|hoat dong su nghiep/.test(f)) return "THU_SU_NGHIEP";
  return null;
}

// The 01–18 hierarchy's structure, from its one home (core/hierarchy.ts).
export const HIERARCHY_CHILDREN: Readonly<Record<string, readonly string[]>> = CORE_HIERARCHY_CHILDREN;

/** "1" → "01"; null when not a code of 01–18. */
export function hierarchyCode(text: string): string | null {
  const m = /^0?(\d{1,2})$/.exec(text.trim());
  if (!m) return null;
  const code = String(Number(m[1])).padStart(2, "0");
  return isHierarchyCode(code) ? code : null;
}

const LINE_LABELS: [RegExp, string][] = [
  [/^tong chi\b/, "01"],
  [/dau tu phat trien/, "02"],
  [/su nghiep (kh|khoa hoc)\S*( va cong nghe| cn| &cn)? khac$|^chi su nghiep khac$/, "17"],
  [/^chi su nghiep (kh|khoa hoc)/, "03"],
  [/^chi quy luong/, "04"],
  [/^tien luong/, "05"],
  [/^chi hoat dong bo may$|^hoat dong bo may$/, "06"],
  [/hoat dong thuong xuyen/, "07"],
  [/^chi thuc hien (cac )?nhiem vu/, "08"],
  [/^nhiem vu (cap )?(quoc gia|nha nuoc)/, "09"],
  [/^nhiem vu (cap )?bo\b/, "10"],
  [/^nhiem vu (cap )?tinh\b/, "11"],
  [/^nhiem vu (cap )?(co so|huyen)/, "12"],
  [/^nhiem vu khac/, "13"],
  [/tang cuong nang luc/, "14"],
  [/sua chua|chong xuong cap/, "15"],
  [/hop tac quoc te/, "16"],
  [/^chi khac/, "18"],
];

/** A row label of the hierarchy ("2.3 Chi thực hiện nhiệm vụ KH&CN", "- Nhiệm vụ cấp tỉnh") → its code. */
function hierarchyLabel_(text: string): string | null {
  const f = strip(text)
    .replace(/^[-+*•–]\s*/, "")
    .replace(/^(([ivx]+|\d+(\.\d+)*|[a-h])[.)]?)\s+/, "")
    .replace(/^[-+*•–]\s*/, "");
  for (const [re, code] of LINE_LABELS) if (re.test(f)) return code;
  return null;
}

export const levelOf = memo(levelOf_);
export const fieldOf = memo(fieldOf_);
export const statusOf = memo(statusOf_);
export const genderOf = memo(genderOf_);
export const areaOf = memo(areaOf_);
export const hierarchyLabel = memo(hierarchyLabel_);