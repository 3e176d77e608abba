// The configuration, validated with zod so that a wrong file says what to fix.
// Looked up in this order: PHULUC_CONFIG, ./phuluc.config.json. There is no default province: a
// load into the wrong province is worse than a refusal, so without a file the commands that load
// refuse and say how to make one (`phuluc init`).
import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
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

export const CONFIG_FILE = "phuluc.config.json";

/** No configuration file where one was looked for. */
export class ConfigMissingError extends Error {
  override name = "ConfigMissingError";
  constructor(readonly path: string) {
    super(
      `no configuration ${path}: run \`phuluc init\` here (or set PHULUC_CONFIG) / ` +
        `chưa có tệp cấu hình ${path}: chạy \`phuluc init\` tại thư mục này (hoặc đặt PHULUC_CONFIG)`,
    );
  }
}

/** The configuration file the commands use: PHULUC_CONFIG, else ./phuluc.config.json (absolute). */
export function configPath(): string {
  return resolve(process.env.PHULUC_CONFIG || CONFIG_FILE);
}

export function loadConfig(path = configPath()): Config {
  if (!existsSync(path)) throw new ConfigMissingError(path);
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
