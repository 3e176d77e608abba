// Administrative units and levels of management as dated data (core/admin/*.json, each record
// with the official text it comes from). Codes are reused with a new meaning after the 2025
// reorganisation (80 was Long An until 30 June 2025, the merged Tây Ninh from 1 July 2025), so a
// code is only ever read together with a date; a unit's id ("80@2008", "80@2025") never is.
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import { fold } from "./text.js";

const ADMIN_DIR = join(dirname(fileURLToPath(import.meta.url)), "admin");
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const Source = z.object({ id: z.string(), title: z.string(), date: day, in_force: day, note: z.string().optional() });

const UnitsFile = z.object({
  sources: z.array(Source).min(1),
  units: z.array(
    z.object({
      id: z.string(),
      code: z.string().regex(/^\d{2}$/),
      name: z.string(),
      kind: z.enum(["tỉnh", "thành phố"]),
      valid_from: day,
      valid_to: day.nullable(),
      source: z.string(),
      seat: z.string().optional(),
    }),
  ),
  succession: z.array(z.object({ from: z.string(), to: z.string(), date: day, source: z.string() })),
});

const LevelsFile = z.object({
  sources: z.array(Source),
  levels: z.array(
    z.object({ code: z.string(), name_vi: z.string(), valid_from: day.nullable(), valid_to: day.nullable(), source: z.string().optional() }),
  ),
});

export type AdminUnit = z.infer<typeof UnitsFile>["units"][number];
export type LevelDef = z.infer<typeof LevelsFile>["levels"][number];

const read = <T>(schema: z.ZodType<T>, name: string): T => schema.parse(JSON.parse(readFileSync(join(ADMIN_DIR, name), "utf8")));

let units: z.infer<typeof UnitsFile> | undefined;
let levels: z.infer<typeof LevelsFile> | undefined;
const unitsFile = () => (units ??= read(UnitsFile, "units.json"));
const levelsFile = () => (levels ??= read(LevelsFile, "levels.json"));

export const allUnits = (): readonly AdminUnit[] => unitsFile().units;
export const successions = () => unitsFile().succession;
export const levelDefs = (): readonly LevelDef[] => levelsFile().levels;

const inForce = (u: { valid_from: string | null; valid_to: string | null }, date: string): boolean =>
  (u.valid_from === null || u.valid_from <= date) && (u.valid_to === null || date <= u.valid_to);

export const unitById = (id: string): AdminUnit | undefined => allUnits().find((u) => u.id === id);

/** The unit a code meant on a day ("YYYY-MM-DD"). */
export const unitOn = (code: string, date: string): AdminUnit | undefined => allUnits().find((u) => u.code === code && inForce(u, date));

/**
 * The unit a code means for a year's figures: the one in force on 31 December of that year (the
 * unit that closes the year's accounts), so 2025 belongs to the 34 units.
 */
export const unitForYear = (code: string, year: number): AdminUnit | undefined => unitOn(code, `${year}-12-31`);

/** The units a year's figures belong to (63 up to 2024, 34 from 2025). */
export const unitsForYear = (year: number): AdminUnit[] => allUnits().filter((u) => inForce(u, `${year}-12-31`));

/** The provincial units of today (34 since 1 July 2025), in code order: what `phuluc init` offers. */
export const currentUnits = (): AdminUnit[] => allUnits().filter((u) => u.valid_to === null).sort((a, b) => a.code.localeCompare(b.code));

/** The unit that took a unit in (itself when it still exists). */
export function currentUnitOf(id: string): AdminUnit | undefined {
  let u = unitById(id);
  for (let guard = 0; u && u.valid_to !== null && guard < 10; guard++) {
    const s = successions().find((x) => x.from === u!.id);
    if (!s) return u;
    u = unitById(s.to);
  }
  return u;
}

/** The former units a unit took in (empty for a unit that took in none). */
export const predecessorsOf = (id: string): AdminUnit[] =>
  successions()
    .filter((s) => s.to === id)
    .map((s) => unitById(s.from)!)
    .filter(Boolean);

/**
 * The unit a configuration's province means: its code with the name that matches (Long An →
 * 80@2008, Tây Ninh → 80@2025; a name both carry → the current one); undefined when no unit has
 * that code and name (a test province).
 */
export function unitOfProvince(p: { code: string; name: string }): AdminUnit | undefined {
  const n = fold(p.name).replace(/^(tinh|thanh pho|tp\.?)\s+/, "");
  const hits = allUnits().filter((u) => u.code === p.code && fold(u.name).replace(/^tp\.?\s+/, "") === n.replace(/^tp\.?\s+/, ""));
  // a name both a former and a current unit carry (Tuyên Quang 08 before and after): today's unit,
  // the department that runs phuluc now
  return hits.find((u) => u.valid_to === null) ?? hits[0];
}

/**
 * The former unit an inbox folder is named after: "<code> <name>" of a unit that no longer exists
 * ("72 Tây Ninh", "80 Long An", "72-Tay Ninh"; diacritics and case do not matter). Both the code and
 * the name must match, so an office folder that happens to start with two digits is never taken
 * for one.
 */
export function formerUnitFolder(folder: string): AdminUnit | undefined {
  const m = /^(\d{2})[\s._-]+(.+)$/.exec(folder.trim());
  if (!m) return undefined;
  const name = fold(m[2]!).replace(/[\s._-]+/g, " ").replace(/\s*\(cu\)$/, "").replace(/^(tinh|thanh pho|tp) /, "");
  return allUnits().find(
    (u) => u.valid_to !== null && u.code === m[1] && fold(u.name).replace(/[\s.-]+/g, " ").replace(/^tp /, "") === name,
  );
}

/** The origin of an inbox file: the former unit its first folder names, or undefined (the province itself). */
export function originOfFile(fileId: string): AdminUnit | undefined {
  const i = fileId.indexOf("/");
  return i > 0 ? formerUnitFolder(fileId.slice(0, i)) : undefined;
}

/** The level's definition, or undefined for a code the data does not know. */
export const levelDef = (code: string): LevelDef | undefined => levelDefs().find((l) => l.code === code);

/** Whether a level may be given to a task that starts in `month` ("YYYY-MM"). */
export function levelInForce(code: string, month: string): boolean {
  const l = levelDef(code);
  if (!l) return true;
  return inForce(l, `${month}-01`);
}

/** Whether a level existed at some time in a year (PL05 shows a level's rows only for those years). */
export function levelExistedIn(code: string, year: number): boolean {
  const l = levelDef(code);
  if (!l) return true;
  return (l.valid_from === null || l.valid_from <= `${year}-12-31`) && (l.valid_to === null || `${year}-01-01` <= l.valid_to);
}

/** The title of the official text that ended (or dates) a level, for messages. */
export function levelSource(code: string): string {
  const id = levelDef(code)?.source;
  return (id && levelsFile().sources.find((x) => x.id === id)?.title) || "";
}
