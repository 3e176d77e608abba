// Problems are data, not thrown strings: a stable code, a severity, the place it was found and a
// message in Vietnamese and English. Stages collect them into lists and the CLI, the API and the
// pane render them. (After Malloy's LogMessage.)

export type Severity = "error" | "warning" | "info";

/** Where a problem is. Input side: file/sheet/cell. Output side: form/row/column. */
export interface Place {
  file?: string;
  sheet?: string;
  cell?: string;
  /** a second place, for "given twice" problems */
  other?: Omit<Place, "other">;
  form?: string;
  row?: string;
  column?: string;
}

export interface Problem {
  code: string;
  severity: Severity;
  place: Place;
  vi: string;
  en: string;
  /** machine-readable details (the figures compared, the value found …) */
  data?: Record<string, unknown>;
}

export function problem(
  code: string,
  severity: Severity,
  place: Place,
  vi: string,
  en: string,
  data?: Record<string, unknown>,
): Problem {
  return data === undefined ? { code, severity, place, vi, en } : { code, severity, place, vi, en, data };
}

export const isError = (p: Problem): boolean => p.severity === "error";

export type Lang = "vi" | "en";

// The output side's words: a form's place reads "Biểu PL01 › dòng 09 › cột c5" in a Vietnamese
// message and "Form PL01 › row 09 › column c5" in an English one. The input side (file › sheet!cell)
// has no words, so its places read the same in both languages and in logs.
const WORDS = {
  vi: { form: "Biểu", row: "dòng", column: "cột" },
  en: { form: "Form", row: "row", column: "column" },
} as const;

/**
 * Where, as a message starts: "file › sheet!cell" on the input side, "form › sheet!cell › row ›
 * column" on the output side. Without `lang` (logs, one line for both languages) the form is its
 * code and row/column are "row"/"col".
 */
export function formatPlace(place: Place, lang?: Lang): string {
  const parts: string[] = [];
  if (place.file) parts.push(place.file);
  if (place.form) parts.push(lang ? `${WORDS[lang].form} ${place.form.toUpperCase()}` : place.form);
  if (place.sheet || place.cell) parts.push(`${place.sheet ?? "?"}${place.cell ? "!" + place.cell : ""}`);
  if (place.row) parts.push(`${lang ? WORDS[lang].row : "row"} ${place.row}`);
  if (place.column) parts.push(`${lang ? WORDS[lang].column : "col"} ${place.column}`);
  let s = parts.join(" › ");
  if (place.other) s += ` (& ${formatPlace(place.other, lang)})`;
  return s;
}

/** One line for terminals and logs: "ERROR E_CODE file › sheet!B7 — vi / en". */
export function formatProblem(p: Problem): string {
  // Messages that already name their place are not prefixed with it again: the catalogue's start
  // with it (the output side's in the message's own words, so it is looked for in those).
  const own = formatPlace(p.place, "vi");
  const named = (p.place.file && p.vi.includes(p.place.file)) || (own !== "" && p.vi.startsWith(own + ": "));
  const where = named ? "" : ` ${formatPlace(p.place)}`;
  return `${p.severity.toUpperCase()} ${p.code}${where} — ${p.vi} / ${p.en}`;
}

/** Thrown only across boundaries that cannot return values (CLI entry, HTTP handlers). */
export class ProblemError extends Error {
  constructor(public readonly problems: Problem[]) {
    super(problems.map(formatProblem).join("\n"));
    this.name = "ProblemError";
  }
}
