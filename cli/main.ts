// The `phuluc` command (the package's bin, compiled to dist/cli/main.js; `npm run phuluc -- …`
// runs this source during development): argument parsing only; each command lives with its stage.
import { Command, CommanderError, Option } from "commander";
import { ConfigMissingError } from "../core/config.js";
import { formatProblem, ProblemError } from "../core/problem.js";
import { sayError, terminalSafeLines } from "../core/terminal.js";
import { EXIT, Refusal, UsageError, type ExitCode } from "../core/exit.js";
import { stopWhenOrphaned } from "./orphan.js";

// Through `npm run phuluc -- …` / `npm start` npm runs us from the package's folder; the user's
// relative paths (--out lineage.xlsx, the inbox, phuluc.config.json) mean the folder they typed
// the command in, which npm passes as INIT_CWD. Only for our own scripts: a program started by
// another npm script (a test under `npm test`) inherits an INIT_CWD that is not its folder.
if (process.env.INIT_CWD && ["phuluc", "start"].includes(process.env.npm_lifecycle_event ?? "")) {
  try {
    process.chdir(process.env.INIT_CWD);
  } catch {
    /* the folder is gone: stay where npm put us */
  }
}

stopWhenOrphaned();

const program = new Command("phuluc")
  .description("Phụ lục KH&CN: offices' spreadsheets → DuckDB warehouse → the appendix workbook")
  .option("--debug", "print the stack of an unexpected error (also PHULUC_DEBUG=1)")
  .exitOverride()
  .showHelpAfterError();

const collect = (v: string, acc: string[]) => [...acc, v];
const int = (name: string) => (v: string) => {
  if (!/^\d+$/.test(v)) throw new UsageError(`${name} must be a whole number, got "${v}"`);
  return Number(v);
};

let run: () => Promise<ExitCode> = async () => EXIT.usage;

program
  .command("init")
  .description("write phuluc.config.json for your province (from the built-in list)")
  .option("--province <code>", "the province's code (or name); without it, a question on a terminal")
  .option("--list", "print the built-in provinces and their codes")
  .option("--force", "replace an existing phuluc.config.json")
  .action((o) => {
    run = async () => (await import("./init.js")).initCommand(o);
  });

const etl = program.command("etl").description("load the offices' workbooks into the warehouse");
etl
  .command("load <inbox>")
  .description("load an inbox folder (never moves or deletes files)")
  .requiredOption("--db <file>", "the warehouse (a link to its current generation)")
  .option("--report <file.json>", "write the run's report as JSON")
  .option("--accept-partial", "load the files that passed, set the others aside (exit 3)")
  .option("--quiet", "no progress display")
  .action((inbox: string, o) => {
    run = async () => (await import("../etl/commands.js")).etlLoad({ inbox, ...o });
  });
etl
  .command("forget <fileIdentity>")
  .description("withdraw what one file gave (its path inside the inbox)")
  .requiredOption("--db <file>", "the warehouse")
  .option("--report <file.json>", "write the run's report as JSON")
  .action((fileId: string, o) => {
    run = async () => (await import("../etl/commands.js")).etlForget({ fileId, ...o });
  });
etl
  .command("watch <inbox>")
  .description("the scheduled ETL: load what is new or changed on every tick")
  .requiredOption("--db <file>", "the warehouse")
  .option("--every <cron>", "cron expression (5 or 6 fields)", "*/5 * * * *")
  .option("--tz <zone>", "time zone of the schedule", "Asia/Ho_Chi_Minh")
  .option("--once", "one run, then exit (for system cron)")
  .option("--settle <seconds>", "a file must be unchanged this long before it is read", int("--settle"), 30)
  .action((inbox: string, o) => {
    run = async () => (await import("../etl/watch/command.js")).etlWatch({ inbox, ...o });
  });

program
  .command("fill")
  .description("fill every appendix found in a workbook, headless")
  .addOption(new Option("--db <file>", "the warehouse").conflicts("lake"))
  .option("--lake <dir>", "a Parquet lake (warehouse export) instead of --db")
  .option("--province <code>", "with --lake: the province to fill")
  .option("--as-current-units", "with --lake: former provinces' years rolled into the 34 units of today")
  .requiredOption("--year <N>", "plan year", int("--year"))
  .requiredOption("--template <in.xlsx>", "the workbook to fill")
  .option("--out <out.xlsx>", "where to write the filled workbook")
  .option("--check", "write nothing; report what a fill would do")
  .option("--as-of <run>", "fill from the warehouse as it was after that load run", int("--as-of"))
  .option("--strict", "reconciliation differences also make the exit code 3")
  .option("--charts", 'add the chart sheet "Biểu đồ" (a workbook that has it gets it rewritten anyway)')
  .option("--no-charts", "never write the chart sheet")
  .option("--form <sheet=form>", "pick a sheet for an ambiguous form (repeatable)", collect, [])
  .option("--json", "print the result as JSON")
  .action((o) => {
    run = async () => (await import("../fill/command.js")).fillCommand(o);
  });

program
  .command("query [file.sql]")
  .description("analysts' read-only SQL against the warehouse")
  .addOption(new Option("--db <file>", "the warehouse").conflicts("lake"))
  .option("--lake <dir>", "a Parquet lake instead of --db")
  .option("--province <code>", "with --lake: limit to one province")
  .option("--as-current-units", "with --lake: former provinces' years rolled into the 34 units of today")
  .option("-e, --execute <sql>", "the SQL text")
  .option("--param <name[:type]=value>", "a parameter (repeatable)", collect, [])
  .addOption(new Option("--format <fmt>", "output format").choices(["table", "csv", "json", "arrow", "parquet", "xlsx"]).default("table"))
  .option("--out <file>", "write to a file instead of standard output")
  .option("--max-rows <n>", "row cap", int("--max-rows"))
  .option("--timeout <ms>", "time limit", int("--timeout"))
  .action((file: string | undefined, o) => {
    run = async () => (await import("../api/query-command.js")).queryCommand({ file, ...o });
  });

program
  .command("serve")
  .description("the API and the task pane")
  .addOption(new Option("--db <file>", "the warehouse").conflicts("lake"))
  .option("--lake <dir>", "a Parquet lake instead of --db")
  .option("--province <code>", "with --lake: the province")
  .option("--as-current-units", "with --lake: former provinces' years rolled into the 34 units of today")
  .option("--port <n>", "port (default: PORT or 3000)", int("--port"))
  .option("--host <addr>", "address to listen on", "127.0.0.1")
  .option("--cert <pem>", "TLS certificate (https)")
  .option("--key <pem>", "TLS private key")
  .option("--pane-origin <url>", "the only CORS origin (default: the server's own)")
  .action((o) => {
    run = async () => (await import("../api/serve-command.js")).serveCommand(o);
  });

const key = program.command("key").description("the API key");
key
  .command("rotate")
  .description("make a new API key (the old one stops working)")
  .action(() => {
    run = async () => (await import("../api/serve-command.js")).rotateKeyCommand();
  });

const wh = program.command("warehouse").description("warehouse maintenance");
wh.command("export")
  .description("export facts and dimensions as Hive-partitioned Parquet (year, province)")
  .requiredOption("--db <file>", "the warehouse")
  .requiredOption("--parquet <dir>", "the lake folder")
  .action((o) => {
    run = async () => (await import("../warehouse/export.js")).exportCommand(o);
  });
wh.command("runs")
  .description("list the load runs")
  .requiredOption("--db <file>", "the warehouse")
  .option("--json", "as JSON")
  .action((o) => {
    run = async () => (await import("../warehouse/runs.js")).runsCommand(o);
  });

const debug = () => !!process.env.PHULUC_DEBUG || !!program.opts().debug || process.argv.includes("--debug");

/** What the user sees of an error: one message, no stack unless --debug. */
function report(e: unknown): ExitCode {
  if (e instanceof UsageError) {
    sayError(`phuluc: ${e.message}`);
    return EXIT.usage;
  }
  if (e instanceof ProblemError) {
    for (const p of e.problems) sayError(formatProblem(p));
    return EXIT.failed;
  }
  if (e instanceof Refusal || e instanceof ConfigMissingError) {
    sayError(`phuluc: ${e.message}`);
    return EXIT.failed;
  }
  const message = e instanceof Error ? e.message : String(e);
  // The warehouse's own refusal (as api/app.ts recognises it): said, not a fault to locate.
  if (/^no warehouse at .* yet/.test(message) && !debug()) {
    sayError(`phuluc: ${message}`);
    return EXIT.failed;
  }
  if (debug()) {
    console.error(terminalSafeLines(`phuluc: ${message}`));
    console.error(e);
  } else console.error(terminalSafeLines(`phuluc: ${message} (--debug shows where)`));
  return EXIT.failed;
}

async function main(argv: string[]): Promise<ExitCode> {
  try {
    await program.parseAsync(argv);
  } catch (e) {
    if (e instanceof CommanderError) {
      return e.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    return report(e);
  }
  try {
    return await run();
  } catch (e) {
    return report(e);
  }
}

// Whatever escapes a command's own handling (an error thrown from a timer, a worker's stream)
// still ends as one line, not a stack trace.
process.on("uncaughtException", (e) => process.exit(report(e)));
process.on("unhandledRejection", (e) => process.exit(report(e)));

// Exit explicitly: a command that is done (a watch stopped by SIGTERM with an abandoned load still
// in DuckDB) must not be kept alive by work it has given up on.
main(process.argv).then((code) => process.exit(code));
