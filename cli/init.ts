// `phuluc init`: writes phuluc.config.json for one of today's 34 provincial units (core/units.ts over
// core/admin/units.json), so that no load ever guesses its province. `--province <code or name>`,
// or a question on a terminal. A former province is not offered: its department is now the merged
// unit's (80 is Tây Ninh since 1 July 2025; Long An's files go in the "80 Long An" folder of its inbox).
import { existsSync, writeFileSync } from "node:fs";
import { createInterface } from "node:readline/promises";
import { configPath, ConfigSchema } from "../core/config.js";
import { allUnits, currentUnitOf, currentUnits } from "../core/units.js";
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

/** A provincial unit as the configuration names it. */
export interface Province {
  /** the statistical code, two digits ("80") */
  code: string;
  name: string;
}

/** Today's provincial units, in code order. */
export const listProvinces = (): Province[] => currentUnits().map((u) => ({ code: u.code, name: u.name }));

/** A province by its code ("80", "8" too) or its name, diacritics and case aside ("tây ninh"). */
export function findProvince<P extends Province = Province>(given: string, list: P[] = listProvinces() as P[]): P | undefined {
  const g = given.trim();
  if (/^\d{1,2}$/.test(g)) return list.find((p) => p.code === g.padStart(2, "0"));
  const f = fold(g).replace(/^(tinh|thanh pho|tp\.?) /, "");
  return list.find((p) => fold(p.name).replace(/^tp\. /, "") === f) ?? list.find((p) => p.code === g);
}

/**
 * A former province (before 1 July 2025), by its code or name, and the unit that took it in:
 * "long an" → Long An, now Tây Ninh (80). Its department is the merged unit's now.
 */
export function findFormer(given: string): { former: Province; current: Province } | undefined {
  const former = allUnits().filter((u) => u.valid_to !== null);
  const hit = findProvince(given, former);
  const now = hit && currentUnitOf(hit.id);
  return hit && now ? { former: { code: hit.code, name: hit.name }, current: { code: now.code, name: now.name } } : undefined;
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
  let province = findProvince(given, list);
  if (!province) {
    const merged = findFormer(given);
    if (merged) {
      province = merged.current;
      say(
        `phuluc: ${merged.former.name} (${merged.former.code}) is part of ${province.name} (${province.code}) since 1 July 2025; its files go in the inbox folder "${merged.former.code} ${merged.former.name}" / ${merged.former.name} đã hợp nhất vào ${province.name}`,
      );
    }
  }
  if (!province) throw new UsageError(`no province "${given}" in the built-in list (\`phuluc init --list\`) / không có tỉnh "${given}"`);
  // Through the schema, so that init never writes a file the loads would refuse.
  const config = ConfigSchema.parse({ province });
  writeFileSync(path, JSON.stringify({ province: config.province }, null, 2) + "\n", { flag: o.force ? "w" : "wx" });
  say(`phuluc: wrote ${path} — province ${province.name} (${province.code}) / đã ghi cấu hình cho ${province.name}`);
  say("phuluc: the other settings keep their defaults (README.md, Configuration)");
  return EXIT.ok;
}
