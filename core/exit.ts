// Exit codes of design.md, shared by every command.
export const EXIT = { ok: 0, failed: 1, usage: 2, problems: 3 } as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** A usage error found after parsing (e.g. two flags that exclude each other). */
export class UsageError extends Error {
  override name = "UsageError";
}

/**
 * A refusal the user can act on (a busy port, a missing warehouse): one line, exit code 1, no
 * stack trace.
 */
export class Refusal extends Error {
  override name = "Refusal";
}
