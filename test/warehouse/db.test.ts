// The one DuckDB module: Db.numberColumns reads figures by column without making their decimal
// text (each DECIMAL must still become exactly the double that parsing its text gives, what the
// fill wrote before); Db.sibling gives connections that run at the same time on one database;
// a load's writer commits straight into the database file (no WAL written only to be replayed) and
// stores its strings without FSST (the cheaper commit); a statement kept prepared runs again with
// other values.
import { describe, expect, it } from "vitest";
import { existsSync, mkdtempSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { decimalToNumber, openDb, openMemory } from "../../warehouse/db.js";
import { seededRandom } from "../../core/random.js";
import { gensDir, openCurrent, writeGeneration } from "../../warehouse/generations.js";
import { tempDb } from "./helpers.js";

describe("DECIMAL to number", () => {
  it("is the double of the decimal text, for seeded values of every scale and the edges", () => {
    const rnd = seededRandom(7);
    const digits = (n: number): string => Array.from({ length: n }, () => Math.floor(rnd() * 10)).join("");
    const cases: [bigint, number][] = [
      [0n, 0], [0n, 6], [1n, 1], [-1n, 1], [5n, 1], [123456789n, 3], [-(2n ** 53n) + 1n, 3], [2n ** 53n - 1n, 6],
      [2n ** 53n, 2], [-(2n ** 53n), 2], [2n ** 53n + 1n, 4], [10n ** 37n - 1n, 18], [-(10n ** 30n) - 7n, 25], [3n, 23],
    ];
    for (let i = 0; i < 20_000; i++) {
      const v = BigInt((rnd() < 0.3 ? "-" : "") + digits(1 + Math.floor(rnd() * 30)));
      cases.push([v, Math.floor(rnd() * 26)]);
    }
    for (const [value, scale] of cases) {
      const neg = value < 0n;
      const t = (neg ? -value : value).toString().padStart(scale + 1, "0");
      const text = (neg ? "-" : "") + t.slice(0, t.length - scale) + (scale ? "." + t.slice(t.length - scale) : "");
      expect(decimalToNumber(value, scale), `${value}e-${scale}`).toBe(Number(text));
    }
  });

  it("reads a query's columns: figures as numbers (as their text reads), the others as `all` gives them", async () => {
    const db = await openMemory();
    try {
      const sql = `select * from (values
          (cast('123456.789' as decimal(18,3)), cast(-0.1 as decimal(4,1)), 12::bigint, 'a', cast('2024-01-02' as date)),
          (null, cast(0.3 as decimal(4,1)), 9007199254740993::bigint, null, null)
        ) as t(c1, c2, c3, note, day)`;
      const { names, columns } = await db.numberColumns(sql, undefined, (c) => /^c\d+$/.test(c));
      expect(names).toEqual(["c1", "c2", "c3", "note", "day"]);
      expect(columns).toEqual([[123456.789, null], [-0.1, 0.3], [12, Number("9007199254740993")], ["a", null], ["2024-01-02", null]]);
      // the sum of a DECIMAL column (a 128-bit DECIMAL) the same way
      const sums = await db.numberColumns("select sum(x) as c1 from (values (cast('0.1' as decimal(18,6))), (cast('0.2' as decimal(18,6)))) as t(x)", undefined, () => true);
      expect(sums.columns).toEqual([[0.3]]);
    } finally {
      db.close();
    }
  });
});

describe("sibling connections", () => {
  it("share the database, run at the same time, and keep it open until the last one closes", async () => {
    const path = join(mkdtempSync(join(tmpdir(), "phuluc-db-")), "w.duckdb");
    const w = await openDb(path, { readOnly: false });
    await w.run("create table t as select range as x from range(200000)");
    w.close();
    const db = await openDb(path, { readOnly: true });
    const a = (await db.sibling())!;
    const b = (await db.sibling())!;
    const sum = "select sum(x) as s from t";
    const [ra, rb, r0] = await Promise.all([a.all<{ s: string }>(sum), b.all<{ s: string }>(sum), db.all<{ s: string }>(sum)]);
    expect([ra[0].s, rb[0].s, r0[0].s]).toEqual(["19999900000", "19999900000", "19999900000"]);
    db.close();
    // the first connection closed, its siblings still read
    expect((await a.all<{ n: string }>("select count(*) as n from t"))[0].n).toBe("200000");
    a.close();
    b.close();
    await expect(b.all("select 1")).rejects.toThrow();
    // an analysts' sandbox makes none
    const sandboxed = await openDb(path, { readOnly: true, sandbox: {} });
    try {
      expect(await sandboxed.sibling()).toBeNull();
    } finally {
      sandboxed.close();
    }
  });
});

describe("kept statements", () => {
  it("run again with other values, see what changed since they were prepared, and refuse a missing value", async () => {
    const db = await openMemory();
    try {
      await db.run("create table t (k varchar, v integer)");
      const insert = "insert into t select $k, v::integer from (select unnest(string_split($vs, ',')) as v) where v::integer > $min";
      await db.runKept(insert, { k: "a", vs: "1,2,3", min: 1, unused: 9 });
      await db.runKept(insert, { k: "b", vs: "4,5", min: 0 });
      const count = "select k, count(*)::integer as n, sum(v)::integer as s from t where k <> $not group by k order by k";
      expect(await db.allKept(count, { not: "" })).toEqual([{ k: "a", n: 2, s: 5 }, { k: "b", n: 2, s: 9 }]);
      // the table changed under the prepared statement: it reads it as it now is
      await db.run("alter table t add column w integer default 7");
      await db.run("insert into t values ('c', 1, 1)");
      expect(await db.allKept(count, { not: "a" })).toEqual([{ k: "b", n: 2, s: 9 }, { k: "c", n: 1, s: 1 }]);
      await expect(db.runKept(insert, { k: "c", vs: "1" })).rejects.toThrow(/\$min/);
    } finally {
      db.close();
    }
  });
});

describe("a load's commit", () => {
  it("writes the database file itself, not the WAL, and the generation reads back whole", async () => {
    const dbPath = tempDb();
    const seen: Record<string, boolean> = {};
    const r = await writeGeneration(
      dbPath,
      async ({ db }) => {
        await db.run("create table big as select range as id, 'file-' || (range % 97) as file_id, repeat('x', 40) as pad from range(200000)");
        return { publish: true, value: null };
      },
      (point) => {
        if (point !== "committed") return;
        const gen = join(gensDir(dbPath), "000001.duckdb");
        // checkpoint_threshold is low on the writer: the commit checkpointed instead of logging
        seen.walAfterCommit = existsSync(`${gen}.wal`) && statSync(`${gen}.wal`).size > 0;
      },
    );
    expect(r.published).toBe(1);
    expect(seen).toEqual({ walAfterCommit: false });
    const db = await openCurrent(dbPath);
    try {
      expect(await db.all("select count(*)::varchar n, count(distinct file_id)::varchar f from big")).toEqual([{ n: "200000", f: "97" }]);
    } finally {
      db.close();
    }
  });
});

describe("a load's storage", () => {
  // many distinct strings of one shape (cell references): what FSST compresses, and costs a
  // load's single-threaded commit most to compress
  const cells = "select 'C' || (range + 10000)::varchar as cell, 'NV-' || (range % 3000)::varchar as code from range(300000)";
  const methods = async (db: Awaited<ReturnType<typeof openDb>>) =>
    (await db.all<{ c: string }>("select distinct compression c from pragma_storage_info('t') where column_name in ('cell', 'code') and segment_type = 'VARCHAR'")).map((r) => r.c).sort();

  it("stores a generation's strings without FSST, where DuckDB's defaults would use it, on one DuckDB thread", async () => {
    const dbPath = tempDb();
    let threads = "";
    await writeGeneration(dbPath, async ({ db }) => {
      await db.run(`create table t as ${cells}`);
      threads = (await db.all<{ t: string }>("select current_setting('threads')::varchar t"))[0]!.t;
      return { publish: true, value: null };
    });
    // and on one DuckDB thread: the reading workers have the other cores
    expect(threads).toBe("1");
    const gen = await openCurrent(dbPath);
    try {
      const used = await methods(gen);
      expect(used.length).toBeGreaterThan(0);
      expect(used).not.toContain("FSST");
    } finally {
      gen.close();
    }
    // the same rows written with DuckDB's defaults: FSST is what it would have chosen
    const plain = await openDb(join(mkdtempSync(join(tmpdir(), "phuluc-fsst-")), "plain.duckdb"), { readOnly: false });
    try {
      await plain.run(`create table t as ${cells}`);
      await plain.run("checkpoint");
      expect(await methods(plain)).toContain("FSST");
    } finally {
      plain.close();
    }
  });
});
