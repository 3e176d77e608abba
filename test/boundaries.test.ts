// The folders are the data flow, and each folder's README says what it may import. This test
// reads those sentences and holds every import to them, so that an arrow running backwards (or a
// cycle between folders) fails here instead of being found in a review months later.
import { describe, expect, it } from "vitest";
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
/** The stage folders, in the order data flows; scripts/, bench/ and test/ may use any of them. */
export const STAGES = ["core", "xlsx", "etl", "warehouse", "queries", "fill", "api", "addin", "cli"].filter((d) => existsSync(join(ROOT, d)));

export interface Rule { folder: string; allowed: string[] | "any"; typesOnly?: string[] }

/**
 * A README's rule is the sentence that starts "May import": backticked folder names (`core/`,
 * `addin/engine/`), "nothing", or "every folder"; names after "types from" may be imported
 * for their types only (`import type`), which vanish from the bundle.
 */
export function ruleOf(readme: string, folder: string): Rule | null {
  const m = /May import\b([^;]*?)(?:;|\.(?:\s|$))/s.exec(readme);
  if (!m) return null;
  if (/every folder/.test(m[1])) return { folder, allowed: "any" };
  const names = (text: string) => [...text.matchAll(/`([a-z][a-z0-9-]*(?:\/[a-z0-9-]+)*)\/?`/g)].map((x) => x[1]);
  const [values, types = ""] = m[1].split(/\btypes (?:only )?from\b/);
  const allowed = names(values);
  if (allowed.length === 0 && !/nothing/.test(values)) throw new Error(`${folder}/README.md: "May import" names no folder and not "nothing"`);
  return types ? { folder, allowed, typesOnly: names(types) } : { folder, allowed };
}

function walk(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    if (name === "node_modules" || name.startsWith(".")) continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (/\.(ts|mts|mjs|js)$/.test(name) && !name.endsWith(".d.ts")) out.push(p);
  }
  return out;
}

export interface Spec { spec: string; typeOnly: boolean }

/** Every module a source file names: static imports and re-exports (types too), dynamic imports, `import("…")` types. */
export function specifiers(src: string): Spec[] {
  const out: Spec[] = [];
  for (const m of src.matchAll(/^\s*(?:import|export)\s(type\s)?[^;]*?\sfrom\s+["']([^"']+)["']/gm)) out.push({ spec: m[2], typeOnly: !!m[1] });
  for (const m of src.matchAll(/^\s*import\s+["']([^"']+)["']/gm)) out.push({ spec: m[1], typeOnly: false });
  // `await import("…")` loads code; `import("…").Name` in a type position names a type only.
  for (const m of src.matchAll(/\bimport\(\s*["']([^"']+)["']\s*\)(\.[A-Z])?/g)) out.push({ spec: m[1], typeOnly: !!m[2] });
  return out;
}

export interface Edge { from: string; to: string; spec: string; typeOnly?: boolean }

/** Imports that cross from one project folder into another, as paths relative to the root. */
export function crossingImports(root = ROOT): Edge[] {
  const edges: Edge[] = [];
  for (const stage of STAGES) {
    for (const file of walk(join(root, stage))) {
      for (const { spec, typeOnly } of specifiers(readFileSync(file, "utf8"))) {
        if (!spec.startsWith(".")) continue;
        const target = relative(root, resolve(dirname(file), spec)).replace(/\\/g, "/");
        const from = relative(root, file).replace(/\\/g, "/");
        if (target.split("/")[0] !== from.split("/")[0]) edges.push({ from, to: target, spec, typeOnly });
      }
    }
  }
  return edges;
}

/** The rule that governs a file: the README nearest to it (a sub-folder may be stricter than its folder). */
function rulesByFolder(root = ROOT): Map<string, Rule> {
  const rules = new Map<string, Rule>();
  for (const stage of STAGES) {
    const dirs = [join(root, stage), ...walk(join(root, stage)).map(dirname)];
    for (const d of new Set(dirs)) {
      const readme = join(d, "README.md");
      if (!existsSync(readme)) continue;
      const folder = relative(root, d).replace(/\\/g, "/");
      const rule = ruleOf(readFileSync(readme, "utf8"), folder);
      if (rule) rules.set(folder, rule);
    }
  }
  return rules;
}

function governing(rules: Map<string, Rule>, file: string): Rule | undefined {
  let best: Rule | undefined;
  for (const [folder, rule] of rules) if (file.startsWith(folder + "/") && (!best || folder.length > best.folder.length)) best = rule;
  return best;
}

export function violations(root = ROOT): string[] {
  const rules = rulesByFolder(root);
  const out: string[] = [];
  for (const e of crossingImports(root)) {
    const rule = governing(rules, e.from);
    if (!rule) { out.push(`${e.from}: its folder's README has no "May import" sentence`); continue; }
    if (rule.allowed === "any") { if (!STAGES.includes(e.to.split("/")[0])) out.push(`${e.from} imports ${e.spec} (outside the stage folders)`); continue; }
    const under = (names: string[]) => names.some((a) => e.to === a || e.to.startsWith(a + "/"));
    if (under(rule.allowed) || (e.typeOnly && under(rule.typesOnly ?? []))) continue;
    const types = rule.typesOnly?.length ? ` (types only from ${rule.typesOnly.join(", ")})` : "";
    out.push(`${e.from} imports ${e.spec}${e.typeOnly ? " (types)" : ""}: ${rule.folder}/README.md allows ${rule.allowed.join(", ") || "nothing"}${types}`);
  }
  return out;
}

/** Cycles between top-level folders, each as a path a → b → … → a. */
export function folderCycles(edges: Edge[]): string[][] {
  const graph = new Map<string, Set<string>>();
  for (const e of edges) {
    const a = e.from.split("/")[0], b = e.to.split("/")[0];
    if (!graph.has(a)) graph.set(a, new Set());
    graph.get(a)!.add(b);
  }
  const cycles: string[][] = [];
  const seen = new Set<string>();
  for (const start of [...graph.keys()].sort()) {
    // Depth-first from each folder, reporting each cycle once (from its smallest folder name).
    const stack: [string, string[]][] = [[start, [start]]];
    while (stack.length) {
      const [node, path] = stack.pop()!;
      for (const next of graph.get(node) ?? []) {
        if (next === start) { const key = [...path].sort().join(">"); if (!seen.has(key)) { seen.add(key); cycles.push([...path, start]); } }
        else if (!path.includes(next) && next > start) stack.push([next, [...path, next]]);
      }
    }
  }
  return cycles;
}

describe("folder boundaries", () => {
  it("every stage folder's README says what it may import", () => {
    const rules = rulesByFolder();
    expect(STAGES.filter((s) => !rules.has(s))).toEqual([]);
  });

  it("no import breaks its folder's README", () => {
    expect(violations()).toEqual([]);
  });

  it("no cycle between folders", () => {
    expect(folderCycles(crossingImports()).map((c) => c.join(" → "))).toEqual([]);
  });

  it("only warehouse/ talks to DuckDB", () => {
    const offenders: string[] = [];
    for (const stage of STAGES.filter((s) => s !== "warehouse")) {
      for (const file of walk(join(ROOT, stage))) {
        const src = readFileSync(file, "utf8");
        if (/["']@duckdb\/node-api["']/.test(src) || /\.connection\b/.test(src)) offenders.push(relative(ROOT, file));
      }
    }
    expect(offenders).toEqual([]);
  });

  // The checks above must be able to fail: a deliberately wrong import and a cycle are caught.
  it("catches a backwards arrow and a cycle (self-check on made-up edges)", () => {
    expect(ruleOf("x. May import `core/` and `warehouse/`; imported by `cli/`.", "etl")).toEqual({ folder: "etl", allowed: ["core", "warehouse"] });
    expect(ruleOf("May import nothing; anything may import it.", "core")).toEqual({ folder: "core", allowed: [] });
    expect(ruleOf("May import every folder; nothing imports it.", "cli")).toEqual({ folder: "cli", allowed: "any" });
    expect(ruleOf("May import `core/` only, and types from `queries/`.", "addin/engine")).toEqual({ folder: "addin/engine", allowed: ["core"], typesOnly: ["queries"] });
    expect(specifiers(`import type { A } from "../etl/model.js";\nexport * from './x.js';\nconst m = await import("../api/lake.js");\ntype F = import("../q/t.js").FormData;`)).toEqual([
      { spec: "../etl/model.js", typeOnly: true }, { spec: "./x.js", typeOnly: false }, { spec: "../api/lake.js", typeOnly: false }, { spec: "../q/t.js", typeOnly: true },
    ]);
    const cyc = folderCycles([
      { from: "warehouse/load.ts", to: "etl/model.ts", spec: "" },
      { from: "etl/read.ts", to: "warehouse/db.ts", spec: "" },
      { from: "api/app.ts", to: "core/x.ts", spec: "" },
    ]);
    expect(cyc).toEqual([["etl", "warehouse", "etl"]]);
  });
});
