// `npm run build` (and `prepare`, so `npm ci` / `npm install` on a fresh clone runs it): compiles
// the program to JavaScript in dist/ so that the `phuluc` bin (dist/cli/main.js) runs on plain
// Node — no TypeScript compiler at run time, and a signal sent to the process reaches the program
// itself (no tsx wrapper process between). Also builds the task pane into dist/pane, which `serve`
// gives Excel, so that no separate step is needed.
//
// Each .ts file becomes one .js file at the same place under dist/ (no bundling): modules find
// their SQL, forms and migrations next to themselves (import.meta.url), so those are copied too.
// Type checking stays `npm run typecheck`; esbuild only strips the types.
//
//   node scripts/build.mjs            everything
//   node scripts/build.mjs --if-stale only when a source is newer than dist/ (prestart/pretest)
import { execFileSync } from "node:child_process";
import { chmodSync, copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const DIST = join(ROOT, "dist");
/** The folders the program runs from (tests, bench and the sample are not shipped). */
export const SOURCE_DIRS = ["cli", "core", "xlsx", "etl", "warehouse", "queries", "fill", "api", "addin"];
/** Files of scripts/ that the program imports at run time (none: the pane build lives in addin/). */
const SCRIPT_FILES = [];
const STAMP = join(DIST, ".built");

function walk(dir, out = []) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) walk(p, out);
    else out.push(p);
  }
  return out;
}

function sources() {
  const files = SOURCE_DIRS.flatMap((d) => walk(join(ROOT, d))).filter((f) => !f.endsWith(".test.ts"));
  return [...files, ...SCRIPT_FILES.map((f) => join(ROOT, f))];
}

/** Is dist/ missing or older than a source file (or package.json)? */
export function isStale() {
  if (!existsSync(STAMP)) return true;
  const built = statSync(STAMP).mtimeMs;
  return [...sources(), join(ROOT, "package.json")].some((f) => statSync(f).mtimeMs > built);
}

export async function build() {
  const { build: esbuild } = await import("esbuild");
  rmSync(DIST, { recursive: true, force: true });
  const all = sources();
  const ts = all.filter((f) => f.endsWith(".ts") && !f.endsWith(".d.ts"));
  await esbuild({
    entryPoints: ts,
    outdir: DIST,
    outbase: ROOT,
    bundle: false,
    format: "esm",
    platform: "node",
    target: "node20",
    sourcemap: "linked",
    logLevel: "warning",
  });
  // What the modules read beside themselves: SQL, forms, migrations, pane pages, icons.
  for (const f of all.filter((f) => !f.endsWith(".ts"))) {
    const to = join(DIST, relative(ROOT, f));
    mkdirSync(dirname(to), { recursive: true });
    copyFileSync(f, to);
  }
  // The bin: a shebang line, and executable.
  const main = join(DIST, "cli", "main.js");
  writeFileSync(main, "#!/usr/bin/env node\n" + readFileSync(main, "utf8"));
  chmodSync(main, 0o755);
  // The task pane for `serve` (office.js from Office's CDN, as Microsoft documents for Excel).
  execFileSync(process.execPath, ["--import", "tsx", join(ROOT, "addin", "build.ts"), "--out", join(DIST, "pane")], {
    cwd: ROOT,
    stdio: ["ignore", "ignore", "inherit"],
  });
  writeFileSync(STAMP, new Date().toISOString() + "\n");
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const ifStale = process.argv.includes("--if-stale");
  if (ifStale && !isStale()) process.exit(0);
  build().then(
    () => console.error(`phuluc: built ${relative(process.cwd(), DIST) || "."}/ (the phuluc command and the task pane)`),
    (e) => {
      console.error(`phuluc: build failed: ${e?.message ?? e}`);
      process.exit(1);
    },
  );
}
