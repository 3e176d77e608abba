// `phuluc init`: writes phuluc.config.json for a province of the built-in list, so that no load
// ever guesses its province. `--province <code or name>`, or a question on a terminal.
import { existsSync, writeFileSync } from "node:fs";
import { createInterface } from "node:readline/promises";
import { configPath, ConfigSchema } from "../core/config.js";
import { listProvinces, type Province } from "../core/provinces.js";
import { say, sayError } from "../core/terminal.js";
import { fold } from "../core/text.js";
import { EXIT, UsageError, type ExitCode } from "../core/exit.js";

export interface InitOptions {
  province?: string;
  force?: boolean;
  list?: boolean;
  /** where to write (default: PHULUC_CONFIG, else ./phuluc.config.json) */
  path?: string;
  /** answers a question on a terminal (tests give one) */
  ask?: (question: string) => Promise<string>;
}

/** A province by its code ("80", "8" too) or its name, diacritics and case aside ("long an"). */
export function findProvince(given: string, list: Province[] = listProvinces()): Province | undefined {
  const g = given.trim();
  if (/^\d{1,2}$/.test(g)) return list.find((p) => p.code === g.padStart(2, "0"));
  const f = fold(g).replace(/^(tinh|thanh pho|tp\.?) /, "");
  return list.find((p) => fold(p.name).replace(/^tp\. /, "") === f) ?? list.find((p) => p.code === g);
}

function printList(list: Province[]): void {
  const cells = list.map((p) => `${p.code} ${p.name}`);
  const w = Math.max(...cells.map((c) => c.length)) + 2;
  for (let i = 0; i < cells.length; i += 4) say("  " + cells.slice(i, i + 4).map((c) => c.padEnd(w)).join("").trimEnd());
}

async function askOnTerminal(question: string): Promise<string> {
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  try {
    return await rl.question(question);
  } finally {
    rl.close();
  }
}

export async function initCommand(o: InitOptions): Promise<ExitCode> {
  const list = listProvinces();
  if (o.list) {
    printList(list);
    return EXIT.ok;
  }
  const path = o.path ?? configPath();
  if (existsSync(path) && !o.force) {
    sayError(`phuluc: ${path} already exists; --force replaces it / tệp cấu hình đã có`);
    return EXIT.failed;
  }
  let given = o.province;
  if (given === undefined) {
    const ask = o.ask ?? (process.stdin.isTTY ? askOnTerminal : undefined);
    if (!ask) {
      throw new UsageError("which province? give --province <code> (`phuluc init --list` shows the codes) / chọn tỉnh bằng --province <mã>");
    }
    say("Tỉnh, thành phố / Province:");
    printList(list);
    given = await ask("Mã hoặc tên / code or name: ");
  }
  const province = findProvince(given, list);
  if (!province) throw new UsageError(`no province "${given}" in the built-in list (\`phuluc init --list\`) / không có tỉnh "${given}"`);
  // Through the schema, so that init never writes a file the loads would refuse.
  const config = ConfigSchema.parse({ province });
  writeFileSync(path, JSON.stringify({ province: config.province }, null, 2) + "\n", { flag: o.force ? "w" : "wx" });
  say(`phuluc: wrote ${path} — province ${province.name} (${province.code}) / đã ghi cấu hình cho ${province.name}`);
  say("phuluc: the other settings keep their defaults (README.md, Configuration)");
  return EXIT.ok;
}
