// docs/reliability.md from the figures the reliability suite records (out/reliability/*.json, one
// per test file) and the killed-load test's own counts (test/warehouse/kill.test.ts, read as text).
// Only this script writes the page (`npm run docs:reliability`, after `npx vitest run
// test/reliability`): a test run records figures in out/ and leaves the tracked tree as it was.
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

type J = Record<string, any>;

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");

function readFigures(root: string): Record<string, J> {
  const dir = join(root, "out", "reliability");
  const out: Record<string, J> = {};
  if (!existsSync(dir)) return out;
  for (const f of readdirSync(dir).filter((x) => x.endsWith(".json")).sort()) {
    try {
      const j = JSON.parse(readFileSync(join(dir, f), "utf8")) as J;
      out[String(j.suite ?? f.replace(/\.json$/, ""))] = j;
    } catch {
      /* a file being written: the next regeneration reads it */
    }
  }
  return out;
}

/** Named kill points and seeded random kills of test/warehouse/kill.test.ts, counted from its text. */
export function countKills(root: string): { named: number; random: number } | null {
  const path = join(root, "test", "warehouse", "kill.test.ts");
  if (!existsSync(path)) return null;
  const src = readFileSync(path, "utf8");
  const points = /const points = \[([^\]]*)\]/.exec(src);
  const named = points ? (points[1].match(/"[^"]*"|'[^']*'/g) ?? []).length : 0;
  const runs = /fc\.sample\([^;]*numRuns:\s*(\d+)/.exec(src);
  return { named, random: runs ? Number(runs[1]) : 0 };
}

const n = (v: unknown): string => (typeof v === "number" ? v.toLocaleString("en-US").replace(/,/g, " ") : v === undefined || v === null ? "—" : String(v));

export function renderReport(figs: Record<string, J>, kills: { named: number; random: number } | null): string {
  const c = figs.corpus;
  const q = figs.concurrency;
  const s = figs.sandbox;
  const i = figs.injection;
  const z = figs.fuzz;
  const h = figs.hostile;
  const rows: string[][] = [];
  if (c) {
    rows.push([
      "Bad-workbook corpus (`corpus.test.ts`)",
      `${n(c.cases)} cases of \`test/fixtures/bad/\` through \`etl load\` (in-process, ${n(c.cliRuns)} also through the CLI) on a warehouse holding the sample: ${n(c.refusedCases)} to refuse, ${n(c.acceptedCases)} to accept`,
      `${n(c.problemsFoundAtPlace)} of ${n(c.expectedProblems)} expected problems found at their file/sheet/cell; ${n(c.problemsWithBothMessages)} of ${n(c.problemsReported)} problems with both messages (vi, en); warehouse unchanged where refused (${n(c.warehouseUnchangedChecks)} canonical dumps), changed exactly as expected where accepted (${n(c.warehouseChangedAsExpected)})`,
    ]);
  }
  if (kills) {
    rows.push([
      "Killed loads (`test/warehouse/kill.test.ts`, counted from the test)",
      `SIGKILL at ${kills.named} named points of a load and at ${kills.random} seeded random moments`,
      `${kills.named + kills.random} loads killed (that test's own assertions: the warehouse opens as before or as after each kill, and the next load finishes)`,
    ]);
  }
  if (q) {
    rows.push([
      "Concurrent readers (`concurrency.test.ts`)",
      `${n(q.clients)} clients reading appendices from the real server while \`etl load\` reloaded ${n(q.reloads)} times (two variants)`,
      `${n(q.requests)} requests served, ${n(q.failed)} failed, ${n(q.mismatched)} with figures not matching their generation and checksum; ${n(q.generationsSeen)} generations seen (variant A ${n(q.byVariant?.A)}, B ${n(q.byVariant?.B)} answers)`,
    ]);
  }
  if (s) {
    const codes = Object.entries((s.codes ?? {}) as Record<string, number>)
      .sort()
      .map(([k, v]) => `${k} ${v}`)
      .join(", ");
    rows.push([
      "SQL sandbox (`sandbox.test.ts`)",
      `${n(s.attempts)} escape attempts, each through \`POST /api/query\` (${n(s.viaApi)}) and the \`query\` command (${n(s.viaCommand)})`,
      `${n(s.refusedWithCode)} refused with a reason code (${codes}), ${n(s.cutByRowCap)} cut at the row cap, ${n(s.stoppedByTimeLimit)} stopped by the time limit; \`/api/health\` answered after each (${n(s.healthAfterEach)}); answers naming a machine path: ${n((s.pathLeaks ?? []).length)}`,
    ]);
  }
  if (i) {
    rows.push([
      "Formula injection (`injection.test.ts`)",
      `${n(i.payloads)} texts starting with =, +, -, @, tab or CR in task titles, lead organisations, decisions and indicator labels, loaded and written out four ways`,
      `headless fill: ${n(i.headless?.cellsChecked)} cells text, ${n(i.headless?.formulasFound)} formulas; Office.js: "@" before the value on ${n(i.office?.textFormatBeforeValue)} of ${n(i.office?.cellsChecked)} cells; CSV: ${n(i.csv?.escaped)} escaped, "- Nhiệm vụ cấp tỉnh" unchanged (${n(i.csv?.ordinaryUnchanged)}); xlsx: ${n(i.xlsx?.cellsChecked)} text cells, ${n(i.xlsx?.formulasFound)} formulas`,
    ]);
  }
  if (z) {
    rows.push([
      "Fuzzing (`fuzz.test.ts`, fast-check, fixed seeds)",
      `${n(z.properties)} properties, ${n(z.runs)} generated cases: header normaliser, number/month/date parsers, sheet recogniser and binding engine on random grids`,
      `nothing thrown but a ProblemError of located problems (${n(z.thrown)} such throws); ${n(z.problemsChecked)} problems checked for code, place (cells as A1 references) and both messages`,
    ]);
  }
  // issue 13's API findings (5, 6, 8): one row each
  const al = figs["api-limits"];
  const pl = figs.paths;
  const ak = figs["api-keys"];
  if (al) {
    rows.push([
      "API limits (`api-limits.test.ts`)",
      `${n(al.attempts)} attempts: answers over the byte cap in five formats and through \`query\`, a request beyond the queue, requests past their time limit (queued, slow upload), five unread 25 MB answers, five heavy queries with \`/api/health\` polled`,
      `${n(al.held)} held: ${n(al.refusedOverByteCap)} refused QUERY_TOO_LARGE, ${n(al.refusedQueueFull)} refused at once with Retry-After, ${n(al.expiredInQueue)} not run after waiting their limit, ${n(al.slowClientsDropped)} non-reading clients dropped with their answers out of the server's memory, ${n(al.healthAnsweredDuringHeavy)} health answers before the heavy queries were done`,
    ]);
  }
  if (pl) {
    rows.push([
      "Paths through the sandbox (`paths.test.ts`)",
      `${n(pl.attempts)} reads of every path-bearing setting and catalogue source, dressed by reverse, replace, string_split, to_base64, hex and failing casts, each answer decoded`,
      `${n(pl.refused)} refused, ${n(pl.answeredWithoutPath)} answered with neutral values; answers naming the warehouse, temp or home folder: ${n((pl.leaks ?? []).length)}`,
    ]);
  }
  if (ak) {
    rows.push([
      "API key (`api-keys.test.ts`)",
      `${n(ak.attempts)} attempts: weak keys, \`serve\` with a weak key, loose key-file modes, the worker's environment, the source map by four spellings`,
      `${n(ak.held)} held`,
    ]);
  }
  if (h) {
    const by = Object.entries((h.byFinding ?? {}) as Record<string, { attempts: number; held: number; broken: number }>)
      .map(([f, v]) => `finding ${f}: ${n(v.held)} of ${n(v.attempts)}`)
      .join(", ");
    rows.push([
      "Hostile workbooks (`hostile.test.ts`, issue 13)",
      `${n(h.attempts)} attacks: figures of 10⁹ đồng and more through \`etl load\`, files that kill their reader or the loader under \`etl watch\`, and small files that crashed or stalled the reader (bombs of strings, cells, nesting, styles, merges, sheets; unterminated tags; duplicate parts and cells, "0x55", invalid UTF-8, characters XML forbids), each read in a process of its own`,
      `${n(h.held)} held, ${n(h.broken)} broken (${by}); every refusal a located problem in both languages; the costliest file: ${h.worst?.memory?.id} (${n(h.worst?.memory?.maxRssMb)} MB peak, ${n(Math.round((h.worst?.memory?.ms ?? 0) / 100) / 10)} s; goal ${n(h.memoryGoalMb)} MB, asserted), the slowest: ${h.worst?.time?.id} (${n(Math.round((h.worst?.time?.ms ?? 0) / 100) / 10)} s, recorded, not asserted)`,
    ]);
  }
  const bugs: string[] = [];
  for (const v of (pl?.leaks ?? []) as string[]) bugs.push(`paths: ${v}`);
  for (const [k, v] of Object.entries((c?.knownBugs ?? {}) as Record<string, string>)) bugs.push(`corpus \`${k}\`: ${v}`);
  for (const v of (s?.pathLeaks ?? []) as string[]) bugs.push(`sandbox: ${v} names a machine path`);
  for (const v of (i?.knownBugs ?? []) as string[]) bugs.push(`injection: ${v}`);
  for (const v of (c?.acceptedRefusedOnSampleByVerifiedDuplicates ?? []) as string[]) {
    bugs.push(`corpus \`${v}\`: not a bug — the sample already holds the same keys, so on the sample warehouse it is refused (each duplicate checked against both dumps); alone it loads as expected`);
  }
  const esc = (t: string) => t.replace(/\|/g, "\\|").replace(/\n/g, " ");
  return [
    "# Reliability and security: what was tried and what held",
    "",
    "Generated from the reliability suite's figures: `npx vitest run test/reliability` records them",
    "under `out/reliability/`, then `npm run docs:reliability` rewrites this page (a test run never does).",
    "Do not edit by hand. Counts, not timings: no duration is recorded or asserted.",
    "",
    "| suite | what was tried | what held |",
    "|---|---|---|",
    ...rows.map((r) => `| ${r.map(esc).join(" | ")} |`),
    "",
    "## Known problems and notes (cases kept, marked `it.fails` where another part is at fault)",
    "",
    ...(bugs.length ? bugs.map((b) => `- ${b}`) : ["- none"]),
    "",
  ].join("\n");
}

export function writeReliabilityReport(root = ROOT): string {
  const md = renderReport(readFigures(root), countKills(root));
  const path = join(root, "docs", "reliability.md");
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, md);
  renameSync(tmp, path);
  return path;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  console.log(writeReliabilityReport());
}
