// Exit codes of design.md, shared by every command.
export const EXIT = { ok: 0, failed: 1, usage: 2, problems: 3 } as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** A usage error found after parsing (e.g. two flags that exclude each other). */
export class UsageError extends Error {
  override name = "UsageError";
}
