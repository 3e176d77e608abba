// The zip layer of the fast reader: the central directory read by hand (it is a few fixed-size
// records), entries inflated STREAMING with Node's zlib so that no part larger than one chunk is
// ever held whole (a small part is inflated at once, never past the size it states), and every
// inflated byte counted so that a decompression bomb stops at the limit instead of eating memory.
import { open, type FileHandle } from "node:fs/promises";
import { Readable } from "node:stream";
import { createInflateRaw, inflateRawSync, type ZlibOptions } from "node:zlib";
import { XlsxInvalidError, XlsxOpenError } from "./types.js";

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

/** A read the central directory needs: `len` bytes at `pos` (fewer when the file ends first). */
type Need = [pos: number, len: number];

/**
 * The central directory of a zip of `fileSize` bytes, as steps: each yield asks for bytes, so that
 * the file reader (async, by file handle) and the fill's package (sync, bytes in memory) share
 * this one reading of it. Throws ZipError("truncated") when it is missing or cut short.
 */
function* centralDirectorySteps(fileSize: number): Generator<Need, ZipEntry[], Buffer> {
  const tailLen = Math.min(fileSize, MAX_EOCD_SEARCH);
  const tail = yield [fileSize - tailLen, tailLen];
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
    const loc = eocd >= 20 ? tail.subarray(eocd - 20, eocd) : yield [eocdAbs - 20, 20];
    if (loc.length < 20 || loc.readUInt32LE(0) !== SIG_EOCD64_LOCATOR) {
      throw new ZipError("truncated", "zip64 locator missing");
    }
    const rec = yield [Number(loc.readBigUInt64LE(8)), 56];
    if (rec.length < 56 || rec.readUInt32LE(0) !== SIG_EOCD64) throw new ZipError("truncated", "zip64 end record missing");
    count = Number(rec.readBigUInt64LE(32));
    cdSize = Number(rec.readBigUInt64LE(40));
    cdOffset = Number(rec.readBigUInt64LE(48));
  }
  if (cdOffset + cdSize > fileSize) throw new ZipError("truncated", "the central directory lies past the end of the file");
  // the directory is usually inside the tail already read
  const tailStart = fileSize - tailLen;
  const cd = cdOffset >= tailStart ? tail.subarray(cdOffset - tailStart, cdOffset - tailStart + cdSize) : yield [cdOffset, cdSize];
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

/** Reads the central directory of a file; throws ZipError("truncated") when it is missing or cut short. */
export async function readCentralDirectory(fh: FileHandle, fileSize: number): Promise<ZipEntry[]> {
  const steps = centralDirectorySteps(fileSize);
  for (let r = steps.next(); ; ) {
    if (r.done) return r.value;
    r = steps.next(await readAt(fh, r.value[0], Math.max(0, r.value[1])));
  }
}

/** The same, of a zip in memory. */
export function centralDirectoryOf(bytes: Uint8Array): ZipEntry[] {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
  const steps = centralDirectorySteps(buf.length);
  for (let r = steps.next(); ; ) {
    if (r.done) return r.value;
    const [pos, len] = r.value;
    r = steps.next(pos < 0 ? Buffer.alloc(0) : buf.subarray(pos, pos + Math.max(0, len)));
  }
}

/** Where an entry's data starts, from its local header (`head`: the bytes from the header on). */
export function dataOffset(entry: ZipEntry, head: Uint8Array): number {
  if (head.length < 30 || head[0] !== 0x50 || head[1] !== 0x4b || head[2] !== 3 || head[3] !== 4) {
    throw new ZipError("truncated", `${entry.name}: local header missing`);
  }
  return 30 + (head[26] | (head[27] << 8)) + (head[28] | (head[29] << 8));
}

/**
 * What an entry must be for the toolkit to read it: not encrypted, stored or deflated. Throws
 * ZipError otherwise (the reader and the fill's package refuse the same entries).
 */
export function checkEntry(entry: ZipEntry): void {
  if (entry.flags & 1) throw new ZipError("encrypted", `${entry.name} is encrypted`);
  if (entry.method !== 0 && entry.method !== 8) {
    throw new ZipError("truncated", `${entry.name}: unsupported compression method ${entry.method}`);
  }
}

/**
 * The entries keyed by part name (partKey); two entries of one name are refused: which one a
 * reader takes is a guess (zip tools differ), so the file is refused rather than read with "the
 * last one wins".
 */
export function entriesByPart(list: ZipEntry[]): Map<string, ZipEntry> {
  const entries = new Map<string, ZipEntry>();
  for (const e of list) {
    const key = partKey(e.name);
    if (entries.has(key)) throw new XlsxInvalidError(`the zip holds the part "${e.name}" twice`, `tệp nén chứa phần "${e.name}" hai lần`);
    entries.set(key, e);
  }
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

// Compressed bytes are read in slices of this size; Node's own zlib inflates them (native code,
// on libuv's thread pool, so inflating overlaps the scanning of the previous chunk — about four
// times faster than inflating in JavaScript), in output chunks of INFLATED bytes at most. Each
// chunk costs a round trip through the stream, the thread pool and the reader's decoding and
// scanning calls: 256 KB chunks took a fifth less CPU for the whole read than 64 KB ones, and a
// decompression bomb still stops within a chunk of the limit.
const READ = 128 * 1024;
const INFLATED = 256 * 1024;
// How far the inflater may run ahead of its reader: four chunks. With the stream's default (16 KB,
// less than one chunk) zlib inflated the next chunk only once the last was taken, and the reader
// waited for zlib's thread between chunks (the reader alone over the bench subset: 1.59 -> 1.29 s
// wall, five alternated cold runs; the floor's inflate, which waits anyway, no faster). Still a
// bound: a decompression bomb holds at most this much inflated beyond what the budget counted.
const AHEAD = 4 * INFLATED;

/**
 * The inflated bytes of one entry, chunk by chunk. Counts them against the budget (throws
 * XlsxOpenError("too_large") as soon as it is passed — the stream's back-pressure keeps the
 * inflater at most AHEAD bytes ahead, so a decompression bomb stops at the limit) and throws
 * ZipError("truncated") when the data ends early or is not valid deflate.
 */
export async function* inflateEntry(fh: FileHandle, fileSize: number, entry: ZipEntry, budget: InflateBudget): AsyncGenerator<Uint8Array> {
  checkEntry(entry);
  // One read for the local header and the first data: a small part costs one trip to the disk
  // (the header's name and extra field are guessed generously; a longer one costs a second read).
  const guess = 30 + entry.name.length * 3 + 256;
  const first = await readAt(fh, entry.localHeaderOffset, Math.min(guess + Math.min(READ, entry.compressedSize), Math.max(0, fileSize - entry.localHeaderOffset)));
  const dataStart = dataOffset(entry, first);
  const start = entry.localHeaderOffset + dataStart;
  const end = start + entry.compressedSize;
  if (end > fileSize) throw new ZipError("truncated", `${entry.name}: data runs past the end of the file`);
  const head = dataStart < first.length ? first.subarray(dataStart, Math.min(first.length, dataStart + entry.compressedSize)) : null;

  // A small part whole in that first read (the rels, the workbook, the styles, most shared
  // strings) is inflated at once, into one chunk no larger than the stream's: a stream, its pipe
  // and a trip to zlib's thread per part were about a sixth of the reader's time over the bench's
  // files, spent waiting. Never more than the entry says it holds (at most one chunk): a part that
  // inflates to more, whatever its header claims, goes the streaming way below, chunk by counted chunk.
  if (entry.method !== 0 && head && head.length === entry.compressedSize && entry.uncompressedSize <= INFLATED) {
    const whole = inflateSmall(entry, head);
    if (whole) {
      if (whole.length) {
        budget.add(whole.length, entry.name);
        yield whole;
      }
      return;
    }
  }

  async function* raw(): AsyncGenerator<Buffer> {
    let pos = start;
    if (head && head.length) {
      pos += head.length;
      yield head;
    }
    while (pos < end) {
      const want = Math.min(READ, end - pos);
      // a fresh buffer each time: the consumer may still hold the previous one
      const fresh = Buffer.allocUnsafe(want);
      const { bytesRead } = await fh.read(fresh, 0, want, pos);
      if (bytesRead === 0) throw new ZipError("truncated", `${entry.name}: data cut short`);
      pos += bytesRead;
      yield fresh.subarray(0, bytesRead);
    }
  }

  if (entry.method === 0) {
    for await (const buf of raw()) {
      budget.add(buf.length, entry.name);
      yield buf;
    }
    return;
  }
  const source = Readable.from(raw(), { objectMode: false });
  // (zlib's streams take the stream options with their own: readableHighWaterMark is the Transform's)
  const inflater = createInflateRaw({ chunkSize: INFLATED, readableHighWaterMark: AHEAD } as ZlibOptions);
  let sourceError: unknown = null;
  source.on("error", (e) => {
    sourceError = e;
    inflater.destroy(e);
  });
  source.pipe(inflater);
  try {
    for await (const chunk of inflater as AsyncIterable<Buffer>) {
      budget.add(chunk.length, entry.name);
      yield chunk;
    }
  } catch (err) {
    if (sourceError) throw sourceError;
    if (err instanceof XlsxOpenError || err instanceof ZipError) throw err;
    // zlib: "unexpected end of file" (cut short), "invalid block type", … — a damaged entry
    throw new ZipError("truncated", `${entry.name}: ${(err as Error).message}`);
  } finally {
    source.destroy();
    inflater.destroy();
  }
}

/** A small entry's data inflated in one call, or null when it holds more than it says (then streamed). */
function inflateSmall(entry: ZipEntry, data: Buffer): Buffer | null {
  try {
    return inflateRawSync(data, { maxOutputLength: Math.max(1, entry.uncompressedSize) });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ERR_BUFFER_TOO_LARGE") return null;
    // as the stream says it: "unexpected end of file" (cut short), "invalid block type", …
    throw new ZipError("truncated", `${entry.name}: ${(err as Error).message}`);
  }
}

/**
 * The key an entry is found by: OPC part names compare case-insensitively, a leading "/" is not
 * part of the name, and some writers (older .NET and Windows tools) store "xl\workbook.xml" with
 * backslashes, which Excel opens as "xl/workbook.xml".
 */
export function partKey(name: string): string {
  return name.replace(/\\/g, "/").replace(/^\//, "").toLowerCase();
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
      return new ZipFile(fh, size, entriesByPart(await readCentralDirectory(fh, size)));
    } catch (err) {
      await fh.close();
      throw err;
    }
  }

  get(name: string): ZipEntry | undefined {
    return this.entries.get(partKey(name));
  }

  inflate(entry: ZipEntry, budget: InflateBudget): AsyncGenerator<Uint8Array> {
    return inflateEntry(this.fh, this.size, entry, budget);
  }

  close(): Promise<void> {
    return this.fh.close();
  }
}
