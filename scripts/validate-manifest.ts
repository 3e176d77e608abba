// Offline manifest validation (`npm run validate:offline [manifest.xml]`).
//
// `office-addin-manifest validate` (npm run validate) posts the manifest to Microsoft's online
// service; where that is unreachable this script is the check that really validates:
//   1. the XML manifest is converted to the equivalent JSON (unified) manifest with
//      office-addin-manifest-converter, and the JSON and its locale files are validated with
//      ajv-draft-04 against the MicrosoftTeams schema shipped in @microsoft/app-manifest
//      (v1.24: older schemas reject the converter's `getStartedMessages`);
//   2. the facts `office-addin-manifest info` prints (its library call, without the CLI's
//      usage-data prompt) are checked: GUID id, Workbook host, a https SourceLocation;
//   3. our own checks: every URL https, every icon a PNG of its declared size in addin/assets/,
//      the ExcelApi requirement set equal to the one the Office.js back end needs, nothing the
//      converter had to truncate.
// Exit 0 when valid, 1 with the list of errors otherwise.
import { mkdtempSync, readFileSync, readdirSync, rmSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import Ajv from "ajv-draft-04";
import { REQUIRED_EXCEL_API } from "../addin/office/requirements.js";

const require = createRequire(import.meta.url);
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
/** Schema version of the converted JSON manifest (see platform-notes: ≥ 1.24). */
export const SCHEMA_VERSION = "1.24";

export interface Finding {
  severity: "error" | "warning";
  code: string;
  message: string;
}

export interface ValidationResult {
  ok: boolean;
  findings: Finding[];
  info: Record<string, unknown>;
  schemaVersion: string;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function schemaDir(): string {
  const pkg = require.resolve("@microsoft/app-manifest/package.json");
  return join(dirname(pkg), "build", "json-schemas", "teams", `v${SCHEMA_VERSION}`);
}

/** Read the width and height from a PNG's IHDR; null when the bytes are no PNG. */
export function pngSize(bytes: Buffer): { width: number; height: number } | null {
  const sig = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (bytes.length < 24 || sig.some((b, i) => bytes[i] !== b)) return null;
  if (bytes.toString("ascii", 12, 16) !== "IHDR") return null;
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

/** Our own checks on the XML text (URLs, icons, requirement set). */
export function checkXml(xml: string, assetsDir: string): Finding[] {
  const out: Finding[] = [];
  const err = (code: string, message: string) => out.push({ severity: "error", code, message });
  const withoutComments = xml.replace(/<!--[\s\S]*?-->/g, "");

  const urls = [...withoutComments.matchAll(/(?:DefaultValue|Value)="(\w+:\/\/[^"]*)"|<AppDomain>([^<]*)<\/AppDomain>/g)].map(
    (m) => m[1] ?? m[2],
  );
  if (urls.length === 0) err("M_NO_URLS", "no URL found in the manifest");
  for (const u of urls) {
    if (!u.startsWith("https://")) err("M_NOT_HTTPS", `URL is not https (Office loads add-ins over https only): ${u}`);
  }

  const source = /<SourceLocation\s+DefaultValue="([^"]*)"/.exec(withoutComments);
  if (!source) err("M_NO_SOURCE", "no DefaultSettings/SourceLocation");

  // Icons: each image element's size must be the PNG's, and the file must exist in addin/assets.
  const images: { size: number | null; url: string }[] = [];
  for (const m of withoutComments.matchAll(/<(IconUrl|HighResolutionIconUrl)\s+DefaultValue="([^"]*)"/g)) {
    images.push({ size: m[1] === "IconUrl" ? 32 : 64, url: m[2] });
  }
  const resIds = new Map<string, string>();
  for (const m of withoutComments.matchAll(/<bt:Image\s+id="([^"]+)"\s+DefaultValue="([^"]*)"/g)) resIds.set(m[1], m[2]);
  for (const m of withoutComments.matchAll(/<bt:Image\s+size="(\d+)"\s+resid="([^"]+)"/g)) {
    const url = resIds.get(m[2]);
    if (!url) err("M_ICON_RESID", `icon resid ${m[2]} is not defined in Resources/Images`);
    else images.push({ size: Number(m[1]), url });
  }
  if (images.length === 0) err("M_NO_ICONS", "no icons declared");
  for (const img of images) {
    const file = /\/assets\/([^/?#]+\.png)$/i.exec(img.url)?.[1];
    if (!file) {
      err("M_ICON_PATH", `icon URL should point at <pane>/assets/<name>.png: ${img.url}`);
      continue;
    }
    const path = join(assetsDir, file);
    if (!existsSync(path)) {
      err("M_ICON_MISSING", `icon file missing: addin/assets/${file} (for ${img.url})`);
      continue;
    }
    const dim = pngSize(readFileSync(path));
    if (!dim) err("M_ICON_NOT_PNG", `addin/assets/${file} is not a PNG`);
    else if (img.size !== null && (dim.width !== img.size || dim.height !== img.size)) {
      err("M_ICON_SIZE", `addin/assets/${file} is ${dim.width}×${dim.height}, declared ${img.size}`);
    }
  }

  const req = /<Requirements>[\s\S]*?<\/Requirements>/.exec(withoutComments)?.[0] ?? "";
  const excel = /<Set\s+Name="ExcelApi"\s+MinVersion="([\d.]+)"/.exec(req);
  if (!excel) err("M_REQ_MISSING", `no ExcelApi requirement set (the core needs ExcelApi ${REQUIRED_EXCEL_API})`);
  else if (excel[1] !== REQUIRED_EXCEL_API) {
    err(
      "M_REQ_VERSION",
      `ExcelApi MinVersion ${excel[1]} ≠ ${REQUIRED_EXCEL_API}, the lowest set the Office.js back end needs (addin/office/requirements.ts)`,
    );
  }
  if (!/<Host\s+Name="Workbook"\s*\/>/.test(withoutComments)) err("M_HOST", "Hosts must contain Workbook");
  if (!/xsi:type="TaskPaneApp"/.test(withoutComments)) err("M_TYPE", "OfficeApp must be a TaskPaneApp");
  if (!/xsi:type="ShowTaskpane"/.test(withoutComments)) err("M_BUTTON", "no ribbon button that opens the task pane");
  return out;
}

/** The facts `office-addin-manifest info` reports, checked. */
export async function checkInfo(manifestPath: string): Promise<{ findings: Finding[]; info: Record<string, unknown> }> {
  const findings: Finding[] = [];
  const { OfficeAddinManifest } = require("office-addin-manifest") as typeof import("office-addin-manifest");
  let info: Record<string, unknown> = {};
  try {
    const m = await OfficeAddinManifest.readManifestFile(manifestPath);
    info = { ...m };
    if (!m.id || !GUID.test(m.id)) findings.push({ severity: "error", code: "M_ID", message: `Id is not a GUID: ${m.id}` });
    if (!m.hosts?.includes("Workbook")) findings.push({ severity: "error", code: "M_HOST", message: `hosts: ${m.hosts}` });
    if (!m.displayName) findings.push({ severity: "error", code: "M_NAME", message: "no DisplayName" });
    if (!m.version || !/^\d+(\.\d+){0,3}$/.test(m.version)) findings.push({ severity: "error", code: "M_VERSION", message: `Version: ${m.version}` });
    const src = m.defaultSettings?.sourceLocation;
    if (!src || !src.startsWith("https://")) {
      findings.push({ severity: "error", code: "M_SOURCE", message: `SourceLocation must be https: ${src}` });
    }
  } catch (e) {
    findings.push({ severity: "error", code: "M_XML", message: `office-addin-manifest cannot read it: ${(e as Error).message}` });
  }
  return { findings, info };
}

/** Convert to the JSON manifest and validate it (and its locale files) against the schema. */
export async function checkConverted(manifestPath: string): Promise<Finding[]> {
  const findings: Finding[] = [];
  const out = mkdtempSync(join(tmpdir(), "phuluc-manifest-"));
  const { convert } = require("office-addin-manifest-converter") as {
    convert: (i: string, o: string, img?: boolean, schema?: string | null, ver?: string | null, verbose?: boolean) => Promise<void>;
  };
  // The converter logs through console; keep our output to the findings.
  const saved = { log: console.log, info: console.info, warn: console.warn, error: console.error };
  const logged: string[] = [];
  console.log = console.info = console.warn = console.error = (...a: unknown[]) => void logged.push(a.map(String).join(" "));
  try {
    await convert(
      manifestPath,
      out,
      false,
      `https://developer.microsoft.com/json-schemas/teams/v${SCHEMA_VERSION}/MicrosoftTeams.schema.json#`,
      SCHEMA_VERSION,
      false,
    );
  } catch (e) {
    findings.push({ severity: "error", code: "M_CONVERT", message: `conversion failed: ${(e as Error).message}` });
  } finally {
    Object.assign(console, saved);
  }
  try {
    const main = join(out, "manifest.json");
    if (!existsSync(main)) {
      if (findings.length === 0) {
        findings.push({ severity: "error", code: "M_CONVERT", message: `conversion wrote no manifest.json: ${logged.slice(-3).join(" | ")}` });
      }
      return findings;
    }
    const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
    ajv.addFormat("uri", (s: string) => /^[a-z][a-z0-9+.-]*:\S+$/i.test(s));
    const dir = schemaDir();
    const validateMain = ajv.compile(JSON.parse(readFileSync(join(dir, "MicrosoftTeams.schema.json"), "utf8")));
    const validateLocale = ajv.compile(JSON.parse(readFileSync(join(dir, "MicrosoftTeams.Localization.schema.json"), "utf8")));
    for (const f of readdirSync(out).filter((n) => n.endsWith(".json"))) {
      const text = readFileSync(join(out, f), "utf8");
      const doc = JSON.parse(text) as unknown;
      const validate = f === "manifest.json" ? validateMain : validateLocale;
      if (!validate(doc)) {
        for (const e of validate.errors ?? []) {
          findings.push({
            severity: "error",
            code: "M_SCHEMA",
            message: `${f}${e.instancePath || "/"}: ${e.message}${e.params ? " " + JSON.stringify(e.params) : ""}`,
          });
        }
      }
      if (text.includes("<TRUNCATED>")) {
        findings.push({ severity: "error", code: "M_TRUNCATED", message: `${f}: a name or description is too long for the JSON manifest (short name ≤ 30, short description ≤ 80 characters)` });
      }
    }
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
  return findings;
}

export async function validateManifest(manifestPath: string, assetsDir = join(ROOT, "addin", "assets")): Promise<ValidationResult> {
  const findings: Finding[] = [];
  let xml = "";
  try {
    xml = readFileSync(manifestPath, "utf8");
  } catch (e) {
    findings.push({ severity: "error", code: "M_READ", message: (e as Error).message });
    return { ok: false, findings, info: {}, schemaVersion: SCHEMA_VERSION };
  }
  findings.push(...checkXml(xml, assetsDir));
  const { findings: infoFindings, info } = await checkInfo(manifestPath);
  findings.push(...infoFindings);
  findings.push(...(await checkConverted(manifestPath)));
  const seen = new Set<string>();
  const unique = findings.filter((f) => {
    const k = `${f.code} ${f.message}`;
    return seen.has(k) ? false : (seen.add(k), true);
  });
  return { ok: !unique.some((f) => f.severity === "error"), findings: unique, info, schemaVersion: SCHEMA_VERSION };
}

async function main(): Promise<void> {
  const path = resolve(process.argv[2] ?? join(ROOT, "manifest.xml"));
  const r = await validateManifest(path);
  const i = r.info as { displayName?: string; id?: string; version?: string; hosts?: string[]; defaultSettings?: { sourceLocation?: string } };
  console.log(`manifest: ${path}`);
  console.log(`  info: ${i.displayName ?? "?"} · id ${i.id ?? "?"} · version ${i.version ?? "?"} · hosts ${i.hosts?.join(",") ?? "?"} · source ${i.defaultSettings?.sourceLocation ?? "?"}`);
  console.log(`  checks: XML (https, icons, ExcelApi ${REQUIRED_EXCEL_API}) · office-addin-manifest info · JSON schema MicrosoftTeams v${r.schemaVersion} (ajv-draft-04)`);
  for (const f of r.findings) console.log(`  ${f.severity.toUpperCase()} ${f.code}: ${f.message}`);
  console.log(r.ok ? "The manifest is valid. / Tệp manifest hợp lệ." : "The manifest is NOT valid. / Tệp manifest KHÔNG hợp lệ.");
  process.exitCode = r.ok ? 0 : 1;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((e: unknown) => {
    console.error(e);
    process.exitCode = 1;
  });
}
