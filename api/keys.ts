// The API key. PHULUC_API_KEY wins; otherwise a key is generated on first start into
// $PHULUC_HOME/api-key (default ~/.config/phuluc/api-key), mode 0600, and printed once.
// The server re-reads the file when it changes, so `phuluc key rotate` takes effect at once.
// A key must be strong (keyWeakness): a weak PHULUC_API_KEY is refused, a weak key in the file
// replaced by a generated one (the file is for generated keys). A key file others may read
// (mode looser than 0600) is refused, not fixed: the key may already have been read, and only
// its owner can tell; the message says to chmod it and rotate the key.
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

/** A key the server will not use: the message says why and what to do, in both languages. */
export class KeyRefused extends Error {
  override name = "KeyRefused";
}

export const MIN_KEY_LENGTH = 32;
/** bits, estimated from the key's own character frequencies (a random hex key of 32 has ~118) */
export const MIN_KEY_BITS = 96;

/**
 * Why a key is too weak, or null. At least 32 characters, at least 8 different ones, not one
 * short piece repeated, and about 96 bits by its characters' frequencies (Shannon entropy per
 * character × length): "k" × 40, "abcd" × 8 and "passwordpassword…" fail; `newKey()`, 32 random
 * hex digits and a long passphrase pass.
 */
export function keyWeakness(key: string): string | null {
  const chars = [...key];
  if (chars.length < MIN_KEY_LENGTH) return `${chars.length} characters, at least ${MIN_KEY_LENGTH} needed`;
  const counts = new Map<string, number>();
  for (const c of chars) counts.set(c, (counts.get(c) ?? 0) + 1);
  if (counts.size < 8) return `only ${counts.size} different characters`;
  // periodic: every character the same as the one n before it ("abcabcab…")
  for (let n = 1; n <= chars.length / 2; n++) {
    let periodic = true;
    for (let i = n; i < chars.length && periodic; i++) periodic = chars[i] === chars[i - n];
    if (periodic) return `one piece of ${n} characters repeated`;
  }
  let perChar = 0;
  for (const k of counts.values()) {
    const p = k / chars.length;
    perChar -= p * Math.log2(p);
  }
  const bits = Math.floor(perChar * chars.length);
  if (bits < MIN_KEY_BITS) return `about ${bits} bits of entropy, at least ${MIN_KEY_BITS} needed`;
  return null;
}

/** Refuse a key file that others may read or write (mode looser than 0600). */
export function checkKeyFileMode(path: string): void {
  const mode = statSync(path).mode & 0o777;
  if ((mode & 0o077) !== 0) {
    const m = mode.toString(8).padStart(4, "0");
    throw new KeyRefused(
      `tệp khóa API ${path} có quyền ${m}, người khác đọc được: hãy chạy \`chmod 600 ${path}\` rồi \`phuluc key rotate\` / ` +
        `the API key file ${path} has mode ${m}, readable by others: run \`chmod 600 ${path}\`, then \`phuluc key rotate\` in case it was read`,
    );
  }
}

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
  if (fromEnv) {
    const weak = keyWeakness(fromEnv);
    if (weak) {
      throw new KeyRefused(
        `PHULUC_API_KEY quá yếu (${weak}): hãy dùng ít nhất ${MIN_KEY_LENGTH} ký tự ngẫu nhiên, ví dụ \`openssl rand -base64 32\`, hoặc bỏ biến này để phuluc tự tạo khóa / ` +
          `PHULUC_API_KEY is too weak (${weak}): use at least ${MIN_KEY_LENGTH} random characters, e.g. \`openssl rand -base64 32\`, or unset it and let phuluc generate a key`,
      );
    }
    return { key: fromEnv, source: "env", path: null, created: false };
  }
  const path = keyFilePath(env);
  if (existsSync(path)) {
    checkKeyFileMode(path);
    const key = readFileSync(path, "utf8").trim();
    if (!keyWeakness(key)) return { key, source: "file", path, created: false };
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
      const s = `${st.ino}:${st.mtimeMs}:${st.size}:${st.mode}`;
      if (s !== stamp) {
        // A file made readable by others, or given a weak key by hand, stops every key (fail closed).
        const k = (st.mode & 0o077) === 0 ? readFileSync(path, "utf8").trim() : "";
        key = keyWeakness(k) ? "" : k;
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
