// Shared by the fill tests: fixtures, a package built from XML parts, LibreOffice recalculation.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { strToU8, zipSync } from "fflate";
import type { FormPlan, WorkbookPlan } from "../../../fill/engine/types.js";
import { ConfigSchema } from "../../../core/config.js";
import { runLoad } from "../../../etl/commands.js";

export const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "fixtures", "fill");

export function fixture(name: string): Uint8Array {
  return new Uint8Array(readFileSync(join(FIXTURES, name)));
}

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
/** The bundled sample's template. */
export const SAMPLE_TEMPLATE = join(ROOT, "sample", "template.xlsx");
/** The time the sample's load and fills are stamped with. */
export const SAMPLE_NOW = new Date("2024-06-30T03:00:00Z");

/** The bundled sample inbox loaded into a new warehouse; returns its path. */
export async function loadSampleWarehouse(): Promise<string> {
  const config = ConfigSchema.parse(JSON.parse(readFileSync(join(ROOT, "sample", "phuluc.config.json"), "utf8")));
  const db = join(mkdtempSync(join(tmpdir(), "phuluc-sample-")), "w.duckdb");
  const report = await runLoad({ inbox: join(ROOT, "sample", "inbox"), db, config, quiet: true, now: () => SAMPLE_NOW });
  if (report.outcome !== "loaded") throw new Error(`the sample did not load: ${report.outcome}`);
  return db;
}

export function formPlan(p: Partial<FormPlan> & { sheetName: string }): FormPlan {
  return {
    form: p.form ?? p.sheetName,
    sheetName: p.sheetName,
    rowOps: p.rowOps ?? [],
    blocks: p.blocks ?? [],
    headerRewrites: p.headerRewrites ?? [],
    lineage: p.lineage ?? [],
    rowsAdded: p.rowsAdded ?? [],
    rowsRemoved: p.rowsRemoved ?? [],
    changes: p.changes ?? [],
    problems: p.problems ?? [],
  };
}

export function workbookPlan(year: number, forms: FormPlan[]): WorkbookPlan {
  return { year, forms, problems: [] };
}

const MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
const R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';

/**
 * A minimal workbook whose sheet XML the test writes itself (to have shared formulas, x14
 * extensions, tables … exactly as Excel writes them). `sheets` are (name, sheetData and what
 * follows it). `extra` parts and sheet relationships may be added.
 */
export function buildXlsx(opts: {
  sheets: { name: string; body: string; rels?: { id: string; type: string; target: string }[] }[];
  definedNames?: string;
  extraParts?: Record<string, string>;
  extraOverrides?: Record<string, string>;
  workbookRels?: { id: string; type: string; target: string }[];
  workbookTail?: string;
  styles?: string;
  calcChain?: boolean;
}): Uint8Array {
  const files: Record<string, Uint8Array> = {};
  const overrides: Record<string, string> = {
    "/xl/workbook.xml": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
    "/xl/styles.xml": "application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml",
    ...(opts.extraOverrides ?? {}),
  };
  const wbRels = [
    ...opts.sheets.map((_s, i) => ({ id: `rId${i + 1}`, type: `${R}/worksheet`, target: `worksheets/sheet${i + 1}.xml` })),
    { id: "rIdS", type: `${R}/styles`, target: "styles.xml" },
    ...(opts.workbookRels ?? []),
  ];
  if (opts.calcChain) {
    wbRels.push({ id: "rIdC", type: `${R}/calcChain`, target: "calcChain.xml" });
    overrides["/xl/calcChain.xml"] = "application/vnd.openxmlformats-officedocument.spreadsheetml.calcChain+xml";
    files["xl/calcChain.xml"] = strToU8(`${HEAD}<calcChain xmlns="${MAIN}"><c r="A1" i="1"/></calcChain>`);
  }
  opts.sheets.forEach((s, i) => {
    overrides[`/xl/worksheets/sheet${i + 1}.xml`] = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml";
    files[`xl/worksheets/sheet${i + 1}.xml`] = strToU8(
      `${HEAD}<worksheet xmlns="${MAIN}" xmlns:r="${R}" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" xmlns:x14ac="http://schemas.microsoft.com/office/spreadsheetml/2009/9/ac" xmlns:xm="http://schemas.microsoft.com/office/excel/2006/main" xmlns:x14="http://schemas.microsoft.com/office/spreadsheetml/2009/9/main">${s.body}</worksheet>`,
    );
    if (s.rels?.length) files[`xl/worksheets/_rels/sheet${i + 1}.xml.rels`] = strToU8(rels(s.rels));
  });
  const ct =
    `${HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
    `<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>` +
    Object.entries(overrides).map(([p, t]) => `<Override PartName="${p}" ContentType="${t}"/>`).join("") +
    `</Types>`;
  files["[Content_Types].xml"] = strToU8(ct);
  files["_rels/.rels"] = strToU8(rels([{ id: "rId1", type: `${R}/officeDocument`, target: "xl/workbook.xml" }]));
  files["xl/workbook.xml"] = strToU8(
    `${HEAD}<workbook xmlns="${MAIN}" xmlns:r="${R}"><sheets>` +
      opts.sheets.map((s, i) => `<sheet name="${s.name.replace(/&/g, "&amp;")}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`).join("") +
      `</sheets>${opts.definedNames ? `<definedNames>${opts.definedNames}</definedNames>` : ""}<calcPr calcId="191029"/>${opts.workbookTail ?? ""}</workbook>`,
  );
  files["xl/_rels/workbook.xml.rels"] = strToU8(rels(wbRels));
  files["xl/styles.xml"] = strToU8(
    opts.styles ??
      `${HEAD}<styleSheet xmlns="${MAIN}"><numFmts count="1"><numFmt numFmtId="164" formatCode="#,##0"/></numFmts><fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>`,
  );
  for (const [k, v] of Object.entries(opts.extraParts ?? {})) files[k] = strToU8(v);
  return zipSync(files);
}

function rels(list: { id: string; type: string; target: string }[]): string {
  return `${HEAD}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${list
    .map((r) => `<Relationship Id="${r.id}" Type="${r.type}" Target="${r.target}"/>`)
    .join("")}</Relationships>`;
}

// ---------------------------------------------------------------- LibreOffice

export const hasSoffice: boolean = (() => {
  const r = spawnSync("soffice", ["--version"], { encoding: "utf8" });
  return r.status === 0;
})();
if (!hasSoffice) console.warn("soffice not found: the LibreOffice recalculation tests are skipped (apt-get install libreoffice-calc-nogui)");

/**
 * Open workbooks in LibreOffice with recalculation forced (a fresh profile whose
 * OOXMLRecalcMode is 0 = always) and save them as .xlsx, in one soffice run (its start-up is
 * most of the time); returns the converted bytes in order.
 */
export function recalcAllWithLibreOffice(inputs: { bytes: Uint8Array; ext?: string }[]): Uint8Array[] {
  const dir = mkdtempSync(join(tmpdir(), "phuluc-lo-"));
  try {
    const profile = join(dir, "profile");
    mkdirSync(join(profile, "user"), { recursive: true });
    writeFileSync(
      join(profile, "user", "registrymodifications.xcu"),
      `<?xml version="1.0" encoding="UTF-8"?>\n<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">` +
        `<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item></oor:items>\n`,
    );
    const out = join(dir, "out");
    mkdirSync(out);
    const files = inputs.map((x, i) => {
      const f = join(dir, `in${i}.${x.ext ?? "xlsx"}`);
      writeFileSync(f, x.bytes);
      return f;
    });
    execFileSync("soffice", [`-env:UserInstallation=file://${profile}`, "--headless", "--convert-to", "xlsx", "--outdir", out, ...files], {
      stdio: "pipe",
      timeout: 180_000,
    });
    return inputs.map((_, i) => new Uint8Array(readFileSync(join(out, `in${i}.xlsx`))));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function recalcWithLibreOffice(bytes: Uint8Array, ext = "xlsx"): Uint8Array {
  return recalcAllWithLibreOffice([{ bytes, ext }])[0];
}
