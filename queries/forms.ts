// Reads the appendix form definitions (queries/forms/<code>/form.json). Node only: the binding
// engine itself takes FormDef objects, so that it also runs inside the Excel task pane.
import { readdirSync, readFileSync, existsSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { ZodError } from "zod";
import { HIERARCHY_CHILDREN, isHierarchyCode } from "../core/hierarchy.js";
import { prob } from "../core/codes.js";
import { ProblemError } from "../core/problem.js";
import { parseFormDef, type FormDef } from "./form-schema.js";

export type { FormDef } from "./form-schema.js";

/** The folder holding one sub-folder per form. */
export const FORMS_DIR = join(dirname(fileURLToPath(import.meta.url)), "forms");

/**
 * The rows' sums from the 01–18 hierarchy's one home; every row must be one of its lines. The
 * definition handed on states its sums (and no longer `sumsFrom`), as one written out would.
 */
function withHierarchySums({ sumsFrom: _from, ...def }: FormDef): FormDef {
  const rows = (def.rows ?? []).map((r) => {
    if (!isHierarchyCode(r.key)) throw new Error(`row ${r.key} is not a line of the 01–18 hierarchy (sumsFrom)`);
    const children = HIERARCHY_CHILDREN[r.key];
    return children ? { ...r, sumOf: [...children] } : r;
  });
  return { ...def, rows };
}

function readForm(dir: string, name: string): FormDef {
  const file = join(dir, name, "form.json");
  try {
    const def = parseFormDef(JSON.parse(readFileSync(file, "utf8")));
    if (def.code !== name) throw new Error(`code "${def.code}" differs from its folder "${name}"`);
    return def.sumsFrom === "hierarchy" ? withHierarchySums(def) : def;
  } catch (e) {
    const detail =
      e instanceof ZodError ? e.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`).join("; ") : String((e as Error).message ?? e);
    throw new ProblemError([
      prob("E_FORM_DEF", { file: `queries/forms/${name}/form.json`, form: name }, {}, { what: "form", detail }),
    ]);
  }
}

/**
 * Every form definition under `dir`, sorted by code. A definition that does not parse stops the
 * load with a ProblemError naming the file and what is wrong (a broken form is never skipped).
 */
export function loadForms(dir: string = FORMS_DIR): FormDef[] {
  const forms: FormDef[] = [];
  const problems = [];
  for (const name of readdirSync(dir).sort()) {
    if (!existsSync(join(dir, name, "form.json"))) continue;
    try {
      forms.push(readForm(dir, name));
    } catch (e) {
      if (!(e instanceof ProblemError)) throw e;
      problems.push(...e.problems);
    }
  }
  if (problems.length) throw new ProblemError(problems);
  return forms;
}

/** One form's definition (queries/forms/<code>/form.json, or under `dir`); a ProblemError if it does not parse. */
export function loadForm(code: string, dir: string = FORMS_DIR): FormDef {
  if (!/^[a-z0-9_]+$/.test(code) || !existsSync(join(dir, code, "form.json"))) {
    throw new Error(`unknown form ${JSON.stringify(code)} / không có phụ lục này`);
  }
  return readForm(dir, code);
}

/** One form by code, or undefined. */
export function formByCode(forms: FormDef[], code: string): FormDef | undefined {
  return forms.find((f) => f.code === code);
}
