// The pane's pure pieces: the API client (errors as the server sends them), settings keyed by
// partitionKey, the preview table and the charts.
import { describe, expect, it } from "vitest";
import { createClient, normaliseServer, PaneApiError } from "../../addin/pane/api.js";
import { loadSettings, saveSettings, storageKey } from "../../addin/pane/settings.js";
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

describe("settings", () => {
  it("are kept per partition key", () => {
    const m = new Map<string, string>();
    const storage = { getItem: (k: string) => m.get(k) ?? null, setItem: (k: string, v: string) => void m.set(k, v) };
    saveSettings(storage, { server: "https://a", key: "K", year: 2025 }, "tenant1");
    expect([...m.keys()]).toEqual([storageKey("tenant1")]);
    expect(loadSettings(storage, "tenant1")).toEqual({ server: "https://a", key: "K", year: 2025 });
    expect(loadSettings(storage, "tenant2")).toEqual({ server: "", key: "", year: null });
    m.set(storageKey(null), "{not json");
    expect(loadSettings(storage, null).key).toBe("");
  });
});

describe("view", () => {
  it("formats figures the Vietnamese way and escapes text", () => {
    expect(formatFigure(41612, "money")).toBe("41.612");
    expect(formatFigure(39651.195, "money")).toBe("39.651,195");
    expect(formatFigure(34.2, "ratio")).toBe("34,2");
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
