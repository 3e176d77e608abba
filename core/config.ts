// The configuration, validated with zod so that a wrong file says what to fix.
// Looked up in this order: PHULUC_CONFIG, ./phuluc.config.json. There is no default province: a
// load into the wrong province is worse than a refusal, so without a file the commands that load
// refuse and say how to make one (`phuluc init`).
import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { z } from "zod";

/** Defaults of the zip limits: the ETL's reader and the fill's package (xlsx/package.ts) alike. */
export const ZIP_LIMIT_DEFAULTS = {
  maxFileBytes: 50 * 1024 * 1024,
  /** a decompression bomb stops here */
  maxInflatedBytes: 512 * 1024 * 1024,
};

/** Defaults of the reader's limits that older configurations do not name. */
export const LIMIT_DEFAULTS = {
  maxCellsPerSheet: 2_000_000,
  maxTextChars: 32_767,
  maxSharedStrings: 2_000_000,
  maxStyles: 65_000,
  maxMergesPerSheet: 100_000,
  maxSheets: 1_000,
  maxDepth: 64,
  maxMarkupChars: 1024 * 1024,
  maxProblemsPerFile: 1_000,
  readHeapMb: 768,
  readTimeoutMs: 120_000,
};

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
  /**
   * Limits on xlsx input (decompression bombs, absurd sheets, hostile files). Each protects the
   * reader's memory or time; what passes one is refused as a located problem, never a crash.
   */
  limits: z
    .object({
      maxFileBytes: z.number().int().positive().default(ZIP_LIMIT_DEFAULTS.maxFileBytes),
      /** inflated bytes of ALL the parts of one file together (sheets read twice count twice) */
      maxInflatedBytes: z.number().int().positive().default(ZIP_LIMIT_DEFAULTS.maxInflatedBytes),
      maxColumns: z.number().int().positive().default(500),
      maxRows: z.number().int().positive().default(200_000),
      /** cells of one sheet, empty ones included (each costs memory until the sheet is parsed) */
      maxCellsPerSheet: z.number().int().positive().default(LIMIT_DEFAULTS.maxCellsPerSheet),
      /** characters of one text: Excel's own limit for a cell is 32 767 */
      maxTextChars: z.number().int().positive().default(LIMIT_DEFAULTS.maxTextChars),
      maxSharedStrings: z.number().int().positive().default(LIMIT_DEFAULTS.maxSharedStrings),
      /** entries of each style table (number formats, fonts, cell formats): Excel's own is 64 000 */
      maxStyles: z.number().int().positive().default(LIMIT_DEFAULTS.maxStyles),
      maxMergesPerSheet: z.number().int().positive().default(LIMIT_DEFAULTS.maxMergesPerSheet),
      maxSheets: z.number().int().positive().default(LIMIT_DEFAULTS.maxSheets),
      /** XML nesting depth of the workbook's small parts */
      maxDepth: z.number().int().positive().default(LIMIT_DEFAULTS.maxDepth),
      /** characters of one unfinished piece of markup (a tag, a comment) */
      maxMarkupChars: z.number().int().positive().default(LIMIT_DEFAULTS.maxMarkupChars),
      /** problems kept per file; the rest are counted ("… and N more") */
      maxProblemsPerFile: z.number().int().positive().default(LIMIT_DEFAULTS.maxProblemsPerFile),
      /** heap of the worker that reads one file (MB): past it the file is refused, the service lives */
      readHeapMb: z.number().int().positive().default(LIMIT_DEFAULTS.readHeapMb),
      /** time one file may take to read (ms): past it the file is refused */
      readTimeoutMs: z.number().int().positive().default(LIMIT_DEFAULTS.readTimeoutMs),
    })
    .default({ ...ZIP_LIMIT_DEFAULTS, maxColumns: 500, maxRows: 200_000, ...LIMIT_DEFAULTS }),
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
