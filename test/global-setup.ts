// Every temporary folder the tests make — a warehouse, an inbox, a workspace each, thousands a
// run, and those of the processes they start — goes under one folder of the run (TMPDIR, which
// os.tmpdir() reads), removed when the run ends. Left behind, a day of runs filled a 250 GB disk.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export default function setup(): () => void {
  const before = process.env.TMPDIR;
  const dir = mkdtempSync(join(tmpdir(), "phuluc-test-run-"));
  process.env.TMPDIR = dir;
  return () => {
    if (before === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = before;
    rmSync(dir, { recursive: true, force: true });
  };
}
