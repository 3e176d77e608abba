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
    // settle 0 means no wait: a file copied within the current millisecond has an mtime a fraction
    // of a millisecond after `now` (file times are finer than Date), which must not read as "too recent"
    const oldEnough = settleMs <= 0 || nowMs - f.mtimeMs >= settleMs;
    // With no previous look (the first tick after a start), a file untouched for the settle time
    // is as settled as one seen twice: a copy in progress keeps its mtime recent (Windows and
    // `cp -p` set an older one only when the copy ends). Only with no settle time to go by does the
    // first look wait for a second one.
    const firstLookSettled = firstLookCounts || (settleMs > 0 && oldEnough);
    const stable = prev ? prev.size === f.size && prev.mtimeMs === f.mtimeMs : firstLookSettled;
    if (stable && oldEnough) ready.push(f);
    else
      waiting.push({
        fileId: f.fileId,
        why: prev && !stable ? "changed since the last look (still being copied?)" : !prev && settleMs <= 0 ? "first seen now: read at the next look if its size and time stay the same" : "modified too recently",
      });
  }
  return { ready, waiting };
}
