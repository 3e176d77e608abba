// `npm run addin` (scripts/addin.ts) end to end, without asking the system to trust anything
// (--no-trust: the test must not touch the machine's trust store): a certificate made with
// office-addin-dev-certs into a temporary folder, the pane built, the manifest written for the
// origin served, the API and the pane over https. Every URL of that manifest is fetched over
// https with the made CA as the only trusted root (so the certificate chain is right for
// localhost), the manifest passes the offline validation, and the steps for Excel on the web,
// Windows and Mac are printed. A second start reuses the certificate.
import { X509Certificate } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { request } from "node:https";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { manifestFor, startAddin } from "../../scripts/addin.js";
import { validateManifest } from "../../scripts/validate-manifest.js";

const KEY = "addin-command-test-key-0123456789";

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((ok) => s.listen(0, "127.0.0.1", ok));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((ok) => s.close(() => ok()));
  return port;
}

function get(url: string, ca: Buffer, headers: Record<string, string> = {}): Promise<{ status: number; type: string; body: string }> {
  return new Promise((ok, fail) => {
    const req = request(url, { ca, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => ok({ status: res.statusCode ?? 0, type: String(res.headers["content-type"] ?? ""), body: Buffer.concat(chunks).toString("utf8") }));
    });
    req.on("error", fail);
    req.end();
  });
}

const work = mkdtempSync(join(tmpdir(), "phuluc-addin-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("npm run addin", { timeout: 240_000 }, () => {
  it("serves the pane and the API over https with a localhost certificate, at the manifest's URLs, and prints the steps", async () => {
    const port = await freePort();
    const lines: string[] = [];
    const env = { ...process.env, PHULUC_API_KEY: KEY, PHULUC_LOG_LEVEL: "silent" };
    const opts = { port, host: "localhost", trust: false, certDir: join(work, "certs"), outDir: join(work, "out") };
    const first = await startAddin(opts, (s) => lines.push(s), env);
    try {
      const ca = readFileSync(first.certs.ca);
      const x = new X509Certificate(readFileSync(first.certs.cert));
      expect(x.subjectAltName).toContain("DNS:localhost");
      expect(x.checkIssued(new X509Certificate(ca))).toBe(true);
      expect(first.origin).toBe(`https://localhost:${port}`);

      // every URL of the manifest written is served, over https, trusted through the made CA
      const xml = readFileSync(first.manifest, "utf8");
      expect(xml).toBe(manifestFor(first.origin));
      const urls = [...new Set([...xml.matchAll(/"(https:\/\/[^"]+)"/g)].map((m) => m[1]))];
      expect(urls.length).toBeGreaterThan(5);
      for (const u of urls) expect(u.startsWith(`${first.origin}/`) || u === first.origin, u).toBe(true);
      for (const u of urls.filter((u) => u !== first.origin)) {
        const r = await get(u, ca);
        expect([u, r.status]).toEqual([u, 200]);
      }
      const pane = await get(`${first.origin}/index.html`, ca);
      expect(pane.body).toContain("https://appsforoffice.microsoft.com/lib/1/hosted/office.js");
      const years = await get(`${first.origin}/api/years`, ca, { Authorization: `Bearer ${KEY}` });
      expect(JSON.parse(years.body).years).toContain(2024);
      const check = await validateManifest(first.manifest);
      expect(check.findings.filter((f) => f.severity === "error")).toEqual([]);

      const text = lines.join("\n");
      expect(text).toContain("made in");
      expect(text).toContain("--no-trust");
      expect(text).toContain("certutil -user -addstore root");
      expect(text).toContain("Upload My Add-in");
      expect(text).toContain(first.manifest);
      expect(text).toContain("Trusted Add-in Catalogs");
      expect(text).toContain("Documents/wef");
      expect(text).toContain(`${first.origin}/index.html`);
      console.log(`test/addin/addin-command output:\n${text}`);
    } finally {
      await first.running.close();
    }
    // a second start reuses the certificate and the sample warehouse
    const again: string[] = [];
    const second = await startAddin(opts, (s) => again.push(s), env);
    await second.running.close();
    expect(again.join("\n")).toContain("reused in");
    expect(again.join("\n")).toContain("the sample, loaded before");
  });

  it("moves the manifest's URLs to another origin, nothing else", () => {
    const src = readFileSync(join(import.meta.dirname, "../../manifest.xml"), "utf8");
    const moved = manifestFor("https://phuluc.local:3443", src);
    expect(moved).not.toContain("https://localhost:3000");
    expect(moved.replaceAll("https://phuluc.local:3443", "https://localhost:3000")).toBe(src);
  });
});
