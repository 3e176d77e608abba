// Builds the task pane into out/pane/ (what `serve` gives Excel): pane.js bundled by esbuild from
// addin/pane/pane.ts (the engine, the Office.js back end and Fluent UI web components inside),
// index.html, commands.html, pane.css, the icons, and office.js from @microsoft/office-js/dist.
//
//   npm run build:pane                        office.js from Office's CDN (production, as Microsoft documents)
//   npm run build:pane -- --office-js local   the npm package's copy (offline preview, tests)
//   npm run build:pane -- --out <dir>
import { copyFileSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(import.meta.url);
export const OFFICE_JS_CDN_URL = "https://appsforoffice.microsoft.com/lib/1/hosted/office.js";

export interface BuildPaneOptions {
  outDir?: string;
  /** "cdn" (default) or "local" (the copy next to index.html) */
  officeJs?: "cdn" | "local";
  minify?: boolean;
}

export async function buildPane(opts: BuildPaneOptions = {}): Promise<{ outDir: string; bytes: number }> {
  const outDir = resolve(opts.outDir ?? join(ROOT, "out", "pane"));
  const src = join(ROOT, "addin", "pane");
  mkdirSync(join(outDir, "assets"), { recursive: true });
  const result = await build({
    entryPoints: [join(src, "pane.ts")],
    bundle: true,
    format: "esm",
    platform: "browser",
    target: ["es2020", "chrome100", "safari15", "edge100"],
    outfile: join(outDir, "pane.js"),
    minify: opts.minify ?? true,
    sourcemap: true,
    legalComments: "linked",
    metafile: true,
    logLevel: "warning",
    // The engine is pure; nothing node-only may reach the pane.
    external: [],
  });
  const officeTag =
    (opts.officeJs ?? "cdn") === "local"
      ? '<script src="office.js"></script>'
      : `<script src="${OFFICE_JS_CDN_URL}"></script>`;
  for (const page of ["index.html", "commands.html"]) {
    writeFileSync(join(outDir, page), readFileSync(join(src, page), "utf8").replace("<!--OFFICE_JS-->", officeTag));
  }
  copyFileSync(join(src, "pane.css"), join(outDir, "pane.css"));
  for (const f of readdirSync(join(ROOT, "addin", "assets")).filter((n) => n.endsWith(".png"))) {
    copyFileSync(join(ROOT, "addin", "assets", f), join(outDir, "assets", f));
  }
  // Always ship the loader and the table it reads first (a page outside Office loads nothing
  // else): a preview opened offline uses them whatever the tag says. Inside Excel the host's own
  // files come from the CDN (the 87 MB dist is not copied).
  const dist = join(dirname(require.resolve("@microsoft/office-js/package.json")), "dist");
  for (const f of ["office.js", "o15apptofilemappingtable.js"]) copyFileSync(join(dist, f), join(outDir, f));
  const bytes = Object.values(result.metafile.outputs).reduce((n, o) => n + o.bytes, 0);
  return { outDir, bytes };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const arg = (name: string) => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const officeJs = arg("--office-js") ?? "cdn";
  if (officeJs !== "cdn" && officeJs !== "local") {
    console.error("--office-js must be cdn or local");
    process.exit(2);
  }
  buildPane({ outDir: arg("--out"), officeJs }).then(
    (r) => console.log(`pane built in ${r.outDir} (${Math.round(r.bytes / 1024)} KB of js/css/maps; office.js: ${officeJs})`),
    (e: unknown) => {
      console.error(e);
      process.exit(1);
    },
  );
}
