// What reaches a terminal. File names, office names, sheet names and cell texts come from the
// offices: a name holding an ANSI escape (ESC [ … m, ESC ] … BEL), a carriage return or a line
// feed could recolour, rewrite or forge the lines of a summary an administrator reads. Every line
// the command line prints goes through `terminalSafe`, which shows such characters as visible
// escapes instead of sending them: ESC → \u001b, a line feed → \n, U+202E → \u202e (the escapes
// of JSON, so that JSON printed through it stays JSON).

// C0 controls but tab, DEL, C1 controls; the bidirectional overrides and isolates (which reorder
// what is shown); the line and paragraph separators.
const UNSAFE = /[\x00-\x08\x0A-\x1F\x7F-\x9F\u061C\u200E\u200F\u2028\u2029\u202A-\u202E\u2066-\u2069]/g;

const NAMED: Record<string, string> = { "\n": "\\n", "\r": "\\r" };

/** One line for the terminal: control and reordering characters shown as escapes. */
export function terminalSafe(s: string): string {
  return s.replace(UNSAFE, (c) => {
    const named = NAMED[c];
    if (named) return named;
    return `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`;
  });
}

/** Text that may hold several lines (each made safe; the program's own line breaks kept). */
export function terminalSafeLines(s: string): string {
  return s.split("\n").map(terminalSafe).join("\n");
}

/** console.log / console.error, made safe. */
export const say = (s: string): void => console.log(terminalSafe(s));
export const sayError = (s: string): void => console.error(terminalSafe(s));
