// The engine also runs inside the Excel task pane: it bundles for the browser with nothing from
// Node, Office.js, exceljs or zod (form definitions come in as types only).
import { describe, expect, it } from "vitest";
import { readdirSync, readFileSync } from "node:fs";
import { build } from "esbuild";

const dir = new URL("../../../fill/engine/", import.meta.url);

describe("engine purity", () => {
  it("imports only core/problem, core/codes, core/text, core/lineage-id, the A1 module xlsx/refs, its own files and types", () => {
    for (const f of readdirSync(dir).filter((x) => x.endsWith(".ts"))) {
      const src = readFileSync(new URL(f, dir), "utf8");
      for (const m of src.matchAll(/^\s*(import|export)\s+(type\s+)?[^;]*?from\s+"([^"]+)"/gms)) {
        const [, , isType, spec] = m;
        if (isType) continue;
        expect([`${f}: ${spec}`]).toEqual([expect.stringMatching(/: (\.\/[a-z-]+\.js|\.\.\/\.\.\/core\/(problem|codes|text|lineage-id)\.js|\.\.\/\.\.\/xlsx\/refs\.js)$/)]);
      }
    }
  });

  it("bundles for the browser", async () => {
    const out = await build({ entryPoints: [new URL("index.ts", dir).pathname], bundle: true, platform: "browser", format: "esm", write: false, logLevel: "silent" });
    const code = out.outputFiles[0].text;
    expect(code).not.toMatch(/require\(|from "node:|zod|exceljs/);
  });
});
