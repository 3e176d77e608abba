// The lineage custom XML part inside a package: written by a fill (replacing the previous
// fill's), read back by tests and the CLI. The XML itself is lineage-xml.ts (shared with the pane).
import { buildLineageXml, isLineageXml, LINEAGE_NS, parseLineageXml, type WorkbookLineage } from "../lineage-xml.js";
import { Package } from "../../xlsx/package.js";

const REL_CUSTOM_XML = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/customXml";
const REL_CUSTOM_XML_PROPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/customXmlProps";
const CT_PROPS = "application/vnd.openxmlformats-officedocument.customXmlProperties+xml";

/** The custom XML items of the workbook whose root is our lineage element, in order. */
function lineageParts(pkg: Package): string[] {
  const out: string[] = [];
  for (const r of pkg.rels(pkg.workbookPart())) {
    if (r.type !== REL_CUSTOM_XML || !r.part || !pkg.has(r.part)) continue;
    if (isLineageXml(head(pkg.read(r.part))) || isLineageXml(pkg.readText(r.part))) out.push(r.part);
  }
  return out;
}

/** The start of a part as text, enough for its root element: not megabytes decoded to read one tag. */
function head(bytes: Uint8Array): string {
  return new TextDecoder("utf-8").decode(bytes.subarray(0, 4096));
}

/** The custom XML item of the workbook that holds our lineage, if any. */
function findLineagePart(pkg: Package): string | null {
  return lineageParts(pkg)[0] ?? null;
}

export function writeLineagePart(pkg: Package, lineage: WorkbookLineage): string {
  const xml = buildLineageXml(lineage);
  const existing = findLineagePart(pkg);
  if (existing) {
    pkg.write(existing, xml);
    return existing;
  }
  let n = 1;
  while (pkg.has(`customXml/item${n}.xml`) || pkg.has(`customXml/itemProps${n}.xml`)) n++;
  const item = `customXml/item${n}.xml`;
  const props = `customXml/itemProps${n}.xml`;
  pkg.write(item, xml);
  const guid = `{${globalThis.crypto.randomUUID().toUpperCase()}}`;
  pkg.write(
    props,
    '<?xml version="1.0" encoding="UTF-8" standalone="no"?>\r\n' +
      `<ds:datastoreItem ds:itemID="${guid}" xmlns:ds="http://schemas.openxmlformats.org/officeDocument/2006/customXml">` +
      `<ds:schemaRefs><ds:schemaRef ds:uri="${LINEAGE_NS}"/></ds:schemaRefs></ds:datastoreItem>`,
  );
  pkg.addRel(item, REL_CUSTOM_XML_PROPS, props);
  pkg.addRel(pkg.workbookPart(), REL_CUSTOM_XML, item);
  pkg.setOverride(props, CT_PROPS);
  if (pkg.contentType(item) === null) pkg.setOverride(item, "application/xml");
  return item;
}

/** The lineage a fill stored in a workbook, or null when it has none. */
export function readLineage(bytes: Uint8Array): WorkbookLineage | null {
  const pkg = Package.open(bytes);
  // isLineageXml only looks at the root: a damaged part of ours is passed over, as before
  for (const part of lineageParts(pkg)) {
    try {
      return parseLineageXml(pkg.readText(part));
    } catch {
      /* the next one */
    }
  }
  return null;
}
