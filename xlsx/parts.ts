// The small parts of a workbook (workbook.xml, its rels, styles.xml, sharedStrings.xml) read by the
// ETL: streaming from the zip with saxes, a real XML parser, under the reader's limits. What is
// read from each part is opc.ts's (the fill reads the same parts with the same readers from
// memory). They are small next to the sheets, so correctness wins here and the purpose-built
// scanner is kept for sheet XML only.
import { SaxesParser, type SaxesTagPlain } from "saxes";
import type { InflateBudget, ZipEntry, ZipFile } from "./zip.js";
import { localOf as local, relsPartName, relsReader, sharedStringsReader, stylesReader, workbookReader, type PartReader, type Relationship, type Styles, type WorkbookPart } from "./opc.js";
import { XlsxInvalidError, XlsxLimitError } from "./types.js";

export type { Relationship, Styles, WorkbookPart };

/** The limits a small part is read under (ReaderLimits; defaults when absent). */
export interface PartLimits {
  maxDepth?: number;
  maxTextChars?: number;
  maxMarkupChars?: number;
}

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
    // saxes closes a self-closing tag too, which the count above never opened
    if (!t.isSelfClosing) depth--;
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

/** Reads one part streaming with a reader of opc.ts (the reading the fill does from memory). */
async function readPart<T>(zip: ZipFile, entry: ZipEntry, budget: InflateBudget, reader: PartReader<T>, limits: PartLimits = {}): Promise<T> {
  await parsePart(zip, entry, budget, reader, limits);
  return reader.result();
}

/** The internal relationships of `partName`, each with its target resolved to a part name. */
export async function readRels(zip: ZipFile, partName: string, budget: InflateBudget): Promise<Relationship[]> {
  const entry = zip.get(relsPartName(partName));
  if (!entry) return [];
  const all = await readPart(zip, entry, budget, relsReader(partName));
  return all.filter((r) => !r.external && r.target !== "");
}

export function readWorkbook(zip: ZipFile, entry: ZipEntry, budget: InflateBudget): Promise<WorkbookPart> {
  return readPart(zip, entry, budget, workbookReader());
}

export async function readStyles(zip: ZipFile, entry: ZipEntry | undefined, budget: InflateBudget, limits: PartLimits & { maxStyles?: number } = {}): Promise<Styles> {
  if (!entry) return { numFmt: [], font: [] };
  return readPart(zip, entry, budget, stylesReader(limits), limits);
}

export async function readSharedStrings(zip: ZipFile, entry: ZipEntry | undefined, budget: InflateBudget, limits: PartLimits & { maxSharedStrings?: number } = {}): Promise<string[]> {
  if (!entry) return [];
  return readPart(zip, entry, budget, sharedStringsReader(limits), limits);
}
