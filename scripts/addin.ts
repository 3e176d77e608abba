// `npm run addin`: from a clone to the task pane in Excel in one command. Makes (or reuses) a
// localhost certificate with office-addin-dev-certs and asks the system to trust its CA, builds
// the pane with office.js from Office's CDN (what Excel wants), writes a manifest whose URLs are
// the ones served (out/addin/manifest.xml, for the chosen host and port), serves the pane and the
// API over https, and prints the exact steps for Excel on the web, Windows and Mac.
//
//   npm run addin                                  the sample warehouse (built from sample/inbox if missing)
//   npm run addin -- --db <warehouse> [--port 3000] [--host localhost] [--no-trust]
//
// The certificate lives where the Office tools keep theirs (~/.office-addin-dev-certs, or
// PHULUC_CERT_DIR): ca.crt, localhost.crt, localhost.key. Excel runs on the same computer as
// this command (the manifest says https://localhost); for a department server see
// addin/README-pane.md "A deployment".
import { X509Certificate } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { Command, Option } from "commander";
import { buildPane } from "../addin/build.js";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
/** The origin manifest.xml is written for. */
export const MANIFEST_ORIGIN = "https://localhost:3000";

export interface AddinOptions {
  db?: string;
  port: number;
  host: string;
  /** ask the system to trust the CA (Windows and Mac ask the user; without rights it fails, said) */
  trust: boolean;
  certDir?: string;
  /** where the pane, the manifest copy and the sample warehouse go (default out/addin) */
  outDir?: string;
}

export interface Certificates {
  dir: string;
  ca: string;
  cert: string;
  key: string;
  created: boolean;
  /** the CA is trusted by the system (as far as office-addin-dev-certs can tell) */
  trusted: boolean | null;
  trustError: string | null;
}

export const certDirOf = (env: NodeJS.ProcessEnv = process.env): string => env.PHULUC_CERT_DIR || join(homedir(), ".office-addin-dev-certs");

/** A certificate that names `host`, valid for at least another day. */
function usable(certPath: string, keyPath: string, host: string, now: Date): boolean {
  if (!existsSync(certPath) || !existsSync(keyPath)) return false;
  try {
    const x = new X509Certificate(readFileSync(certPath));
    if (new Date(x.validTo).getTime() - now.getTime() < 86_400_000) return false;
    const names = (x.subjectAltName ?? "").split(",").map((s) => s.trim().replace(/^(DNS|IP Address):/, ""));
    return names.includes(host);
  } catch {
    return false;
  }
}

/** Make the CA and the localhost certificate if missing, expiring or not naming the host. */
export async function ensureCertificates(opts: { dir: string; host: string; trust: boolean; now?: Date; days?: number }): Promise<Certificates> {
  const devCerts = await import("office-addin-dev-certs");
  const dir = opts.dir;
  const ca = join(dir, "ca.crt");
  const cert = join(dir, "localhost.crt");
  const key = join(dir, "localhost.key");
  let created = false;
  if (!usable(cert, key, opts.host, opts.now ?? new Date()) || !existsSync(ca)) {
    mkdirSync(dir, { recursive: true });
    const domains = [...new Set(["127.0.0.1", "localhost", opts.host])];
    await devCerts.generateCertificates(ca, cert, key, opts.days ?? 30, domains);
    created = true;
  }
  let trusted: boolean | null = null;
  let trustError: string | null = null;
  if (opts.trust) {
    try {
      // Windows asks the user to confirm; macOS asks for the login password; Linux needs sudo
      if (created || !devCerts.isCaCertificateInstalled()) await devCerts.installCaCertificate(ca, false);
      trusted = devCerts.isCaCertificateInstalled();
    } catch (e) {
      trusted = false;
      trustError = (e as Error).message.split("\n")[0];
    }
  }
  return { dir, ca, cert, key, created, trusted, trustError };
}

/** manifest.xml with its origin replaced by the one served; the rest (Id, Version) as it is. */
export function manifestFor(origin: string, source = readFileSync(join(ROOT, "manifest.xml"), "utf8")): string {
  return source.split(MANIFEST_ORIGIN).join(origin);
}

/** What the officer does by hand to trust the CA, on each system. */
export function trustSteps(ca: string): string[] {
  return [
    `Windows:  certutil -user -addstore root "${ca}"   (or double-click ca.crt → Install Certificate → Current User → Trusted Root Certification Authorities)`,
    `macOS:    security add-trusted-cert -d -r trustRoot -k ~/Library/Keychains/login.keychain-db "${ca}"`,
    `Linux:    sudo cp "${ca}" /usr/local/share/ca-certificates/office-addin-dev-certs-ca.crt && sudo update-ca-certificates`,
    `          Chrome/Chromium also: certutil -d sql:$HOME/.pki/nssdb -A -t "C,," -n "Office Add-ins dev CA" -i "${ca}"`,
    `          Firefox: Settings → Privacy & Security → Certificates → View Certificates → Authorities → Import ca.crt`,
  ];
}

export function excelSteps(origin: string, manifest: string): string[] {
  const folder = dirname(manifest);
  return [
    "Excel on the web (Microsoft 365), in a browser on this computer:",
    `  1. Open ${origin}/index.html once: it must open without a certificate warning (else trust the CA, above).`,
    "  2. Open a workbook (e.g. sample/template.xlsx uploaded to OneDrive) → Home → Add-ins → More Add-ins",
    "     (or Advanced…) → My Add-ins → Upload My Add-in →",
    `     ${manifest}`,
    "     → Upload. The button “Điền phụ lục” appears on the Home tab.",
    "Excel on Windows (desktop, same computer):",
    `  1. Share the folder ${folder} (Properties → Sharing → Share…) and note its network path, e.g. \\\\<this-pc>\\addin.`,
    "  2. File → Options → Trust Center → Trust Center Settings… → Trusted Add-in Catalogs → paste the network path",
    "     into Catalog Url → Add catalog → tick Show in Menu → OK; restart Excel.",
    "  3. Home → Add-ins → More Add-ins (or Advanced…) → SHARED FOLDER → phuluc → Add.",
    "Excel on Mac (same computer):",
    `  1. mkdir -p ~/Library/Containers/com.microsoft.Excel/Data/Documents/wef && cp "${manifest}" ~/Library/Containers/com.microsoft.Excel/Data/Documents/wef/`,
    "  2. Restart Excel, open a workbook → Home → Add-ins → Developer Add-ins → phuluc.",
    "In the pane: paste the API key (printed above when it was made, else in the key file named above) and press",
    "Kết nối (Connect); the plan year is the latest the warehouse has figures for.",
  ];
}

/** A warehouse to serve: --db, else the sample's (loaded from sample/inbox the first time). */
async function warehouse(db: string | undefined, outDir: string, say: (s: string) => void): Promise<string> {
  if (db) {
    say(`4. Warehouse: ${resolve(db)}`);
    return resolve(db);
  }
  const sample = join(outDir, "phuluc.duckdb");
  if (existsSync(sample)) {
    say(`4. Warehouse: ${sample} (the sample, loaded before; --db <file> for yours)`);
    return sample;
  }
  say(`4. Warehouse: loading the sample (sample/inbox) into ${sample} (--db <file> for yours)`);
  const { loadConfig } = await import("../core/config.js");
  const { runLoad, appendRunLog } = await import("../etl/commands.js");
  const report = await runLoad({ inbox: join(ROOT, "sample", "inbox"), db: sample, config: loadConfig(join(ROOT, "sample", "phuluc.config.json")), quiet: true });
  appendRunLog(sample, report);
  if (report.outcome === "rejected") throw new Error("the sample inbox was rejected");
  return sample;
}

export async function startAddin(opts: AddinOptions, say: (s: string) => void = console.log, env: NodeJS.ProcessEnv = process.env) {
  const outDir = resolve(opts.outDir ?? join(ROOT, "out", "addin"));
  mkdirSync(outDir, { recursive: true });
  const displayHost = opts.host.includes(":") ? `[${opts.host}]` : opts.host;
  const origin = `https://${displayHost}:${opts.port}`;

  say("phuluc add-in: the task pane in Excel, served over https on this computer\n");
  const certs = await ensureCertificates({ dir: opts.certDir ?? certDirOf(env), host: opts.host, trust: opts.trust });
  say(`1. Certificate (office-addin-dev-certs) ${certs.created ? "made" : "reused"} in ${certs.dir}: ca.crt, localhost.crt, localhost.key`);
  if (certs.trusted) say("   The system trusts its CA: Excel and the browsers accept https://localhost.");
  else {
    say(
      certs.trusted === false
        ? `   The CA could not be trusted from here (${certs.trustError ?? "not in the trust store"}). Trust it by hand, once, on the computer that runs Excel:`
        : "   Not asked to trust the CA (--no-trust). Trust it by hand, once, on the computer that runs Excel:",
    );
    for (const s of trustSteps(certs.ca)) say(`     ${s}`);
  }

  const pane = await buildPane({ outDir: join(outDir, "pane"), officeJs: "cdn" });
  say(`2. Pane built in ${pane.outDir} (office.js from Office's CDN, as Excel requires)`);

  const manifest = join(outDir, "manifest.xml");
  writeFileSync(manifest, manifestFor(origin));
  say(`3. Manifest for ${origin}: ${manifest}${origin === MANIFEST_ORIGIN ? " (the same as manifest.xml)" : " (manifest.xml with its URLs moved to this origin)"}`);

  const db = await warehouse(opts.db, outDir, say);
  const { startServer } = await import("../api/serve-command.js");
  say(`5. Server: the API and the pane over https (Ctrl+C to stop)`);
  const running = await startServer({ db, host: opts.host, port: opts.port, cert: certs.cert, key: certs.key, paneDir: pane.outDir }, env, (s) => say(`   ${s}`));
  say(`   Pane: ${origin}/index.html  ·  preview outside Excel: ${origin}/index.html?preview`);
  say("\n6. Into Excel:");
  for (const s of excelSteps(origin, manifest)) say(`   ${s}`);
  return { running, origin, manifest, certs, paneDir: pane.outDir, db };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const program = new Command("npm run addin --")
    .description("the task pane in Excel: certificate, pane, manifest, https server, steps")
    .option("--db <file>", "the warehouse to serve (default: the sample, built on first use)")
    .addOption(new Option("--port <n>", "https port").default(process.env.PORT ?? "3000").argParser((v) => {
      if (!/^\d+$/.test(v) || Number(v) > 65535) throw new Error(`--port must be a port number, got "${v}"`);
      return v;
    }))
    .option("--host <name>", "host name the manifest and the certificate use", "localhost")
    .option("--no-trust", "do not ask the system to trust the certificate's CA")
    .parse();
  const o = program.opts<{ db?: string; port: string; host: string; trust: boolean }>();
  try {
    const { running } = await startAddin({ db: o.db, port: Number(o.port), host: o.host, trust: o.trust });
    await new Promise<void>((ok) => {
      process.once("SIGINT", () => ok());
      process.once("SIGTERM", () => ok());
    });
    await running.close();
  } catch (e) {
    console.error(`phuluc add-in: ${(e as Error).message}`);
    process.exitCode = 1;
  }
}
