// The offline manifest check (scripts/validate-manifest.ts): our manifest passes; deliberately
// broken copies fail, each for its own reason — including one that only the JSON schema catches.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { validateManifest, pngSize } from "../../scripts/validate-manifest.js";
import { REQUIRED_EXCEL_API } from "../../addin/office/requirements.js";

const ROOT = resolve(import.meta.dirname, "../..");
const MANIFEST = join(ROOT, "manifest.xml");
const good = readFileSync(MANIFEST, "utf8");
const work = mkdtempSync(join(tmpdir(), "phuluc-manifest-test-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

async function broken(name: string, edit: (xml: string) => string) {
  const path = join(work, `${name}.xml`);
  const xml = edit(good);
  expect(xml).not.toBe(good);
  writeFileSync(path, xml);
  return validateManifest(path, join(ROOT, "addin", "assets"));
}

const codes = (r: { findings: { code: string }[] }) => r.findings.map((f) => f.code);

describe("manifest.xml", () => {
  it("is valid: converted JSON against MicrosoftTeams v1.24, info, our checks", async () => {
    const r = await validateManifest(MANIFEST);
    expect(r.findings).toEqual([]);
    expect(r.ok).toBe(true);
    expect(r.schemaVersion).toBe("1.24");
    expect(r.info).toMatchObject({ hosts: ["Workbook"], defaultSettings: { sourceLocation: "https://localhost:3000/index.html" } });
    expect(good).toContain(`<Set Name="ExcelApi" MinVersion="${REQUIRED_EXCEL_API}"/>`);
  });

  it("icons are PNGs of the sizes the manifest declares", () => {
    for (const size of [16, 32, 64, 80]) {
      expect(pngSize(readFileSync(join(ROOT, "addin", "assets", `icon-${size}.png`)))).toEqual({ width: size, height: size });
    }
  });

  it("fails on an http URL and a missing icon", async () => {
    const r = await broken("http", (x) => x.replace("https://localhost:3000/assets/icon-80.png", "http://localhost:3000/assets/icon-81.png"));
    expect(r.ok).toBe(false);
    expect(codes(r)).toEqual(expect.arrayContaining(["M_NOT_HTTPS", "M_ICON_MISSING"]));
  });

  it("fails on a requirement set other than the one the core needs", async () => {
    const r = await broken("req", (x) => x.replace(`<Set Name="ExcelApi" MinVersion="${REQUIRED_EXCEL_API}"/>`, '<Set Name="ExcelApi" MinVersion="1.20"/>'));
    expect(codes(r)).toContain("M_REQ_VERSION");
  });

  it("fails on what only the JSON schema knows (a control id over 64 characters)", async () => {
    const r = await broken("schema", (x) => x.replace('id="Phuluc.OpenPane"', `id="Phuluc.OpenPane${"x".repeat(80)}"`));
    expect(r.ok).toBe(false);
    expect(codes(r)).toEqual(["M_SCHEMA"]);
    expect(r.findings[0].message).toContain("controls/0/id");
  });

  it("fails on a malformed XML and on an id that is not a GUID", async () => {
    expect(codes(await broken("xml", (x) => x.replace("</Hosts>", "</Hostz>")))).toContain("M_XML");
    expect(codes(await broken("guid", (x) => x.replace(/<Id>[^<]+<\/Id>/, "<Id>not-a-guid</Id>")))).toContain("M_ID");
  });

  it("fails on a name the JSON manifest would truncate", async () => {
    const r = await broken("long", (x) => x.replace('DefaultValue="phuluc: S&amp;T appendices"', `DefaultValue="phuluc: S&amp;T appendices ${"long ".repeat(10)}"`));
    expect(codes(r)).toContain("M_TRUNCATED");
  });
});
