import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ensureKey, fileKeyCheck, keyCheckFor, keyFilePath, rotateKey, staticKeyCheck } from "../../api/keys.js";

const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), "phuluc-keys-"));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe("API key", () => {
  it("lives in $PHULUC_HOME/api-key, else ~/.config/phuluc/api-key", () => {
    expect(keyFilePath({ PHULUC_HOME: "/x/y" })).toBe("/x/y/api-key");
    expect(keyFilePath({ HOME: "/home/a" })).toBe("/home/a/.config/phuluc/api-key");
  });

  it("is generated once into a 0600 file, then reused", () => {
    const home = tmp();
    const env = { HOME: home };
    const a = ensureKey(env);
    expect(a).toMatchObject({ source: "file", created: true, path: join(home, ".config", "phuluc", "api-key") });
    expect(statSync(a.path!).mode & 0o777).toBe(0o600);
    expect(statSync(join(home, ".config", "phuluc")).mode & 0o777).toBe(0o700);
    expect(readFileSync(a.path!, "utf8").trim()).toBe(a.key);
    const b = ensureKey(env);
    expect(b).toMatchObject({ key: a.key, created: false });
  });

  it("takes PHULUC_API_KEY first and writes no file", () => {
    const home = tmp();
    const k = ensureKey({ PHULUC_HOME: home, PHULUC_API_KEY: " from-env-0123456789-abcdefghijklmnop " });
    expect(k).toEqual({ key: "from-env-0123456789-abcdefghijklmnop", source: "env", path: null, created: false });
    const check = keyCheckFor(k);
    expect(check("from-env-0123456789-abcdefghijklmnop")).toBe(true);
    expect(check("from-env-012345678")).toBe(false);
  });

  it("replaces a too short or empty key file", () => {
    const home = tmp();
    writeFileSync(join(home, "api-key"), "short\n", { mode: 0o600 });
    const k = ensureKey({ PHULUC_HOME: home });
    expect(k.created).toBe(true);
    expect(k.key.length).toBeGreaterThanOrEqual(40);
  });

  it("rotates: the file check follows the file", () => {
    const home = tmp();
    const env = { PHULUC_HOME: home };
    const first = ensureKey(env);
    const check = fileKeyCheck(first.path!);
    expect(check(first.key)).toBe(true);
    const { key } = rotateKey(env);
    expect(statSync(first.path!).mode & 0o777).toBe(0o600);
    expect(check(first.key)).toBe(false);
    expect(check(key)).toBe(true);
    rmSync(first.path!);
    expect(check(key)).toBe(false);
  });

  it("never accepts an empty key", () => {
    expect(staticKeyCheck("")("")).toBe(false);
  });
});
