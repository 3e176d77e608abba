// Which Office.js members the back end (addin/office/) and the pane (addin/pane/) use, which
// requirement set each needs, and whether those above the manifest's ExcelApi set are behind the
// isSetSupported check of addin/office/requirements.ts. Nothing here has run in a real Excel; this
// is the next best proof: the TypeScript compiler API (the checker of the `typescript` package,
// through its API) resolves every property access and every object-literal property of the
// sources to its declaration, and the `[Api set: ExcelApi x.y]` annotation of that declaration in
// @types/office-js says which set it belongs to.
//
// "Behind the check": an ancestor of the use is a condition (if, ?:, &&) that calls the `supports`
// function (requirements.ts `Supports`, made by hostSupports() from
// Office.context.requirements.isSetSupported) with a feature whose set is at least the member's.
//
//   npx tsx scripts/office-api-audit.ts            the table
//   npx tsx scripts/office-api-audit.ts --write    the table into docs/office-api-sets.md too
import { writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { SyntaxKind, type Node } from "typescript/unstable/ast";
import { API, type Checker, type Project, type Symbol as TsSymbol } from "typescript/unstable/sync";
import { OPTIONAL_EXCEL_API, REQUIRED_EXCEL_API } from "../addin/office/requirements.js";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const SOURCES = ["addin/office", "addin/pane"];

export interface ApiUse {
  /** "Excel.Range.getMergedAreasOrNullObject" */
  member: string;
  /** "ExcelApi 1.13", or the set of another API ("Common API"), or "" when none is annotated */
  set: string;
  /** the ExcelApi version as a number (1.13 → [1, 13]), null when not an ExcelApi member */
  excelApi: [number, number] | null;
  /** every place it is used, "addin/office/excel.ts:123" */
  places: string[];
  /** the optional features guarding every use, when all are guarded */
  guardedBy: string[] | null;
  /** above the manifest's set, and at least one use not behind a sufficient check */
  violation: boolean;
}

const parseVersion = (v: string): [number, number] => {
  const [a, b] = v.split(".").map(Number);
  return [a, b ?? 0];
};
const cmp = (a: [number, number], b: [number, number]) => a[0] - b[0] || a[1] - b[1];

/** "[Api set: ExcelApi 1.4]" (or the Common API's "[Api set: …]") from a symbol's JSDoc. */
function apiSetOf(checker: Checker, sym: TsSymbol): string {
  const texts: string[] = [];
  for (const tag of checker.getJsDocTagsOfSymbol(sym)) texts.push(tag.text ?? "");
  texts.push(checker.getDocumentationCommentOfSymbol(sym));
  const all = texts.join("\n");
  const excel = /\[Api set:\s*(ExcelApi\s+\d+\.\d+)/.exec(all);
  if (excel) return excel[1].replace(/\s+/, " ");
  const other = /\[Api set:\s*([^\]]+)\]/.exec(all);
  return other ? other[1].trim() : "";
}

const isOfficeDeclaration = (sym: TsSymbol) => sym.declarations.some((d) => /node_modules\/@types\/office-js\//.test(String(d.path)));

/** "Excel.Range" for a member of interface/class Range in namespace Excel. */
function ownerName(sym: TsSymbol): string {
  const names: string[] = [];
  for (let p = sym.getParent(); p && names.length < 4; p = p.getParent()) {
    if (/^"|^__/.test(p.name)) break;
    names.unshift(p.name);
  }
  return names.join(".");
}

/** The optional feature a `supports("…")` call in a condition names, for every such call. */
function featuresIn(node: Node, text: string): string[] {
  const out: string[] = [];
  const visit = (n: Node) => {
    if (n.kind === SyntaxKind.CallExpression) {
      const call = n as unknown as { expression: Node; arguments: readonly Node[] };
      const callee = text.slice(call.expression.pos, call.expression.end).trim();
      const arg = call.arguments[0] as unknown as { kind: SyntaxKind; text?: string } | undefined;
      if (/(^|\.)supports$/.test(callee) && arg?.kind === SyntaxKind.StringLiteral && arg.text && arg.text in OPTIONAL_EXCEL_API) out.push(arg.text);
    }
    n.forEachChild((c) => void visit(c));
  };
  visit(node);
  return out;
}

/** The features whose checks hold where `node` runs (conditions of the ifs, ?: and && around it). */
function guardsOf(node: Node, text: string): string[] {
  const out: string[] = [];
  let child: Node = node;
  for (let p = node.parent; p; child = p, p = p.parent) {
    const n = p as unknown as { expression?: Node; thenStatement?: Node; condition?: Node; whenTrue?: Node; left?: Node; right?: Node; operatorToken?: Node };
    if (p.kind === SyntaxKind.IfStatement && n.thenStatement === child) out.push(...featuresIn(n.expression!, text));
    else if (p.kind === SyntaxKind.ConditionalExpression && n.whenTrue === child) out.push(...featuresIn(n.condition!, text));
    else if (p.kind === SyntaxKind.BinaryExpression && n.right === child && n.operatorToken?.kind === SyntaxKind.AmpersandAmpersandToken) out.push(...featuresIn(n.left!, text));
  }
  return out;
}

function sourceFiles(project: Project, root: string, sources: string[]): string[] {
  return project.program
    .getSourceFileNames()
    .filter((f) => sources.some((d) => f.startsWith(join(root, d) + "/")) && f.endsWith(".ts"));
}

export interface AuditOptions {
  /** the folder of the tsconfig.json (default: the repository) */
  root?: string;
  /** folders under root whose .ts files are audited (default: addin/office, addin/pane) */
  sources?: string[];
}

export function auditOfficeApi(opts: AuditOptions = {}): { uses: ApiUse[]; files: string[]; required: string } {
  const root = opts.root ?? ROOT;
  const api = new API({ cwd: root });
  try {
    const snapshot = api.updateSnapshot({ openProjects: [join(root, "tsconfig.json")] });
    const project = snapshot.getProject(join(root, "tsconfig.json"));
    if (!project) throw new Error("tsconfig.json: no project");
    const checker = project.checker;
    const files = sourceFiles(project, root, opts.sources ?? SOURCES);
    const uses = new Map<string, ApiUse & { guardSets: string[][] }>();
    const required = parseVersion(REQUIRED_EXCEL_API);

    const record = (sym: TsSymbol, at: Node, file: string, text: string) => {
      if (!isOfficeDeclaration(sym)) return;
      const owner = ownerName(sym);
      const member = owner ? `${owner}.${sym.name}` : sym.name;
      const set = apiSetOf(checker, sym);
      const m = /^ExcelApi (\d+\.\d+)$/.exec(set);
      const line = text.slice(0, at.pos).split("\n").length + (text.slice(at.pos, at.end).match(/^\s*\n/)?.[0].split("\n").length ?? 1) - 1;
      const u = uses.get(member) ?? { member, set, excelApi: m ? parseVersion(m[1]) : null, places: [], guardedBy: null, violation: false, guardSets: [] };
      u.places.push(`${relative(root, file)}:${line}`);
      u.guardSets.push(guardsOf(at, text));
      uses.set(member, u);
    };

    for (const file of files) {
      const sf = project.program.getSourceFile(file);
      if (!sf) continue;
      const text = sf.text;
      const visit = (node: Node) => {
        if (node.kind === SyntaxKind.PropertyAccessExpression) {
          const name = (node as unknown as { name: Node }).name;
          const sym = checker.getSymbolAtLocation(name);
          if (sym) record(sym, node, file, text);
        } else if (node.kind === SyntaxKind.PropertyAssignment || node.kind === SyntaxKind.ShorthandPropertyAssignment) {
          // { mergeUndoGroup: true } given to Excel.run: the property of the type it is given as
          const obj = node.parent!;
          const ctx = checker.getContextualType(obj as never);
          const name = (node as unknown as { name: { text?: string } }).name.text;
          const prop = ctx && name ? checker.getPropertyOfType(ctx, name) : undefined;
          if (prop) record(prop, node, file, text);
        }
        node.forEachChild((c) => void visit(c));
      };
      visit(sf as unknown as Node);
    }

    const out: ApiUse[] = [];
    for (const u of uses.values()) {
      const above = u.excelApi !== null && cmp(u.excelApi, required) > 0;
      // a use is guarded when one of its checks names a feature of a set at least the member's
      const ok = (g: string[]) =>
        u.excelApi !== null && g.some((f) => cmp(parseVersion(OPTIONAL_EXCEL_API[f as keyof typeof OPTIONAL_EXCEL_API]), u.excelApi!) >= 0);
      const allGuarded = u.guardSets.every(ok);
      const { guardSets, ...rest } = u;
      out.push({
        ...rest,
        guardedBy: allGuarded ? [...new Set(guardSets.flat())] : null,
        violation: above && !allGuarded,
      });
    }
    out.sort((a, b) => (b.excelApi && a.excelApi ? cmp(b.excelApi, a.excelApi) : a.excelApi ? -1 : b.excelApi ? 1 : 0) || a.member.localeCompare(b.member));
    return { uses: out, files: files.map((f) => relative(root, f)), required: REQUIRED_EXCEL_API };
  } finally {
    api.close();
  }
}

export function auditTable(uses: ApiUse[]): string {
  const rows = uses.map((u) => {
    const guarded = u.guardedBy ? `yes: ${u.guardedBy.map((f) => `\`${f}\``).join(", ")}` : u.excelApi && cmp(u.excelApi, parseVersion(REQUIRED_EXCEL_API)) > 0 ? "**NO**" : "not needed";
    return `| \`${u.member}\` | ${u.set || "—"} | ${guarded} | ${u.places.length} |`;
  });
  return ["| member | requirement set | behind isSetSupported | uses |", "|---|---|---|---|", ...rows].join("\n");
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { uses, files } = auditOfficeApi();
  const table = auditTable(uses);
  console.log(table);
  const bad = uses.filter((u) => u.violation);
  console.log(`\n${uses.length} Office.js members in ${files.length} files; manifest ExcelApi ${REQUIRED_EXCEL_API}; ${bad.length} above it without the check`);
  if (process.argv.includes("--write")) {
    const doc = `# Office.js members and their requirement sets

Generated by \`npx tsx scripts/office-api-audit.ts --write\`; \`test/addin/api-sets.test.ts\` fails
when a member above the manifest's set is used outside the check. Every Office.js member that
the back end (\`addin/office/\`) and the task pane (\`addin/pane/\`) use, found with the TypeScript
compiler API (each property access and object-literal property resolved to its declaration),
with the \`[Api set: …]\` annotation of that declaration in \`@types/office-js\`. The manifest asks
for **ExcelApi ${REQUIRED_EXCEL_API}**; a member of a later set must be used only where
\`Office.context.requirements.isSetSupported\` says the host has it — in the code, behind a call of
\`supports("<feature>")\` (\`addin/office/requirements.ts\`: ${Object.entries(OPTIONAL_EXCEL_API)
      .map(([f, v]) => `\`${f}\` ${v}`)
      .join(", ")}) in the condition of an \`if\`, \`?:\` or \`&&\` around it.

Files: ${files.map((f) => `\`${f}\``).join(", ")} (the test mock and the benchmark's measure are not the add-in).

${table}
`;
    writeFileSync(join(ROOT, "docs", "office-api-sets.md"), doc);
    console.log("written: docs/office-api-sets.md");
  }
  process.exitCode = bad.length ? 1 : 0;
}
