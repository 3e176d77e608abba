// Draws the add-in's icons (a green sheet with table lines, the appendices' look) as PNGs at the
// sizes the manifest asks for. Run once: `npx tsx addin/assets/make-icons.ts`; the PNGs are
// committed, so the build needs nothing but this folder.
import { writeFileSync } from "node:fs";
import { deflateSync } from "node:zlib";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { crc32 } from "../../xlsx/package.js"; // a PNG chunk's CRC is the zip one

function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, "ascii"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}

/** RGBA pixels → PNG bytes (8-bit RGBA, no interlace). */
export function encodePng(size: number, rgba: Uint8Array): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // RGBA
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0; // filter: none
    Buffer.from(rgba.buffer, rgba.byteOffset + y * size * 4, size * 4).copy(raw, y * (size * 4 + 1) + 1);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", ihdr),
    chunk("IDAT", deflateSync(raw)),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

export function drawIcon(size: number): Uint8Array {
  const px = new Uint8Array(size * size * 4);
  const green = [0x21, 0x73, 0x46, 255];
  const white = [255, 255, 255, 255];
  const m = Math.max(1, Math.round(size / 16)); // margin
  const r = Math.max(1, Math.round(size / 8)); // corner radius
  const line = Math.max(1, Math.round(size / 16));
  const set = (x: number, y: number, c: number[]) => px.set(c, (y * size + x) * 4);
  for (let y = m; y < size - m; y++) {
    for (let x = m; x < size - m; x++) {
      const cx = Math.min(Math.max(x, m + r), size - m - r - 1);
      const cy = Math.min(Math.max(y, m + r), size - m - r - 1);
      if ((x - cx) ** 2 + (y - cy) ** 2 <= r * r) set(x, y, green);
    }
  }
  // a table: a header band and three row lines, one column line
  const inner = m + Math.round(size / 5);
  const right = size - inner;
  for (let x = inner; x < right; x++) {
    for (let t = 0; t < line * 2; t++) set(x, inner + t, white);
    for (const f of [0.5, 0.65, 0.8]) for (let t = 0; t < line; t++) set(x, Math.round(size * f) + t, white);
  }
  const col = Math.round(size * 0.42);
  for (let y = inner; y < Math.round(size * 0.8) + line; y++) for (let t = 0; t < line; t++) set(col + t, y, white);
  return px;
}

const here = dirname(fileURLToPath(import.meta.url));
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  for (const size of [16, 32, 64, 80]) {
    writeFileSync(join(here, `icon-${size}.png`), encodePng(size, drawIcon(size)));
  }
  console.log("icons written to", here);
}
