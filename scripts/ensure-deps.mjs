// prestart/pretest: install the npm dependencies when they are missing or older than the lock file,
// then compile dist/ (the `phuluc` command and the task pane) when it is missing or older than a
// source, so that a fresh clone needs nothing but `npm start` / `npm test`.
import { existsSync, statSync } from "node:fs";
import { execSync } from "node:child_process";

const marker = "node_modules/.package-lock.json";
const lock = "package-lock.json";
const stale = !existsSync(marker) || (existsSync(lock) && statSync(lock).mtimeMs > statSync(marker).mtimeMs + 1000);
if (stale) {
  console.log("phuluc: installing npm dependencies (npm ci)…");
  execSync(existsSync(lock) ? "npm ci --no-audit --no-fund" : "npm install --no-audit --no-fund", { stdio: "inherit" });
}
// `npm ci` ran `prepare` (the build); otherwise build only what changed since the last one.
const { build, isStale } = await import("./build.mjs");
if (isStale()) {
  console.log("phuluc: compiling dist/ (the phuluc command and the task pane)…");
  await build();
}
