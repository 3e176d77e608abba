// The configuration, validated with zod so that a wrong file says what to fix.
// Looked up in this order: PHULUC_CONFIG, ./phuluc.config.json, the defaults below.
import { existsSync, readFileSync } from "node:fs";
import { z } from "zod";

export const ConfigSchema = z.object({
  province: z
    .object({
      code: z.string().regex(/^[0-9A-Z]{1,8}$/, "province.code: 1–8 digits or capital letters (e.g. \"80\")"),
      name: z.string().min(1),
    })
    .default({ code: "80", name: "Long An" }),
  /** How long superseded warehouse generations are kept (they are what --as-of reads). */
  keepGenerationsDays: z.number().int().min(0).default(90),
  /** Keep at least this many generations whatever their age. */
  keepGenerationsMin: z.number().int().min(1).default(10),
  /** Limits on xlsx input (decompression bombs, absurd sheets). */
  limits: z
    .object({
      maxFileBytes: z.number().int().positive().default(50 * 1024 * 1024),
      maxInflatedBytes: z.number().int().positive().default(512 * 1024 * 1024),
      maxColumns: z.number().int().positive().default(500),
      maxRows: z.number().int().positive().default(200_000),
    })
    .default({ maxFileBytes: 50 * 1024 * 1024, maxInflatedBytes: 512 * 1024 * 1024, maxColumns: 500, maxRows: 200_000 }),
});

export type Config = z.infer<typeof ConfigSchema>;

export function loadConfig(path = process.env.PHULUC_CONFIG ?? "phuluc.config.json"): Config {
  if (!existsSync(path)) return ConfigSchema.parse({});
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, "utf8"));
  } catch (e) {
    throw new Error(`${path}: not valid JSON / JSON không hợp lệ: ${(e as Error).message}`);
  }
  const r = ConfigSchema.safeParse(raw);
  if (!r.success) {
    throw new Error(
      `${path}: ` + r.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; "),
    );
  }
  return r.data;
}
