// A file still being copied from a network share must wait: it is read only when its size and
// modification time are the same as at the previous look AND older than the settle time. Pure
// (clock and observations injected) so that schedules are tested without sleeping.
import type { InboxScan } from "../../warehouse/model.js";

export type Seen = Map<string, { size: number; mtimeMs: number }>;

export function splitReady(
  files: InboxScan["files"],
  seen: Seen,
  nowMs: number,
  settleMs: number,
  /** --once has no previous look: the age alone decides */
  firstLookCounts = false,
): { ready: InboxScan["files"]; waiting: { fileId: string; why: string }[] } {
  const ready: InboxScan["files"] = [];
  const waiting: { fileId: string; why: string }[] = [];
  for (const f of files) {
    const prev = seen.get(f.fileId);
    seen.set(f.fileId, { size: f.size, mtimeMs: f.mtimeMs });
    const stable = prev ? prev.size === f.size && prev.mtimeMs === f.mtimeMs : firstLookCounts;
    // settle 0 means no wait: a file copied within the current millisecond has an mtime a fraction
    // of a millisecond after `now` (file times are finer than Date), which must not read as "too recent"
    const oldEnough = settleMs <= 0 || nowMs - f.mtimeMs >= settleMs;
    if (stable && oldEnough) ready.push(f);
    else waiting.push({ fileId: f.fileId, why: !stable ? "changed since the last look (still being copied?)" : "modified too recently" });
  }
  return { ready, waiting };
}
