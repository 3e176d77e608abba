// The small parts of a workbook (workbook.xml, its rels, styles.xml, sharedStrings.xml), parsed
// with saxes, a real XML parser: they are small next to the sheets, so correctness wins here and
// the purpose-built scanner is kept for sheet XML only.
import { posix } from "node:path";
import { SaxesParser, type SaxesTagPlain } from "saxes";
import type { InflateBudget, ZipEntry, ZipFile } from "./zip.js";
import { decodeXstring } from "./escape.js";
import { XlsxInvalidError, XlsxLimitError } from "./types.js";

/** The limits a small part is read under (ReaderLimits; defaults when absent). */
export interface PartLimits {
  maxDepth?: number;
  maxTextChars?: number;
  maxMarkupChars?: number;
}

/** Excel's built-in number formats (ECMA-376 §18.8.30); the ids missing here are locale-specific. */
export const BUILTIN_NUMFMTS: Record<number, string> = {
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

const local = (name: string): string => name.slice(name.indexOf(":") + 1);

/** Runs saxes over one part, streaming; `onTag` sees open tags, `onText` text, `onClose` ends. */
export async function parsePart(
  zip: ZipFile,
  entry: ZipEntry,
  budget: InflateBudget,
  handlers: {
    /** `qname` is the name as written, prefix included ("x15:workbookPr") */
    open?: (name: string, attrs: Record<string, string>, selfClosing: boolean, qname: string) => void;
    text?: (text: string) => void;
    close?: (name: string) => void;
  },
  limits: PartLimits = {},
): Promise<void> {
  const maxDepth = limits.maxDepth ?? 64;
  const maxText = limits.maxTextChars ?? 32_767;
  const maxMarkup = limits.maxMarkupChars ?? 1024 * 1024;
  const parser = new SaxesParser({ xmlns: false, position: false });
  let failure: Error | null = null;
  parser.on("error", (e) => {
    failure ??= e;
  });
  // Nesting is counted here and stops the parse at once (a throw from a handler leaves write()):
  // saxes keeps a stack of open elements, which 40 million nested tags made gigabytes of.
  let depth = 0;
  const open = handlers.open;
  parser.on("opentag", (t: SaxesTagPlain) => {
    if (!t.isSelfClosing && ++depth > maxDepth) {
      throw new XlsxLimitError("maxDepth", maxDepth, `levels of XML nesting in ${entry.name}`, `số cấp lồng XML trong ${entry.name}`);
    }
    open?.(local(t.name), t.attributes as Record<string, string>, t.isSelfClosing, t.name);
  });
  if (handlers.text) parser.on("text", handlers.text);
  if (handlers.text) parser.on("cdata", handlers.text);
  const close = handlers.close;
  parser.on("closetag", (t) => {
    depth--;
    close?.(local(t.name));
  });
  // saxes gathers a text, or an unfinished tag, whole before it tells us: a run of characters with
  // no '<' (or no '>') past what any cell text (or tag) needs is refused before it is gathered
  let sinceLt = 0;
  let sinceGt = 0;
  const runs = (text: string): void => {
    const lt = text.lastIndexOf("<");
    sinceLt = lt < 0 ? sinceLt + text.length : text.length - lt - 1;
    const gt = text.lastIndexOf(">");
    sinceGt = gt < 0 ? sinceGt + text.length : text.length - gt - 1;
    if (sinceLt > maxText * 10) {
      throw new XlsxLimitError("maxTextChars", maxText, `characters in one text in ${entry.name}`, `số ký tự của một đoạn chữ trong ${entry.name}`);
    }
    if (sinceGt > maxMarkup + maxText * 10) {
      throw new XlsxLimitError("maxMarkupChars", maxMarkup, `characters in one unfinished tag in ${entry.name}`, `số ký tự của một thẻ XML chưa đóng trong ${entry.name}`);
    }
  };
  const decoder = new TextDecoder("utf-8", { fatal: true });
  const decode = (chunk?: Uint8Array): string => {
    try {
      return chunk ? decoder.decode(chunk, { stream: true }) : decoder.decode();
    } catch {
      throw new XlsxInvalidError(`bytes that are not valid UTF-8 in ${entry.name}`, `các byte không phải UTF-8 hợp lệ trong ${entry.name}`);
    }
  };
  for await (const chunk of zip.inflate(entry, budget)) {
    const text = decode(chunk);
    runs(text);
    parser.write(text);
    if (failure) break;
  }
  if (!failure) parser.write(decode()).close();
  if (failure) {
    const message = (failure as Error).message;
    // a character XML 1.0 forbids ("&#xFFFE;", U+0001): not damage, a text that cannot be stored
    if (/disallowed character|malformed character entity/.test(message)) {
      throw new XlsxInvalidError(`a character XML forbids in ${entry.name} (${message})`, `ký tự XML không cho phép trong ${entry.name} (${message})`);
    }
    throw new PartError(entry.name, message);
  }
}

export class PartError extends Error {
  constructor(
    readonly part: string,
    message: string,
  ) {
    super(`${part}: ${message}`);
    this.name = "PartError";
  }
}

export interface Relationship {
  id: string;
  type: string;
  /** resolved to a part name without the leading "/" ("xl/worksheets/sheet1.xml") */
  target: string;
}

/** The rels part of `partName` ("xl/workbook.xml" → "xl/_rels/workbook.xml.rels"). */
export function relsNameOf(partName: string): string {
  const dir = posix.dirname(partName);
  return posix.join(dir === "." ? "" : dir, "_rels", posix.basename(partName) + ".rels");
}

export async function readRels(zip: ZipFile, partName: string, budget: InflateBudget): Promise<Relationship[]> {
  const entry = zip.get(relsNameOf(partName));
  if (!entry) return [];
  const base = posix.dirname(partName);
  const out: Relationship[] = [];
  await parsePart(zip, entry, budget, {
    open(name, a) {
      if (name !== "Relationship" || a.TargetMode === "External" || !a.Target) return;
      // targets are relative to the source part's folder, or absolute from the package root
      // (a backslash is a folder separator to the writers that store entry names with it)
      const t = a.Target.replace(/\\/g, "/");
      const target = t.startsWith("/") ? posix.normalize(t).slice(1) : posix.normalize(posix.join(base === "." ? "" : base, t));
      out.push({ id: a.Id, type: a.Type ?? "", target });
    },
  });
  return out;
}

export interface WorkbookPart {
  date1904: boolean;
  sheets: { name: string; state: "visible" | "hidden" | "veryHidden"; rid: string }[];
}

// SpreadsheetML's main namespace, transitional and strict
const MAIN_NS = new Set(["http://schemas.openxmlformats.org/spreadsheetml/2006/main", "http://purl.oclc.org/ooxml/spreadsheetml/main"]);

export async function readWorkbook(zip: ZipFile, entry: ZipEntry, budget: InflateBudget): Promise<WorkbookPart> {
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
  await parsePart(zip, entry, budget, {
    open(name, a, _selfClosing, qname) {
      let scope = scopes[scopes.length - 1];
      for (const k of Object.keys(a)) {
        if (k === "xmlns" || k.startsWith("xmlns:")) {
          if (scope === scopes[scopes.length - 1]) scope = new Map(scope);
          scope.set(k === "xmlns" ? "" : k.slice(6), a[k]);
        }
      }
      scopes.push(scope);
      if (!inMain(qname)) return;
      if (name === "workbookPr") {
        wb.date1904 = a.date1904 === "1" || a.date1904 === "true";
      } else if (name === "sheet") {
        // r:id's prefix is whatever the file bound the relationships namespace to
        const ridKey = Object.keys(a).find((k) => k.includes(":") && local(k) === "id");
        const state = a.state === "hidden" || a.state === "veryHidden" ? a.state : "visible";
        wb.sheets.push({ name: a.name ?? "", state, rid: ridKey ? a[ridKey] : "" });
      }
    },
    close() {
      scopes.pop();
    },
  });
  return wb;
}

export interface Styles {
  /** per cellXfs index: the number format code */
  numFmt: string[];
  /** per cellXfs index: the font name (undefined when the font has none) */
  font: (string | undefined)[];
}

export async function readStyles(zip: ZipFile, entry: ZipEntry | undefined, budget: InflateBudget, limits: PartLimits & { maxStyles?: number } = {}): Promise<Styles> {
  if (!entry) return { numFmt: [], font: [] };
  const custom = new Map<number, string>();
  const fonts: (string | undefined)[] = [];
  const xfs: { numFmtId: number; fontId: number }[] = [];
  let section = "";
  let inFont = false;
  const maxStyles = limits.maxStyles ?? 65_000;
  let entries = 0;
  await parsePart(zip, entry, budget, {
    open(name, a, selfClosing) {
      if ((name === "numFmt" || name === "font" || name === "xf") && ++entries > maxStyles * 3) {
        throw new XlsxLimitError("maxStyles", maxStyles, "entries in a style table", "số mục của một bảng định dạng");
      }
      switch (name) {
        case "numFmts":
        case "fonts":
        case "cellXfs":
        case "cellStyleXfs":
        case "dxfs":
          section = name;
          break;
        case "numFmt":
          if (section === "numFmts") custom.set(Number(a.numFmtId), a.formatCode ?? "");
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
  }, limits);
  if (xfs.length > maxStyles || fonts.length > maxStyles || custom.size > maxStyles) {
    throw new XlsxLimitError("maxStyles", maxStyles, "entries in a style table", "số mục của một bảng định dạng");
  }
  return {
    numFmt: xfs.map((x) => custom.get(x.numFmtId) ?? BUILTIN_NUMFMTS[x.numFmtId] ?? "General"),
    font: xfs.map((x) => fonts[x.fontId]),
  };
}

/** The shared string table: rich text runs joined, phonetic runs (<rPh>) left out. */
export async function readSharedStrings(zip: ZipFile, entry: ZipEntry | undefined, budget: InflateBudget, limits: PartLimits & { maxSharedStrings?: number } = {}): Promise<string[]> {
  if (!entry) return [];
  const maxCount = limits.maxSharedStrings ?? 2_000_000;
  const maxText = limits.maxTextChars ?? 32_767;
  const tooMany = (): XlsxLimitError =>
    new XlsxLimitError("maxSharedStrings", maxCount, "shared strings", "số chuỗi dùng chung");
  const tooLong = (): XlsxLimitError =>
    new XlsxLimitError("maxTextChars", maxText, `characters in shared string ${out.length + 1}`, `số ký tự của chuỗi dùng chung thứ ${out.length + 1}`);
  const out: string[] = [];
  let current = "";
  let inSi = false;
  let inT = false;
  let inPhonetic = false;
  await parsePart(zip, entry, budget, {
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
  }, limits);
  return out;
}
