// The pane's pure pieces: the API client (errors as the server sends them), settings keyed by
// partitionKey, the preview table and the charts.
import { describe, expect, it } from "vitest";
import { createClient, normaliseServer, PaneApiError } from "../../addin/pane/api.js";
import { loadSettings, saveSettings, storageKey } from "../../addin/pane/settings.js";
import { MESSAGES, oneLanguage, pickLang, t } from "../../addin/pane/i18n.js";
import { formatAs } from "../../addin/pane/numfmt.js";
import { budgetByYearAndSource, chartSvg, chartTable, disbursementByLevel, esc, formatFigure, formTableHtml } from "../../addin/pane/view.js";
import { loadForms } from "../../queries/forms.js";
import { cannedData } from "./stub-api.js";
import type { FormResponse } from "../../addin/pane/api.js";

const resp = (code: string, year = 2024): FormResponse => {
  const def = loadForms().find((f) => f.code === code)!;
  const d = cannedData(def, year, 5);
  return { form: code, year, generation: 5, items: [], rows: d.rows, rules: [] };
};

describe("api client", () => {
  it("sends the key as a Bearer header and turns error bodies into PaneApiError", async () => {
    const seen: { url: string; auth: string | null }[] = [];
    const fake = (async (url: string, init?: RequestInit) => {
      seen.push({ url, auth: new Headers(init?.headers).get("authorization") });
      if (url.includes("/api/runs")) return new Response(JSON.stringify({ error: { code: "UNAUTHORIZED", message: "thiếu khóa API / missing key" } }), { status: 401 });
      return new Response(JSON.stringify({ forms: [{ code: "pl01" }] }), { status: 200 });
    }) as typeof fetch;
    const c = createClient("https://x.test", "k123", fake);
    expect(await c.forms()).toEqual([{ code: "pl01" }]);
    await expect(c.runs()).rejects.toMatchObject({ code: "UNAUTHORIZED", status: 401 });
    expect(seen[0]).toEqual({ url: "https://x.test/api/forms", auth: "Bearer k123" });
    const down = createClient("https://x.test", "k", (async () => Promise.reject(new TypeError("fetch failed"))) as typeof fetch);
    await expect(down.health()).rejects.toBeInstanceOf(PaneApiError);
    expect(normaliseServer(" localhost:3000/ ", "https://o")).toBe("https://localhost:3000");
    expect(normaliseServer("", "https://o")).toBe("https://o");
  });
});

describe("number formats", () => {
  it("show a figure as Excel does under the form's format", () => {
    const cases: [unknown, string, string][] = [
      [39651.195, "#,##0", "39.651"],
      [-1234.5, "#,##0", "-1.235"],
      [-1234.5, "#,##0;(#,##0)", "(1.235)"],
      [0, '#,##0;-#,##0;"-"', "-"],
      [0.1234, "0.0%", "12,3%"],
      [1234567, "#,##0,", "1.235"],
      [34.2, "0.0", "34,2"],
      [1234.5, "#,##0.00_);[Red](#,##0.00)", "1.234,50 "],
      [12.5, '#,##0 "tr.đ"', "13 tr.đ"],
      [39651.195, "General", "39651,195"],
      [-0.2, "#,##0", "0"],
      ["01", "@", "01"],
      [null, "#,##0", ""],
      [45000, "dd/mm/yyyy", "45000"],
    ];
    for (const [v, f, want] of cases) expect([v, f, formatAs(v, f, "vi")]).toEqual([v, f, want]);
    expect(formatAs(1234.5, "#,##0.0", "en")).toBe("1,234.5");
  });
});

describe("languages", () => {
  it("every message exists in both, with the same placeholders", () => {
    for (const [key, m] of Object.entries(MESSAGES)) {
      expect(m.vi.trim(), key).not.toBe("");
      expect(m.en.trim(), key).not.toBe("");
      const ph = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((x) => x[1]).sort();
      expect(ph(m.vi), key).toEqual(ph(m.en));
    }
    expect(t("vi", "filled", { n: 6 })).toBe("Đã điền 6 phụ lục.");
    expect(t("en", "filled", { n: 6 })).toBe("Filled 6 form(s).");
  });

  it("Vietnamese unless chosen otherwise or Office speaks English", () => {
    expect(pickLang(null, null)).toBe("vi");
    expect(pickLang(null, "vi-VN")).toBe("vi");
    expect(pickLang(null, "en-US")).toBe("en");
    expect(pickLang(null, "fr-FR")).toBe("vi");
    expect(pickLang("vi", "en-US")).toBe("vi");
    expect(pickLang("en", "vi-VN")).toBe("en");
  });

  it("takes one language out of the server's two-language messages", () => {
    const m = "thiếu khóa API hoặc khóa không đúng / missing or wrong API key";
    expect(oneLanguage(m, "vi")).toBe("thiếu khóa API hoặc khóa không đúng");
    expect(oneLanguage(m, "en")).toBe("missing or wrong API key");
    expect(oneLanguage("không có phụ lục này / no such form: pl99", "vi")).toBe("không có phụ lục này: pl99");
    expect(oneLanguage("plain", "en")).toBe("plain");
  });
});

describe("settings", () => {
  it("are kept per partition key", () => {
    const m = new Map<string, string>();
    const storage = { getItem: (k: string) => m.get(k) ?? null, setItem: (k: string, v: string) => void m.set(k, v) };
    saveSettings(storage, { server: "https://a", key: "K", year: 2025 }, "tenant1");
    expect([...m.keys()]).toEqual([storageKey("tenant1")]);
    expect(loadSettings(storage, "tenant1")).toEqual({ server: "https://a", key: "K", year: 2025 });
    expect(loadSettings(storage, "tenant2")).toEqual({ server: "", key: "", year: null });
    saveSettings(storage, { server: "https://a", key: "K", year: null, lang: "en" }, "tenant3");
    expect(loadSettings(storage, "tenant3").lang).toBe("en");
    m.set(storageKey(null), "{not json");
    expect(loadSettings(storage, null).key).toBe("");
  });
});

describe("view", () => {
  it("formats figures as the form's number format shows them, and escapes text", () => {
    expect(formatFigure(41612, "money")).toBe("41.612");
    // #,##0: the workbook shows 39.651, so does the pane (it used to show 39.651,195)
    expect(formatFigure(39651.195, "money")).toBe("39.651");
    expect(formatFigure(39651.195, "money", "en")).toBe("39,651");
    expect(formatFigure(34.25, "ratio")).toBe("34,3");
    expect(formatFigure(null, "money")).toBe("");
    expect(esc('<b a="1">&')).toBe("&lt;b a=&quot;1&quot;&gt;&amp;");
  });

  it("renders a form with its two-row header and the year put in", () => {
    const def = loadForms().find((f) => f.code === "pl02")!;
    const html = formTableHtml(def, resp("pl02"));
    expect(html).toContain("Dự toán chi NSNN cho KH&amp;CN năm 2024");
    expect(html).toMatch(/data-row="01">.*?41\.612/s);
    expect(html).not.toContain("{N");
  });

  it("draws the two charts from PL01 and PL02 and gives their tables for Excel", () => {
    const b = budgetByYearAndSource(resp("pl01"), resp("pl02"), 2024);
    expect(b.categories).toEqual(["DT 2022", "DT 2023", "Ước 2023", "DT 2024"]);
    expect(b.series.find((s) => s.name === "NSĐP")!.values[3]).toBe(41612);
    const d = disbursementByLevel(resp("pl01"), 2024);
    expect(d.series[0].values.every((v) => typeof v === "number")).toBe(true);
    const svg = chartSvg(b);
    expect(svg.startsWith("<svg")).toBe(true);
    expect((svg.match(/<rect /g) ?? []).length).toBeGreaterThan(4);
    expect(chartTable(b)[0]).toEqual(["", "NSNN (NSTW+NSĐP)", "NSTW", "NSĐP", "Ngoài NSNN", "Nước ngoài"]);
    expect(chartTable(b)[4][3]).toBe(41612);
    // no data: still a chart, no NaN
    expect(chartSvg(disbursementByLevel(undefined, 2024))).not.toContain("NaN");
  });
});
