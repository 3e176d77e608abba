// The zip layer of the fast reader: the central directory read by hand (it is a few fixed-size
// records), entries inflated STREAMING with fflate so that no part is ever held whole, and every
// inflated byte counted so that a decompression bomb stops at the limit instead of eating memory.
import { open, type FileHandle } from "node:fs/promises";
import { Inflate } from "fflate";
import { XlsxOpenError } from "./types.js";

export interface ZipEntry {
  /** the name as stored ("xl/workbook.xml") */
  name: string;
  method: number;
  flags: number;
  compressedSize: number;
  uncompressedSize: number;
  localHeaderOffset: number;
}

const SIG_EOCD = 0x06054b50;
const SIG_EOCD64_LOCATOR = 0x07064b50;
const SIG_EOCD64 = 0x06064b50;
const SIG_CENTRAL = 0x02014b50;
const SIG_LOCAL = 0x04034b50;
const MAX_EOCD_SEARCH = 22 + 0xffff; // the record plus the longest comment

/** Why a zip could not be read; sniff and the reader map these to OpenFailure reasons. */
export class ZipError extends Error {
  constructor(readonly reason: "not_zip" | "truncated" | "encrypted", message: string) {
    super(message);
    this.name = "ZipError";
  }
}

async function readAt(fh: FileHandle, pos: number, len: number): Promise<Buffer> {
  const buf = Buffer.allocUnsafe(len);
  let got = 0;
  while (got < len) {
    const { bytesRead } = await fh.read(buf, got, len - got, pos + got);
    if (bytesRead === 0) break;
    got += bytesRead;
  }
  return got === len ? buf : buf.subarray(0, got);
}

/** Reads the central directory; throws ZipError("truncated") when it is missing or cut short. */
export async function readCentralDirectory(fh: FileHandle, fileSize: number): Promise<ZipEntry[]> {
  const tailLen = Math.min(fileSize, MAX_EOCD_SEARCH);
  const tail = await readAt(fh, fileSize - tailLen, tailLen);
  let eocd = -1;
  for (let i = tail.length - 22; i >= 0; i--) {
    if (tail.readUInt32LE(i) === SIG_EOCD) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new ZipError("truncated", "no end-of-central-directory record: the zip is cut short or damaged");
  let count = tail.readUInt16LE(eocd + 10);
  let cdSize = tail.readUInt32LE(eocd + 12);
  let cdOffset = tail.readUInt32LE(eocd + 16);
  const eocdAbs = fileSize - tailLen + eocd;
  if (count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) {
    // zip64: the real figures are in the zip64 end record that the locator points to
    const loc = eocd >= 20 ? tail.subarray(eocd - 20, eocd) : await readAt(fh, eocdAbs - 20, 20);
    if (loc.length < 20 || loc.readUInt32LE(0) !== SIG_EOCD64_LOCATOR) {
      throw new ZipError("truncated", "zip64 locator missing");
    }
    const rec = await readAt(fh, Number(loc.readBigUInt64LE(8)), 56);
    if (rec.length < 56 || rec.readUInt32LE(0) !== SIG_EOCD64) throw new ZipError("truncated", "zip64 end record missing");
    count = Number(rec.readBigUInt64LE(32));
    cdSize = Number(rec.readBigUInt64LE(40));
    cdOffset = Number(rec.readBigUInt64LE(48));
  }
  if (cdOffset + cdSize > fileSize) throw new ZipError("truncated", "the central directory lies past the end of the file");
  // the directory is usually inside the tail already read
  const tailStart = fileSize - tailLen;
  const cd = cdOffset >= tailStart ? tail.subarray(cdOffset - tailStart, cdOffset - tailStart + cdSize) : await readAt(fh, cdOffset, cdSize);
  const entries: ZipEntry[] = [];
  let p = 0;
  for (let n = 0; n < count; n++) {
    if (p + 46 > cd.length || cd.readUInt32LE(p) !== SIG_CENTRAL) {
      throw new ZipError("truncated", "the central directory is damaged");
    }
    const flags = cd.readUInt16LE(p + 8);
    const method = cd.readUInt16LE(p + 10);
    let compressedSize = cd.readUInt32LE(p + 20);
    let uncompressedSize = cd.readUInt32LE(p + 24);
    const nameLen = cd.readUInt16LE(p + 28);
    const extraLen = cd.readUInt16LE(p + 30);
    const commentLen = cd.readUInt16LE(p + 32);
    let localHeaderOffset = cd.readUInt32LE(p + 42);
    const name = cd.toString(flags & 0x800 ? "utf8" : "latin1", p + 46, p + 46 + nameLen);
    // zip64 extra field: the 0xFFFFFFFF fields follow in a fixed order
    let e = p + 46 + nameLen;
    const eEnd = e + extraLen;
    while (e + 4 <= eEnd) {
      const id = cd.readUInt16LE(e);
      const len = cd.readUInt16LE(e + 2);
      if (id === 0x0001) {
        let q = e + 4;
        if (uncompressedSize === 0xffffffff) (uncompressedSize = Number(cd.readBigUInt64LE(q))), (q += 8);
        if (compressedSize === 0xffffffff) (compressedSize = Number(cd.readBigUInt64LE(q))), (q += 8);
        if (localHeaderOffset === 0xffffffff) localHeaderOffset = Number(cd.readBigUInt64LE(q));
      }
      e += 4 + len;
    }
    entries.push({ name, method, flags, compressedSize, uncompressedSize, localHeaderOffset });
    p += 46 + nameLen + extraLen + commentLen;
  }
  if (cdOffset + cdSize > eocdAbs) throw new ZipError("truncated", "the central directory overlaps its end record");
  return entries;
}

/** A per-read budget of inflated bytes shared by the parts read through it. */
export class InflateBudget {
  used = 0;
  constructor(readonly limit: number) {}
  add(n: number, part: string): void {
    this.used += n;
    if (this.used > this.limit) {
      throw new XlsxOpenError(
        "too_large",
        `inflating the workbook gives more than ${this.limit} bytes (a decompression bomb?)`,
        part,
      );
    }
  }
}

// Compressed bytes go to fflate in slices this small so that one push can inflate at most
// ~1 000 × it (deflate's best ratio) before the budget is checked again.
const SLICE = 16 * 1024;
const READ = 128 * 1024;

/**
 * The inflated bytes of one entry, chunk by chunk. Counts them against the budget (throws
 * XlsxOpenError("too_large") as soon as it is passed) and throws ZipError("truncated") when the
 * data ends early.
 */
export async function* inflateEntry(fh: FileHandle, fileSize: number, entry: ZipEntry, budget: InflateBudget): AsyncGenerator<Uint8Array> {
  if (entry.flags & 1) throw new ZipError("encrypted", `${entry.name} is encrypted`);
  if (entry.method !== 0 && entry.method !== 8) {
    throw new ZipError("truncated", `${entry.name}: unsupported compression method ${entry.method}`);
  }
  // One read for the local header and the first data: a small part costs one trip to the disk
  // (the header's name and extra field are guessed generously; a longer one costs a second read).
  const guess = 30 + entry.name.length * 3 + 256;
  const first = await readAt(fh, entry.localHeaderOffset, Math.min(guess + Math.min(READ, entry.compressedSize), Math.max(0, fileSize - entry.localHeaderOffset)));
  if (first.length < 30 || first.readUInt32LE(0) !== SIG_LOCAL) {
    throw new ZipError("truncated", `${entry.name}: local header missing`);
  }
  const dataStart = 30 + first.readUInt16LE(26) + first.readUInt16LE(28);
  let pos = entry.localHeaderOffset + dataStart;
  const end = pos + entry.compressedSize;
  if (end > fileSize) throw new ZipError("truncated", `${entry.name}: data runs past the end of the file`);
  let pending: Buffer | null = dataStart < first.length ? first.subarray(dataStart, Math.min(first.length, dataStart + entry.compressedSize)) : null;
  const out: Uint8Array[] = [];
  let finished = false;
  const inflater = entry.method === 8 ? new Inflate((chunk, final) => {
    if (chunk.length) {
      budget.add(chunk.length, entry.name);
      out.push(chunk);
    }
    if (final) finished = true;
  }) : null;
  const push = (chunk: Uint8Array, last: boolean): void => {
    try {
      inflater!.push(chunk, last);
    } catch (err) {
      if (err instanceof XlsxOpenError) throw err;
      throw new ZipError("truncated", `${entry.name}: ${(err as Error).message}`);
    }
  };
  while (pos < end) {
    let buf: Buffer;
    if (pending && pending.length) {
      buf = pending;
      pending = null;
    } else {
      const want = Math.min(READ, end - pos);
      // a fresh buffer each time: fflate keeps a reference to unconsumed input between pushes
      const fresh = Buffer.allocUnsafe(want);
      const { bytesRead } = await fh.read(fresh, 0, want, pos);
      if (bytesRead === 0) throw new ZipError("truncated", `${entry.name}: data cut short`);
      buf = fresh.subarray(0, bytesRead);
    }
    const n = buf.length;
    pos += n;
    if (!inflater) {
      budget.add(n, entry.name);
      yield buf;
      continue;
    }
    for (let s = 0; s < n; s += SLICE) {
      const last = pos >= end && s + SLICE >= n;
      push(buf.subarray(s, Math.min(s + SLICE, n)), last);
      while (out.length) yield out.shift()!;
    }
  }
  if (inflater && !finished) {
    // an empty stored entry pushes nothing; a deflated one must have reached its final block
    if (entry.compressedSize === 0) push(new Uint8Array(0), true);
    if (!finished) throw new ZipError("truncated", `${entry.name}: compressed data ends early`);
  }
  while (out.length) yield out.shift()!;
}

/** A zip file opened for reading entries by name (case-insensitively, as OPC part names are). */
export class ZipFile {
  private constructor(
    readonly fh: FileHandle,
    readonly size: number,
    readonly entries: Map<string, ZipEntry>,
  ) {}

  /** Opens the zip; with `maxBytes`, a larger file is refused before anything is read. */
  static async open(path: string, maxBytes = Infinity): Promise<ZipFile> {
    const fh = await open(path, "r");
    try {
      const { size } = await fh.stat();
      if (size > maxBytes) throw new XlsxOpenError("too_large", `file is ${size} bytes, over the limit of ${maxBytes}`);
      const list = await readCentralDirectory(fh, size);
      const entries = new Map<string, ZipEntry>();
      for (const e of list) entries.set(e.name.replace(/^\//, "").toLowerCase(), e);
      return new ZipFile(fh, size, entries);
    } catch (err) {
      await fh.close();
      throw err;
    }
  }

  get(name: string): ZipEntry | undefined {
    return this.entries.get(name.replace(/^\//, "").toLowerCase());
  }

  inflate(entry: ZipEntry, budget: InflateBudget): AsyncGenerator<Uint8Array> {
    return inflateEntry(this.fh, this.size, entry, budget);
  }

  close(): Promise<void> {
    return this.fh.close();
  }
}
