// Every output format, read back with an independent reader, equals the JSON rows.
import { tableFromIPC } from "apache-arrow";
import ExcelJS from "exceljs";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../api/app.js";
import { escapeSpreadsheetText, isFormulaLike, kindOf, toCsv, type ResultColumn } from "../../api/formats.js";
import { staticKeyCheck } from "../../api/keys.js";
import { WarehouseReader } from "../../api/readers.js";
import { SandboxPool } from "../../api/sandbox/runner.js";
import { openDb } from "../../warehouse/db.js";
import { makeWarehouse, type TestWarehouse } from "./fixtures.js";
import { parseCsv } from "../csv.js";

describe("spreadsheet formula escaping", () => {
  it("escapes what a spreadsheet would evaluate", () => {
    for (const s of ["=1+1", "=HYPERLINK(\"http://x\")", "+1", "-1", "- 5", "+A1", "-$B$7", "-cmd|' /C calc'!A0", "+SUM(A1:A3)", "-(1)", "@SUM(A1)", "\tx", "\rx", "-Sheet1!A1", "--1", "+-1"]) {
      expect([s, isFormulaLike(s)]).toEqual([s, true]);
      expect(escapeSpreadsheetText(s)).toBe(`'${s}`);
    }
  });
  it("leaves ordinary labels alone", () => {
    for (const s of [
      "- Nhiệm vụ cấp tỉnh",
      "- Tiền lương, phụ cấp, các khoản đóng góp theo lương",
      "- Nhiệm vụ khác (ghi rõ)",
      "+ Khoa học tự nhiên",
      "-Nhiệm vụ",
      "2.3 Chi thực hiện nhiệm vụ KH&CN",
      "Chi sự nghiệp KH&CN",
      "",
      "-",
      "+",
      "=",
      "@ home",
      "a=b",
    ]) {
      expect([s, isFormulaLike(s)]).toEqual([s, false]);
      expect(escapeSpreadsheetText(s)).toBe(s);
    }
  });
  it("writes RFC 4180: quotes, doubled quotes, CRLF, BOM when asked; numbers never escaped", () => {
    const columns: ResultColumn[] = [
      { name: "label", type: "VARCHAR" },
      { name: "amount", type: "DECIMAL(18,6)" },
    ];
    const csv = toCsv({ columns, rows: [["a,\"b\"\nc", "-1.500000"], ["=1+1", null]], truncated: false }, { bom: true });
    expect(csv).toBe('\uFEFFlabel,amount\r\n"a,""b""\nc",-1.5\r\n\'=1+1,\r\n');
  });
});


const KEY = "formats-test-key-0123456789";
const auth = { Authorization: `Bearer ${KEY}` };
const SQL = `select * from (values
  (1, 9007199254740993::bigint, 1200.5::decimal(18,6), 1.25::double, 'Nghiên cứu, "giống" lúa' || chr(10) || 'mới', date '2024-01-02', timestamptz '2024-01-02 03:04:05+07', true, '- Nhiệm vụ cấp tỉnh'),
  (2, 42::bigint, -0.000001::decimal(18,6), null, '=1+1', null, null, false, '+84 912'),
  (3, null, null, 3.5, '@SUM(A1)', date '1999-12-31', null, null, '-cmd|'' /C calc''!A0')
) t(id, big, amount, ratio, title, d, ts, flag, label)
where id <= $n order by id`;

let wh: TestWarehouse;
let sandbox: SandboxPool;
let app: ReturnType<typeof createApp>;
let json: { columns: ResultColumn[]; rows: Record<string, unknown>[] };
let dir: string;

const fetchAs = async (format: string): Promise<Buffer> => {
  const r = await request(app)
    .post("/api/query")
    .set(auth)
    .send({ sql: SQL, params: { n: 3 }, format })
    .buffer(true)
    .parse((res, cb) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => cb(null, Buffer.concat(chunks)));
    });
  expect(r.status).toBe(200);
  expect(r.headers["x-phuluc-generation"]).toBe("1");
  expect(r.headers["x-phuluc-checksum"]).toBe("sum-1");
  return r.body as Buffer;
};

/** One comparable form per column kind, whatever reader produced the value. */
function norm(type: string, v: unknown): unknown {
  if (v === null || v === undefined || v === "") return null;
  switch (kindOf(type)) {
    case "big":
      return String(v);
    case "int":
    case "float":
    case "decimal":
      return Number(v);
    case "bool":
      return v === true || v === "true";
    case "date":
      return v instanceof Date || typeof v === "number" ? new Date(v).toISOString().slice(0, 10) : String(v);
    case "timestamp":
      return v instanceof Date || typeof v === "number" ? new Date(v).getTime() : Date.parse(String(v).replace(" ", "T").replace(/([+-]\d{2})$/, "$1:00"));
    default:
      return String(v);
  }
}

const expected = () => json.rows.map((r) => json.columns.map((c) => norm(c.type, r[c.name])));

beforeAll(async () => {
  wh = await makeWarehouse();
  await wh.load();
  sandbox = new SandboxPool({ source: { kind: "db", dbPath: wh.dbPath } }).start();
  app = createApp({ reader: new WarehouseReader(wh.dbPath), keyCheck: staticKeyCheck(KEY), sandbox });
  dir = mkdtempSync(join(tmpdir(), "phuluc-formats-"));
  const r = await request(app).post("/api/query").set(auth).send({ sql: SQL, params: { n: 3 } });
  expect(r.status).toBe(200);
  json = r.body;
});

afterAll(async () => {
  await sandbox?.close();
  wh?.cleanup();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("query outputs read back equal the JSON rows", () => {
  it("json: the reference", () => {
    expect(json.columns.map((c) => c.type)).toEqual([
      "INTEGER",
      "BIGINT",
      "DECIMAL(18,6)",
      "DOUBLE",
      "VARCHAR",
      "DATE",
      "TIMESTAMP WITH TIME ZONE",
      "BOOLEAN",
      "VARCHAR",
    ]);
    expect(json.rows[0]).toMatchObject({ id: 1, big: "9007199254740993", amount: "1200.500000", ratio: 1.25, d: "2024-01-02", flag: true });
    expect(json.rows[1]).toMatchObject({ big: 42, amount: "-0.000001", title: "=1+1" });
    expect(expected()[0][6]).toBe(Date.UTC(2024, 0, 1, 20, 4, 5));
  });

  it("csv", async () => {
    const text = (await fetchAs("csv")).toString("utf8");
    expect(text.startsWith("\uFEFF")).toBe(true);
    const [header, ...rows] = parseCsv(text.slice(1));
    expect(header).toEqual(json.columns.map((c) => c.name));
    // text that a spreadsheet would evaluate carries an apostrophe; ordinary labels do not
    expect(rows.map((r) => r[8])).toEqual(["- Nhiệm vụ cấp tỉnh", "'+84 912", "'-cmd|' /C calc'!A0"]);
    expect(rows.map((r) => r[4])).toEqual(['Nghiên cứu, "giống" lúa\nmới', "'=1+1", "'@SUM(A1)"]);
    const unescaped = rows.map((r) =>
      r.map((v, i) => (kindOf(json.columns[i].type) === "text" && v.startsWith("'") && isFormulaLike(v.slice(1)) ? v.slice(1) : v)),
    );
    expect(unescaped.map((r) => r.map((v, i) => norm(json.columns[i].type, v)))).toEqual(expected());
  });

  it("arrow (DECIMAL as Utf8 strings, BIGINT as Int64)", async () => {
    const table = tableFromIPC(await fetchAs("arrow"));
    expect(table.schema.fields.map((f) => `${f.name}:${f.type}`)).toEqual([
      "id:Int32",
      "big:Int64",
      "amount:Utf8",
      "ratio:Float64",
      "title:Utf8",
      "d:Date32<DAY>",
      "ts:Timestamp<MILLISECOND, UTC>",
      "flag:Bool",
      "label:Utf8",
    ]);
    const rows = table.toArray().map((r) => {
      const o = r.toJSON() as Record<string, unknown>;
      return json.columns.map((c) => norm(c.type, o[c.name]));
    });
    expect(rows).toEqual(expected());
    expect(table.getChild("amount")!.get(0)).toBe("1200.500000");
  });

  it("parquet (read by a test-only DuckDB)", async () => {
    const file = join(dir, "out.parquet");
    writeFileSync(file, await fetchAs("parquet"));
    const db = await openDb(":memory:", { readOnly: false });
    try {
      const cols = await db.columns("select * from read_parquet($file)", { file });
      expect(cols.names).toEqual(json.columns.map((c) => c.name));
      expect(cols.types).toEqual(json.columns.map((c) => c.type));
      const rows = await db.all("select * from read_parquet($file)", { file });
      expect(rows.map((r) => json.columns.map((c) => norm(c.type, r[c.name])))).toEqual(expected());
    } finally {
      db.close();
    }
  });

  it("xlsx (every text a text cell)", async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await fetchAs("xlsx")) as never);
    const ws = wb.worksheets[0];
    const header = (ws.getRow(1).values as unknown[]).slice(1);
    expect(header).toEqual(json.columns.map((c) => c.name));
    const rows: unknown[][] = [];
    for (let i = 2; i <= ws.rowCount; i++) {
      const row = ws.getRow(i);
      rows.push(json.columns.map((c, j) => norm(c.type, row.getCell(j + 1).value)));
    }
    // Excel's dates carry no zone: a timestamp is the wall-clock time the JSON text shows.
    const wallClock = (v: unknown) => (typeof v === "string" ? Date.parse(v.slice(0, 19).replace(" ", "T") + "Z") : null);
    const ts = json.columns.findIndex((c) => kindOf(c.type) === "timestamp");
    expect(rows).toEqual(expected().map((r, i) => r.map((v, j) => (j === ts ? wallClock(json.rows[i][json.columns[j].name]) : v))));
    const formula = ws.getRow(3).getCell(5);
    expect(formula.type).toBe(ExcelJS.ValueType.String);
    expect(formula.value).toBe("=1+1");
    expect(ws.getRow(2).getCell(2).type).toBe(ExcelJS.ValueType.String); // unsafe BIGINT kept exact, as text
  });
});
