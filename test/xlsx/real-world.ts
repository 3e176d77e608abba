// Workbooks saved the way real producers save them, for the reader faults met on ~2 100 public
// files (issue 15): built at test time (nothing large is committed). Each comes with a "twin":
// the same cells in a plain package exceljs reads right, so that the differential test can run
// on every fixture even where exceljs itself cannot read the odd one.
import { writeFileSync } from "node:fs";
import { strToU8, zipSync, type Zippable } from "fflate";
import { STYLES_XML } from "./fixtures.js";
import { colLetters } from "../../xlsx/refs.js";

const MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
const REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const STRICT_MAIN = "http://purl.oclc.org/ooxml/spreadsheetml/main";
const STRICT_REL = "http://purl.oclc.org/ooxml/officeDocument/relationships";
const PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships";
const CT = "application/vnd.openxmlformats-officedocument.spreadsheetml";

export interface Flavour {
  /** the workbook part's name ("xl/workbook.xml" by default) */
  workbookPart?: string;
  /** zip entry names written with "\" (older Windows and .NET writers) */
  backslashes?: boolean;
  /** strict OOXML namespaces (ISO 29500 Strict, "Excel Strict Open XML Spreadsheet") */
  strict?: boolean;
  /** the 1904 date system, written as Excel for Mac writes it: with <x15:workbookPr/> in extLst */
  mac1904?: boolean;
}

export interface RealWorldSpec {
  sheets: { name: string; sheetData: string; cols?: string }[];
  /** raw <si> contents */
  sharedStrings?: string[];
}

/** Writes the package; returns its path. */
export function realWorldXlsx(path: string, spec: RealWorldSpec, flavour: Flavour = {}): string {
  const main = flavour.strict ? STRICT_MAIN : MAIN;
  const rel = flavour.strict ? STRICT_REL : REL;
  const wbPart = flavour.workbookPart ?? "xl/workbook.xml";
  const wbDir = wbPart.slice(0, wbPart.lastIndexOf("/") + 1);
  const wbBase = wbPart.slice(wbDir.length);
  const ns = `xmlns="${main}" xmlns:r="${rel}"`;
  const decl = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n';
  const files: Record<string, string> = {};
  files["[Content_Types].xml"] =
    decl +
    `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>` +
    `<Override PartName="/${wbPart}" ContentType="${CT}.sheet.main+xml"/>` +
    spec.sheets.map((_, i) => `<Override PartName="/${wbDir}worksheets/sheet${i + 1}.xml" ContentType="${CT}.worksheet+xml"/>`).join("") +
    `<Override PartName="/${wbDir}styles.xml" ContentType="${CT}.styles+xml"/><Override PartName="/${wbDir}sharedStrings.xml" ContentType="${CT}.sharedStrings+xml"/></Types>`;
  files["_rels/.rels"] = decl + `<Relationships xmlns="${PKG_REL}"><Relationship Id="rId1" Type="${rel}/officeDocument" Target="${wbPart}"/></Relationships>`;
  files[`${wbDir}_rels/${wbBase}.rels`] =
    decl +
    `<Relationships xmlns="${PKG_REL}">` +
    spec.sheets.map((_, i) => `<Relationship Id="rId${i + 1}" Type="${rel}/worksheet" Target="worksheets/sheet${i + 1}.xml"/>`).join("") +
    `<Relationship Id="rId90" Type="${rel}/styles" Target="styles.xml"/><Relationship Id="rId91" Type="${rel}/sharedStrings" Target="sharedStrings.xml"/></Relationships>`;
  const sheetList = spec.sheets.map((s, i) => `<sheet name="${s.name}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`).join("");
  if (flavour.mac1904) {
    // as Excel 16 for Mac saves it (trimmed of the parts that do not matter here)
    files[wbPart] =
      decl +
      `<workbook ${ns} xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" mc:Ignorable="x15 xr xr6 xr10 xr2" xmlns:x15="http://schemas.microsoft.com/office/spreadsheetml/2010/11/main" xmlns:xr="http://schemas.microsoft.com/office/spreadsheetml/2014/revision" xmlns:xr6="http://schemas.microsoft.com/office/spreadsheetml/2016/revision6" xmlns:xr10="http://schemas.microsoft.com/office/spreadsheetml/2016/revision10" xmlns:xr2="http://schemas.microsoft.com/office/spreadsheetml/2015/revision2">` +
      `<fileVersion appName="xl" lastEdited="7" lowestEdited="7" rupBuild="27425"/><workbookPr date1904="1" defaultThemeVersion="166925"/>` +
      `<mc:AlternateContent xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"><mc:Choice Requires="x15"><x15ac:absPath url="/Users/ketoan/Desktop/" xmlns:x15ac="http://schemas.microsoft.com/office/spreadsheetml/2010/11/ac"/></mc:Choice></mc:AlternateContent>` +
      `<xr:revisionPtr revIDLastSave="0" documentId="8_{5C2A}" xr6:coauthVersionLast="47" xr6:coauthVersionMax="47" xr10:uidLastSave="{00000000-0000-0000-0000-000000000000}"/>` +
      `<bookViews><workbookView xWindow="0" yWindow="500" windowWidth="28800" windowHeight="16240" xr2:uid="{8E5B}"/></bookViews><sheets>${sheetList}</sheets><calcPr calcId="191029"/>` +
      `<extLst><ext uri="{140A7094-0E35-4892-8432-C4D2E57EDEB5}" xmlns:x15="http://schemas.microsoft.com/office/spreadsheetml/2010/11/main"><x15:workbookPr chartTrackingRefBase="1"/></ext>` +
      `<ext uri="{B58B0392-4F1F-4190-BB64-5DF3571DCE5F}" xmlns:xcalcf="http://schemas.microsoft.com/office/spreadsheetml/2018/calcfeatures"><xcalcf:calcFeatures><xcalcf:feature name="microsoft.com:RD"/></xcalcf:calcFeatures></ext></extLst></workbook>`;
  } else {
    files[wbPart] = decl + `<workbook ${ns}><workbookPr defaultThemeVersion="124226"/><bookViews><workbookView/></bookViews><sheets>${sheetList}</sheets></workbook>`;
  }
  files[`${wbDir}styles.xml`] = flavour.strict ? STYLES_XML.replace(MAIN, STRICT_MAIN).replace(REL, STRICT_REL) : STYLES_XML;
  const sis = spec.sharedStrings ?? [];
  files[`${wbDir}sharedStrings.xml`] = decl + `<sst xmlns="${main}" count="${sis.length}" uniqueCount="${sis.length}">${sis.map((s) => `<si>${s}</si>`).join("")}</sst>`;
  spec.sheets.forEach((s, i) => {
    files[`${wbDir}worksheets/sheet${i + 1}.xml`] = decl + `<worksheet ${ns}>${s.cols ?? ""}<sheetData>${s.sheetData}</sheetData></worksheet>`;
  });
  const zip: Zippable = {};
  for (const [name, text] of Object.entries(files)) zip[flavour.backslashes ? name.replace(/\//g, "\\") : name] = strToU8(text);
  writeFileSync(path, zipSync(zip, { level: 6 }));
  return path;
}

/** `n` cells of a row with no value, only a style: a row formatted out to XFD. */
export function styledTo(row: number, fromCol: number, toCol: number, style = 1): string {
  let out = "";
  for (let c = fromCol; c <= toCol; c++) out += `<c r="${colLetters(c)}${row}" s="${style}"/>`;
  return out;
}

