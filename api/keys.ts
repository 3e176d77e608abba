// The API key. PHULUC_API_KEY wins; otherwise a key is generated on first start into
// $PHULUC_HOME/api-key (default ~/.config/phuluc/api-key), mode 0600, and printed once.
// The server re-reads the file when it changes, so `phuluc key rotate` takes effect at once.
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join } from "node:path";

export type Env = Record<string, string | undefined>;

export function keyFilePath(env: Env = process.env): string {
  const home = env.PHULUC_HOME;
  return home ? join(home, "api-key") : join(env.HOME || homedir(), ".config", "phuluc", "api-key");
}

export const newKey = (): string => randomBytes(32).toString("base64url");

function writeKeyFile(path: string, key: string): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, key + "\n", { mode: 0o600, flag: "w" });
  chmodSync(tmp, 0o600); // whatever the umask
  renameSync(tmp, path);
}

export interface KeyInfo {
  key: string;
  source: "env" | "file";
  /** the file, when the key lives in one */
  path: string | null;
  /** generated just now (print it once) */
  created: boolean;
}

/** The key the server uses, creating the file on first start. */
export function ensureKey(env: Env = process.env): KeyInfo {
  const fromEnv = env.PHULUC_API_KEY?.trim();
  if (fromEnv) return { key: fromEnv, source: "env", path: null, created: false };
  const path = keyFilePath(env);
  if (existsSync(path)) {
    const key = readFileSync(path, "utf8").trim();
    if (key.length >= 16) return { key, source: "file", path, created: false };
  }
  const key = newKey();
  writeKeyFile(path, key);
  return { key, source: "file", path, created: true };
}

/** Replace the key file's key; the old key stops working (a running server re-reads the file). */
export function rotateKey(env: Env = process.env): { key: string; path: string } {
  const path = keyFilePath(env);
  const key = newKey();
  writeKeyFile(path, key);
  return { key, path };
}

const digest = (s: string): Buffer => createHash("sha256").update(s, "utf8").digest();

/** Constant-time comparison (of digests, so lengths do not leak either). */
export function sameKey(a: string, b: string): boolean {
  return timingSafeEqual(digest(a), digest(b));
}

export type KeyCheck = (presented: string) => boolean;

export const staticKeyCheck = (key: string): KeyCheck => (presented) => key.length > 0 && sameKey(presented, key);

/** A check that follows the key file (re-read when its mtime or size changes). */
export function fileKeyCheck(path: string): KeyCheck {
  let stamp = "";
  let key = "";
  return (presented) => {
    try {
      const st = statSync(path);
      const s = `${st.ino}:${st.mtimeMs}:${st.size}`;
      if (s !== stamp) {
        key = readFileSync(path, "utf8").trim();
        stamp = s;
      }
    } catch {
      key = "";
      stamp = "";
    }
    return key.length > 0 && sameKey(presented, key);
  };
}

/** The check for what ensureKey found. */
export const keyCheckFor = (info: KeyInfo): KeyCheck => (info.source === "file" && info.path ? fileKeyCheck(info.path) : staticKeyCheck(info.key));
