// The id of a filled figure's lineage, `<form>:<year>:<generation>:<row_key>:<column_id>`
// ("pl03:2026:9:task:DT-01:c1"), built and read here only: the binding engine writes it into the
// workbook (both back ends), the API gives it with a form's figures and resolves it back.
// A row key may itself hold colons; the form, year, generation and column never do.

export interface LineageRef {
  form: string;
  year: number;
  generation: number;
  rowKey: string;
  columnId: string;
}

export function lineageId(form: string, year: number, generation: number, rowKey: string, columnId: string): string {
  return `${form}:${year}:${generation}:${rowKey}:${columnId}`;
}

/** The parts of an id, or null when it has not five parts (the caller checks each: numbers, an empty row key). */
export function parseLineageId(id: string): { form: string; year: string; generation: string; rowKey: string; columnId: string } | null {
  const parts = id.split(":");
  if (parts.length < 5) return null;
  const rowKey = parts.slice(3, -1).join(":");
  const columnId = parts[parts.length - 1];
  return { form: parts[0], year: parts[1], generation: parts[2], rowKey, columnId };
}

/** The format, for messages. */
export const LINEAGE_ID_FORMAT = "<form>:<year>:<generation>:<rowKey>:<columnId>";
