// An in-memory Excel for the tests and the benchmark, built on office-addin-mock: ranges are
// OfficeMockObjects (a property read before load + sync returns office-addin-mock's error
// string, so a forgotten load shows up as a wrong value), wrapped to record every property set
// and method call in order, with the sync it belongs to. It applies them to a small grid model so
// that a test can look at the sheet afterwards, and it measures each sync's request and
// response size the way Office.js would serialise them (JSON, UTF-8).
//
// Not part of the pane bundle (office-addin-mock is a dev dependency).
import { OfficeMockObject } from "office-addin-mock";
import { ACTION_OVERHEAD_BYTES, a1, colLetters, parseAddress, utf8Bytes } from "../../addin/office/batches.js";

export type MockValue = string | number | boolean;

export interface MockSheetInit {
  name: string;
  /** rows of values from A1; a string starting with "=" is a formula (its value reads as 0) */
  rows: (MockValue | null)[][];
  numberFormats?: string[][];
  /** merged areas, "A1:C1" */
  merges?: string[];
}

export interface MockSheet {
  name: string;
  merges: string[];
  values: MockValue[][];
  formulas: MockValue[][];
  formats: string[][];
}

export type MockEvent =
  | { kind: "set"; sync: number; sheet: string; address: string; prop: string; value: unknown }
  | { kind: "call"; sync: number; sheet: string; address: string; method: string; args: unknown[] }
  | { kind: "app"; sync: number; method: string }
  | { kind: "xml"; sync: number; method: "add" | "delete"; id: string; bytes: number }
  | { kind: "sync"; sync: number; requestBytes: number; responseBytes: number; actions: number };

export interface MockExcel {
  /** assign to globalThis.Excel */
  Excel: unknown;
  sheets: MockSheet[];
  events: MockEvent[];
  xmlParts: { id: string; ns: string; xml: string }[];
  /** text written into a cell whose number format was not "@" at that moment */
  textWithoutTextFormat: { sheet: string; ref: string; value: string }[];
  syncCount(): number;
  /** native charts added (Worksheet.charts.add) and not deleted; name and place once set */
  charts: { sheet: string; type: string; source: string; title: string; name?: string; position?: [string, string] }[];
  /** the selected cell; select() moves it and fires the workbook's onSelectionChanged handlers */
  selection: { sheet: string; address: string };
  select(sheet: string, address: string): Promise<void>;
}

const NOT_FORMAT_TEXT = (f: string | undefined) => f !== "@";

const encoder = new TextEncoder();
/** Bytes of a value as JSON on the wire (UTF-8): what Office.js would send or receive. */
function jsonBytes(v: unknown): number {
  if (v === undefined) return 0;
  return encoder.encode(JSON.stringify(v)).length;
}

export function createMockExcel(init: MockSheetInit[], opts: { xmlParts?: { ns: string; xml: string }[] } = {}): MockExcel {
  const sheets: MockSheet[] = init.map((s) => {
    const width = s.rows.reduce((m, r) => Math.max(m, r.length), 0);
    const norm = (r: (MockValue | null)[]) => Array.from({ length: width }, (_, c) => r[c] ?? "");
    const formulas = s.rows.map(norm);
    return {
      name: s.name,
      merges: s.merges ?? [],
      formulas,
      values: formulas.map((r) => r.map((v) => (typeof v === "string" && v.startsWith("=") ? 0 : v))),
      formats: s.rows.map((r, i) => Array.from({ length: width }, (_, c) => s.numberFormats?.[i]?.[c] ?? "General")),
    };
  });
  const events: MockEvent[] = [];
  const xmlParts = (opts.xmlParts ?? []).map((p, i) => ({ id: `{part-${i + 1}}`, ...p }));
  let nextPart = xmlParts.length + 1;
  const textWithoutTextFormat: MockExcel["textWithoutTextFormat"] = [];
  let syncs = 0;
  let pendingRequest = 0;
  let pendingActions = 0;
  const pendingLoads: (() => number)[] = [];
  const toSync: OfficeMockObject[] = [];
  const charts: MockExcel["charts"] = [];
  const selection = { sheet: sheets[0]?.name ?? "", address: "A1" };
  const selectionHandlers: ((e: unknown) => Promise<unknown> | unknown)[] = [];

  const action = (bytes: number) => {
    pendingRequest += ACTION_OVERHEAD_BYTES + bytes;
    pendingActions++;
  };

  const width = (s: MockSheet) => s.values.reduce((m, r) => Math.max(m, r.length), 0);
  /** grow the grid so that rows 1..rows exist and rows top..rows have `cols` columns */
  const ensure = (s: MockSheet, top: number, rows: number, cols: number) => {
    while (s.values.length < rows) {
      s.values.push([]);
      s.formulas.push([]);
      s.formats.push([]);
    }
    for (let r = top - 1; r < rows; r++) {
      while (s.values[r].length < cols) {
        s.values[r].push("");
        s.formulas[r].push("");
        s.formats[r].push("General");
      }
    }
  };

  const resolve = (s: MockSheet, address: string) => {
    const rowsOnly = /^(\d+):(\d+)$/.exec(address);
    if (rowsOnly) {
      const top = Number(rowsOnly[1]);
      return { row: top, col: 1, rows: Number(rowsOnly[2]) - top + 1, cols: Math.max(1, width(s)), wholeRows: true };
    }
    const p = parseAddress(address);
    if (!p) throw new Error(`mock: bad address ${address}`);
    return { ...p, wholeRows: false };
  };

  const slice = <T>(grid: T[][], row: number, col: number, rows: number, cols: number, empty: T): T[][] =>
    Array.from({ length: rows }, (_, r) => Array.from({ length: cols }, (_, c) => grid[row - 1 + r]?.[col - 1 + c] ?? empty));

  function makeRange(s: MockSheet, address: string, extra: Record<string, unknown> = {}): Excel.Range {
    const at = resolve(s, address);
    const data: Record<string, unknown> = {
      address: `${s.name}!${at.wholeRows ? address : address.toUpperCase()}`,
      isNullObject: false,
      values: slice(s.values, at.row, at.col, at.rows, at.cols, "" as MockValue),
      formulas: slice(s.formulas, at.row, at.col, at.rows, at.cols, "" as MockValue),
      numberFormat: slice(s.formats, at.row, at.col, at.rows, at.cols, "General"),
      rowIndex: at.row - 1,
      columnIndex: at.col - 1,
      rowCount: at.rows,
      columnCount: at.cols,
      ...extra,
    };
    const mock = new OfficeMockObject(data);
    toSync.push(mock);
    const origLoad = mock.load.bind(mock);
    const methods: Record<string, (...a: unknown[]) => unknown> = {
      load: (props?: unknown) => {
        origLoad(props as string);
        const names = typeof props === "string" ? props.split(",").map((p) => p.trim()) : Object.keys(data);
        pendingLoads.push(() => names.reduce((n, k) => n + jsonBytes(data[k]), 0));
        action(0);
        return proxy;
      },
      insert: (shift: unknown) => {
        record("call", "insert", [shift]);
        if (!at.wholeRows) throw new Error("mock: insert supports whole rows only");
        const count = at.rows;
        const w = width(s);
        const above = at.row > 1 ? s.formats[at.row - 2] : undefined;
        const blank = () => Array.from({ length: count }, () => Array<MockValue>(w).fill(""));
        s.values.splice(at.row - 1, 0, ...blank());
        s.formulas.splice(at.row - 1, 0, ...blank());
        // Excel: inserted rows take the format of the row above
        s.formats.splice(at.row - 1, 0, ...Array.from({ length: count }, () => (above ? [...above] : Array<string>(w).fill("General"))));
        return makeRange(s, address);
      },
      delete: (shift: unknown) => {
        record("call", "delete", [shift]);
        if (!at.wholeRows) throw new Error("mock: delete supports whole rows only");
        s.values.splice(at.row - 1, at.rows);
        s.formulas.splice(at.row - 1, at.rows);
        s.formats.splice(at.row - 1, at.rows);
      },
      copyFrom: (src: unknown, type: unknown) => {
        const srcAddr = String((src as { __address?: string }).__address ?? "");
        record("call", "copyFrom", [srcAddr, type]);
        const from = resolve(s, srcAddr.replace(/^.*!/, ""));
        for (let r = 0; r < at.rows; r++) s.formats[at.row - 1 + r] = [...(s.formats[from.row - 1 + (r % from.rows)] ?? [])];
      },
      getMergedAreasOrNullObject: () => {
        const hits = s.merges.filter((m) => {
          const p = parseAddress(m)!;
          return p.row <= at.row + at.rows - 1 && p.row + p.rows - 1 >= at.row && p.col <= at.col + at.cols - 1 && p.col + p.cols - 1 >= at.col;
        });
        if (hits.length > 512) throw new Error("mock: more than 512 merged areas in one getMergedAreasOrNullObject");
        const m = new OfficeMockObject({ isNullObject: hits.length === 0, address: hits.map((h) => `${s.name}!${h}`).join(",") });
        toSync.push(m);
        const ml = m.load.bind(m);
        (m as unknown as { load: (p: string) => unknown }).load = (p: string) => (ml(p), pendingLoads.push(() => 10), m);
        action(0);
        return m;
      },
      clear: () => {
        record("call", "clear", []);
        for (let r = at.row - 1; r < Math.min(s.values.length, at.row - 1 + at.rows); r++) {
          for (let c = at.col - 1; c < Math.min(s.values[r].length, at.col - 1 + at.cols); c++) {
            s.values[r][c] = "";
            s.formulas[r][c] = "";
            s.formats[r][c] = "General";
          }
        }
      },
      select: () => {
        record("call", "select", []);
        selection.sheet = s.name;
        selection.address = address;
      },
    };
    const record = (kind: "call", method: string, args: unknown[]) => {
      events.push({ kind, sync: syncs + 1, sheet: s.name, address, method, args });
      action(jsonBytes(args));
    };
    // Range.format: autofitRows and font.bold (recorded; the grid model has no row heights or fonts)
    const format = {
      autofitRows: () => record("call", "autofitRows", []),
      font: {
        set bold(v: boolean) {
          events.push({ kind: "set", sync: syncs + 1, sheet: s.name, address, prop: "format.font.bold", value: v });
          action(jsonBytes(v) + jsonBytes(address));
        },
      },
    };
    const proxy = new Proxy(mock as unknown as Record<string | symbol, unknown>, {
      get(t, p) {
        if (p === "__address") return address;
        if (p === "format") return format;
        if (typeof p === "string" && p in methods) return methods[p];
        return t[p];
      },
      set(t, p, v) {
        const prop = String(p);
        events.push({ kind: "set", sync: syncs + 1, sheet: s.name, address, prop, value: v });
        action(jsonBytes(v) + jsonBytes(address));
        const grid = v as unknown[][];
        ensure(s, at.row, at.row + at.rows - 1, at.col + at.cols - 1);
        for (let r = 0; r < at.rows; r++) {
          for (let c = 0; c < at.cols; c++) {
            const x = Array.isArray(grid) ? grid[r]?.[c] : v;
            if (x === null || x === undefined) continue; // Office.js: null leaves the cell
            const R = at.row - 1 + r;
            const C = at.col - 1 + c;
            if (prop === "numberFormat") s.formats[R][C] = String(x);
            else if (prop === "values" || prop === "formulas") {
              if (typeof x === "string" && x !== "" && NOT_FORMAT_TEXT(s.formats[R][C]) && !x.startsWith("=")) {
                textWithoutTextFormat.push({ sheet: s.name, ref: `${colLetters(C + 1)}${R + 1}`, value: x });
              }
              if (typeof x === "string" && x.startsWith("=") && NOT_FORMAT_TEXT(s.formats[R][C])) {
                s.formulas[R][C] = x;
                s.values[R][C] = 0;
              } else {
                s.formulas[R][C] = x as MockValue;
                s.values[R][C] = x as MockValue;
              }
            }
          }
        }
        t[p] = v;
        return true;
      },
    });
    return proxy as unknown as Excel.Range;
  }

  const worksheet = (s: MockSheet) => ({
    get name() {
      return s.name;
    },
    get position() {
      return sheets.indexOf(s);
    },
    // no address: the whole sheet (as far as the grid model has it)
    getRange: (address?: string) => makeRange(s, address ?? `A1:${a1(Math.max(1, s.values.length), Math.max(1, width(s)))}`),
    getUsedRangeOrNullObject: () => {
      const rows = s.values.length;
      const cols = width(s);
      if (rows === 0 || cols === 0) return makeRange(s, "A1", { isNullObject: true });
      return makeRange(s, `A1:${a1(rows, cols)}`);
    },
    activate: () => void events.push({ kind: "call", sync: syncs + 1, sheet: s.name, address: "", method: "activate", args: [] }),
    delete: (): void => {
      events.push({ kind: "call", sync: syncs + 1, sheet: s.name, address: "", method: "deleteSheet", args: [] });
      sheets.splice(sheets.indexOf(s), 1);
    },
    charts: Object.assign(
      collection(
        () => charts.filter((c) => c.sheet === s.name).map(chartObject),
        () => jsonBytes(charts.filter((c) => c.sheet === s.name).map((c) => ({ name: c.name ?? "" }))),
      ),
      {
        add: (type: unknown, source: unknown, seriesBy: unknown) => {
          const src = String((source as { __address?: string }).__address ?? "");
          events.push({ kind: "call", sync: syncs + 1, sheet: s.name, address: src, method: "addChart", args: [type, seriesBy] });
          action(jsonBytes([type, src, seriesBy]));
          charts.push({ sheet: s.name, type: String(type), source: src, title: "" });
          return chartObject(charts[charts.length - 1]);
        },
      },
    ),
  });

  const chartObject = (chart: MockExcel["charts"][number]) => ({
    get name() {
      return chart.name ?? "";
    },
    set name(n: string) {
      chart.name = n;
      action(jsonBytes(n));
    },
    title: {
      set text(t: string) {
        chart.title = t;
        action(jsonBytes(t));
      },
    },
    setPosition: (from: string, to: string) => {
      chart.position = [from, to];
      action(jsonBytes([from, to]));
    },
    delete: () => {
      events.push({ kind: "call", sync: syncs + 1, sheet: chart.sheet, address: "", method: "deleteChart", args: [chart.name ?? ""] });
      action(0);
      charts.splice(charts.indexOf(chart), 1);
    },
  });

  const collection = <T>(itemsOf: () => T[], responseBytes: () => number) => {
    let loaded = false;
    let syncedAt = -1;
    return {
      load: () => {
        loaded = true;
        syncedAt = syncs + 1;
        pendingLoads.push(responseBytes);
        action(0);
      },
      get items(): T[] {
        if (!loaded || syncs < syncedAt) throw new Error("mock: collection items read before load + sync");
        return itemsOf();
      },
    };
  };

  const context = {
    workbook: {
      worksheets: Object.assign(
        collection(
          () => sheets.map(worksheet),
          () => jsonBytes(sheets.map((s, i) => ({ name: s.name, position: i }))),
        ),
        {
          getItem: (name: string) => {
            const s = sheets.find((x) => x.name === name);
            if (!s) throw new Error(`mock: no sheet ${name}`);
            return worksheet(s);
          },
          getItemOrNullObject: (name: string): { isNullObject: boolean; delete(): void } => {
            const s = sheets.find((x) => x.name === name);
            return s ? Object.assign(worksheet(s), { isNullObject: false }) : { isNullObject: true, delete: () => undefined };
          },
          add: (name: string) => {
            const s: MockSheet = { name, merges: [], values: [], formulas: [], formats: [] };
            sheets.push(s);
            return worksheet(s);
          },
        },
      ),
      customXmlParts: {
        getByNamespace: (ns: string) =>
          collection(
            () =>
              xmlParts
                .filter((p) => p.ns === ns)
                .map((p) => ({
                  id: p.id,
                  getXml: () => {
                    action(0);
                    const xml = p.xml;
                    pendingLoads.push(() => jsonBytes(xml));
                    const at = syncs + 1;
                    return {
                      get value() {
                        if (syncs < at) throw new Error("mock: getXml value read before sync");
                        return xml;
                      },
                    };
                  },
                  delete: () => {
                    events.push({ kind: "xml", sync: syncs + 1, method: "delete", id: p.id, bytes: 0 });
                    action(0);
                    const i = xmlParts.findIndex((x) => x.id === p.id);
                    if (i >= 0) xmlParts.splice(i, 1);
                  },
                })),
            () => 40 * xmlParts.length,
          ),
        getItem: (id: string) => ({
          delete: () => {
            events.push({ kind: "xml", sync: syncs + 1, method: "delete", id, bytes: 0 });
            action(0);
            const i = xmlParts.findIndex((x) => x.id === id);
            if (i >= 0) xmlParts.splice(i, 1);
          },
        }),
        add: (xml: string) => {
          const ns = /xmlns="([^"]+)"/.exec(xml)?.[1] ?? "";
          const id = `{part-${nextPart++}}`;
          xmlParts.push({ id, ns, xml });
          events.push({ kind: "xml", sync: syncs + 1, method: "add", id, bytes: utf8Bytes(xml) });
          action(jsonBytes(xml));
          return { id };
        },
      },
      getSelectedRange: () => makeRange(sheets.find((x) => x.name === selection.sheet) ?? sheets[0], selection.address),
      onSelectionChanged: { add: (h: (e: unknown) => unknown) => void selectionHandlers.push(h) },
    },
    application: {
      suspendApiCalculationUntilNextSync: () => {
        events.push({ kind: "app", sync: syncs + 1, method: "suspendApiCalculationUntilNextSync" });
        action(0);
      },
    },
    sync: async () => {
      syncs++;
      const responseBytes = pendingLoads.reduce((n, f) => n + f(), 0);
      events.push({ kind: "sync", sync: syncs, requestBytes: pendingRequest, responseBytes, actions: pendingActions });
      pendingRequest = 0;
      pendingActions = 0;
      pendingLoads.length = 0;
      for (const m of toSync.splice(0)) await m.sync();
      // office-addin-mock resolves loaded properties in callbacks it does not await
      await new Promise((r) => setTimeout(r, 0));
    },
  };

  const excelMock = new OfficeMockObject({
    run: async (a: unknown, b?: unknown) => {
      const batch = (typeof a === "function" ? a : b) as (c: unknown) => Promise<unknown>;
      return batch(context);
    },
  }) as unknown as Record<string, unknown>;
  // Enums as plain values: office-addin-mock would hide nested values behind load().
  excelMock.InsertShiftDirection = { down: "Down", right: "Right" };
  excelMock.DeleteShiftDirection = { up: "Up", left: "Left" };
  excelMock.RangeCopyType = { all: "All", formats: "Formats", values: "Values", formulas: "Formulas" };
  excelMock.ChartType = { columnStacked: "ColumnStacked", columnClustered: "ColumnClustered", barClustered: "BarClustered", barStacked: "BarStacked" };
  excelMock.ChartSeriesBy = { columns: "Columns", rows: "Rows", auto: "Auto" };

  return {
    Excel: excelMock,
    sheets,
    events,
    xmlParts,
    textWithoutTextFormat,
    syncCount: () => syncs,
    charts,
    selection,
    select: async (sheet, address) => {
      selection.sheet = sheet;
      selection.address = address;
      for (const h of selectionHandlers) await h({ address });
    },
  };
}
