// The small parts of a package, read ONE way for the ETL's reader and the fill alike: part names
// and relationship targets, the relationships, workbook.xml (the sheet list, the 1904 system),
// styles.xml's number formats and fonts, and the shared strings. Each part has a reader: handlers
// for XML events and the result they build. The ETL drives them streaming from the zip with its
// limits (parts.ts parsePart); the fill, whose package is in memory, over the part's text
// (readPartText). No node: imports (the fill's package layer and the pane may use it).
import { readXmlEvents } from "./xml.js";
import { decodeXstring } from "./escape.js";
import { XlsxLimitError } from "./types.js";

// ---------------------------------------------------------------- part names

const normal = (name: string): string => (name.startsWith("/") ? name.slice(1) : name);

/** The rels part of a part ("xl/workbook.xml" → "xl/_rels/workbook.xml.rels"; "" → "_rels/.rels"). */
export function relsPartName(source: string): string {
  const s = normal(source);
  if (s === "") return "_rels/.rels";
  const i = s.lastIndexOf("/");
  return `${s.slice(0, i + 1)}_rels/${s.slice(i + 1)}.rels`;
}

/**
 * A relationship target resolved against its source part ("xl/workbook.xml" + "worksheets/sheet1.xml"
 * → "xl/worksheets/sheet1.xml"); absolute targets are from the package root. A backslash is a
 * folder separator to the writers that store entry names with it (older .NET and Windows tools).
 */
export function resolveTarget(source: string, target: string): string {
  const t = target.replace(/\\/g, "/");
  const base = t.startsWith("/") ? [] : normal(source).split("/").slice(0, -1);
  for (const seg of t.split("/")) {
    if (seg === "..") base.pop();
    else if (seg !== "." && seg !== "") base.push(seg);
  }
  return base.join("/");
}

/** The target to write in `source`'s rels for the part `targetPart` (relative, as Excel writes it). */
export function relativeTarget(source: string, targetPart: string): string {
  const from = normal(source).split("/").slice(0, -1);
  const to = normal(targetPart).split("/");
  let i = 0;
  while (i < from.length && i < to.length - 1 && from[i] === to[i]) i++;
  return [...from.slice(i).map(() => ".."), ...to.slice(i)].join("/");
}

// ---------------------------------------------------------------- readers and their drivers

/** Handlers of a part's XML events (local names; `qname` as written, prefix included) and their result. */
export interface PartReader<T> {
  open?(name: string, attrs: Record<string, string>, selfClosing: boolean, qname: string): void;
  /** text and CDATA, entities decoded */
  text?(text: string): void;
  close?(name: string): void;
  result(): T;
}

export const localOf = (name: string): string => name.slice(name.indexOf(":") + 1);

/**
 * A part read from its whole text (the fill's package is in memory): the fast reader, or saxes
 * when it cannot vouch for the text — with a fresh reader, as nothing read half counts.
 */
export function readPartText<T>(text: string, make: () => PartReader<T>): T {
  return readXmlEvents(text, (read) => {
    const r = make();
    read({
      opentag: r.open ? (name, attrs, selfClosing) => r.open!(localOf(name), Object.fromEntries(attrs), selfClosing, name) : undefined,
      text: r.text ? (t) => r.text!(t) : undefined,
      cdata: r.text ? (t) => r.text!(t) : undefined,
      closetag: r.close ? (name) => r.close!(localOf(name)) : undefined,
    });
    return r.result();
  });
}

// ---------------------------------------------------------------- [Content_Types].xml

export interface ContentTypes {
  /** by extension, lower-case */
  defaults: Map<string, string>;
  /** by part name without the leading "/", lower-case (OPC part names compare so) */
  overrides: Map<string, string>;
}

export function contentTypesReader(): PartReader<ContentTypes> {
  const types: ContentTypes = { defaults: new Map(), overrides: new Map() };
  return {
    open(name, a) {
      if (name === "Override" && a.PartName !== undefined) {
        const key = normal(a.PartName.replace(/\\/g, "/")).toLowerCase();
        if (!types.overrides.has(key)) types.overrides.set(key, a.ContentType ?? "");
      } else if (name === "Default" && a.Extension !== undefined) {
        const key = a.Extension.toLowerCase();
        if (!types.defaults.has(key)) types.defaults.set(key, a.ContentType ?? "");
      }
    },
    result: () => types,
  };
}

/** The content type of a part: its Override, else the Default of its extension; null when neither. */
export function contentTypeOf(types: ContentTypes, part: string): string | null {
  const key = normal(part).toLowerCase();
  const over = types.overrides.get(key);
  if (over !== undefined) return over;
  const slash = key.lastIndexOf("/");
  const dot = key.lastIndexOf(".");
  return types.defaults.get(dot > slash ? key.slice(dot + 1) : "") ?? null;
}

// ---------------------------------------------------------------- relationships

export interface Relationship {
  id: string;
  type: string;
  /** the target as written */
  target: string;
  external: boolean;
  /** the target as a part name ("xl/worksheets/sheet1.xml"), null when external */
  part: string | null;
}

/** The relationships of `source` from its rels part. */
export function relsReader(source: string): PartReader<Relationship[]> {
  const out: Relationship[] = [];
  return {
    open(name, a) {
      if (name !== "Relationship") return;
      const target = a.Target ?? "";
      const external = a.TargetMode === "External";
      out.push({ id: a.Id ?? "", type: a.Type ?? "", target, external, part: external ? null : resolveTarget(source, target) });
    },
    result: () => out,
  };
}

export const REL_OFFICE_DOCUMENT = /\/officeDocument$/;
export const REL_WORKSHEET = /\/worksheet$/;
export const REL_CHARTSHEET = /\/chartsheet$/;
export const REL_SHARED_STRINGS = /\/sharedStrings$/;
export const REL_STYLES = /\/styles$/;

// ---------------------------------------------------------------- workbook.xml

export interface WorkbookPart {
  date1904: boolean;
  sheets: { name: string; sheetId: string; state: "visible" | "hidden" | "veryHidden"; rid: string }[];
}

// SpreadsheetML's main namespace, transitional and strict
const MAIN_NS = new Set(["http://schemas.openxmlformats.org/spreadsheetml/2006/main", "http://purl.oclc.org/ooxml/spreadsheetml/main"]);

/** The sheets in order (name, id, state, relationship id) and the date system. */
export function workbookReader(): PartReader<WorkbookPart> {
  const wb: WorkbookPart = { date1904: false, sheets: [] };
  // Elements are matched in the main namespace only: Excel's extensions reuse the local names
  // (a Mac workbook carries <x15:workbookPr chartTrackingRefBase="1"/> in its extLst, which has
  // no date1904 and, matched by local name, turned the 1904 system off: every date four years
  // and a day early). The prefixes are resolved by hand (a stack of xmlns scopes) rather than by
  // saxes's namespace mode, which refuses a whole file over one unbound prefix.
  const scopes: Map<string, string>[] = [new Map()];
  const inMain = (qname: string): boolean => {
    const colon = qname.indexOf(":");
    const prefix = colon < 0 ? "" : qname.slice(0, colon);
    const uri = scopes[scopes.length - 1].get(prefix);
    // a file that declares no namespace at all is read as it always was
    return uri === undefined ? prefix === "" : MAIN_NS.has(uri);
  };
  return {
    open(name, a, _selfClosing, qname) {
      let scope = scopes[scopes.length - 1];
      for (const k of Object.keys(a)) {
        if (k === "xmlns" || k.startsWith("xmlns:")) {
          if (scope === scopes[scopes.length - 1]) scope = new Map(scope);
          scope.set(k === "xmlns" ? "" : k.slice(6), a[k]);
        }
      }
      scopes.push(scope);
      if (inMain(qname)) {
        if (name === "workbookPr") {
          wb.date1904 = a.date1904 === "1" || a.date1904 === "true";
        } else if (name === "sheet") {
          // r:id's prefix is whatever the file bound the relationships namespace to
          const ridKey = Object.keys(a).find((k) => k.includes(":") && localOf(k) === "id");
          const state = a.state === "hidden" || a.state === "veryHidden" ? a.state : "visible";
          wb.sheets.push({ name: a.name ?? "", sheetId: a.sheetId ?? "", state, rid: ridKey ? a[ridKey] : "" });
        }
      }
    },
    // a self-closing tag is closed too (saxes and scanXml both say so)
    close() {
      scopes.pop();
    },
    result: () => wb,
  };
}

// ---------------------------------------------------------------- styles.xml

/** Excel's built-in number formats (ECMA-376 §18.8.30); the ids missing here are locale-specific. */
export const BUILTIN_NUMFMTS: Readonly<Record<number, string>> = {
  0: "General",
  1: "0",
  2: "0.00",
  3: "#,##0",
  4: "#,##0.00",
  9: "0%",
  10: "0.00%",
  11: "0.00E+00",
  12: "# ?/?",
  13: "# ??/??",
  14: "mm-dd-yy",
  15: "d-mmm-yy",
  16: "d-mmm",
  17: "mmm-yy",
  18: "h:mm AM/PM",
  19: "h:mm:ss AM/PM",
  20: "h:mm",
  21: "h:mm:ss",
  22: "m/d/yy h:mm",
  37: "#,##0 ;(#,##0)",
  38: "#,##0 ;[Red](#,##0)",
  39: "#,##0.00;(#,##0.00)",
  40: "#,##0.00;[Red](#,##0.00)",
  45: "mm:ss",
  46: "[h]:mm:ss",
  47: "mmss.0",
  48: "##0.0E+0",
  49: "@",
};

export interface Styles {
  /** per cellXfs index: the number format code */
  numFmt: string[];
  /** per cellXfs index: the font name (undefined when the font has none) */
  font: (string | undefined)[];
}

/** Number format and font of each cell style (cellXfs). */
export function stylesReader(limits: { maxStyles?: number } = {}): PartReader<Styles> {
  const custom = new Map<number, string>();
  const fonts: (string | undefined)[] = [];
  const xfs: { numFmtId: number; fontId: number }[] = [];
  let section = "";
  let inFont = false;
  const maxStyles = limits.maxStyles ?? 65_000;
  let entries = 0;
  const tooMany = (): XlsxLimitError => new XlsxLimitError("maxStyles", maxStyles, "entries in a style table", "số mục của một bảng định dạng");
  return {
    open(name, a, selfClosing) {
      if ((name === "numFmt" || name === "font" || name === "xf") && ++entries > maxStyles * 3) throw tooMany();
      switch (name) {
        case "numFmts":
        case "fonts":
        case "cellXfs":
        case "cellStyleXfs":
        case "dxfs":
          section = name;
          break;
        case "numFmt":
          // a numFmt without its code (invalid, but written) reads as General
          if (section === "numFmts") custom.set(Number(a.numFmtId), a.formatCode ?? "General");
          break;
        case "font":
          if (section === "fonts") {
            fonts.push(undefined);
            inFont = !selfClosing;
          }
          break;
        case "name":
          if (section === "fonts" && inFont) fonts[fonts.length - 1] = a.val;
          break;
        case "xf":
          if (section === "cellXfs") xfs.push({ numFmtId: Number(a.numFmtId ?? 0), fontId: Number(a.fontId ?? 0) });
          break;
      }
    },
    close(name) {
      if (name === "font") inFont = false;
      else if (name === section) section = "";
    },
    result() {
      if (xfs.length > maxStyles || fonts.length > maxStyles || custom.size > maxStyles) throw tooMany();
      return {
        numFmt: xfs.map((x) => custom.get(x.numFmtId) ?? BUILTIN_NUMFMTS[x.numFmtId] ?? "General"),
        font: xfs.map((x) => fonts[x.fontId]),
      };
    },
  };
}

// ---------------------------------------------------------------- sharedStrings.xml

/** The shared string table: rich text runs joined, phonetic runs (<rPh>) left out, _xHHHH_ decoded. */
export function sharedStringsReader(limits: { maxSharedStrings?: number; maxTextChars?: number } = {}): PartReader<string[]> {
  const maxCount = limits.maxSharedStrings ?? 2_000_000;
  const maxText = limits.maxTextChars ?? 32_767;
  const out: string[] = [];
  const tooMany = (): XlsxLimitError => new XlsxLimitError("maxSharedStrings", maxCount, "shared strings", "số chuỗi dùng chung");
  const tooLong = (): XlsxLimitError =>
    new XlsxLimitError("maxTextChars", maxText, `characters in shared string ${out.length + 1}`, `số ký tự của chuỗi dùng chung thứ ${out.length + 1}`);
  let current = "";
  let inSi = false;
  let inT = false;
  let inPhonetic = false;
  return {
    open(name, _a, selfClosing) {
      if (name === "si") {
        current = "";
        inSi = true;
        if (selfClosing) {
          if (out.length >= maxCount) throw tooMany();
          out.push("");
          inSi = false;
        }
      } else if (name === "rPh") inPhonetic = !selfClosing;
      else if (name === "t") inT = !selfClosing;
    },
    text(t) {
      if (inSi && inT && !inPhonetic) {
        current += t;
        if (current.length > maxText) throw tooLong();
      }
    },
    close(name) {
      if (name === "t") inT = false;
      else if (name === "rPh") inPhonetic = false;
      else if (name === "si" && inSi) {
        if (out.length >= maxCount) throw tooMany();
        out.push(decodeXstring(current));
        inSi = false;
      }
    },
    result: () => out,
  };
}
