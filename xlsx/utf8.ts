// UTF-8 bytes as text, for both readers of the toolkit: the ETL's reader refuses bytes that are not
// UTF-8 (fast.ts), the fill's package reads them as TextDecoder does (package.ts). Validation
// (isUtf8) and ICU's transcoding to UTF-16 run at memory speed, where V8's decoder reads a
// character at a time: about half TextDecoder's cost on a sheet's mostly ASCII, partly Vietnamese
// XML. An all-ASCII text is copied as Latin-1 (a one-byte string, as TextDecoder gives).
import { isAscii, isUtf8, transcode } from "node:buffer";

/** The text of UTF-8 bytes, or null when they are not UTF-8 (TextDecoder({ fatal: true }) would throw). */
export function strictUtf8(bytes: Uint8Array): string | null {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
  if (isAscii(b)) return b.toString("latin1");
  if (!isUtf8(b)) return null;
  return transcode(b, "utf8", "utf16le").toString("utf16le");
}

/** The text exactly as TextDecoder("utf-8") gives it: a byte-order mark dropped, bytes that are not UTF-8 made U+FFFD. */
export function decodeUtf8(bytes: Uint8Array): string {
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return new TextDecoder("utf-8").decode(bytes);
  return strictUtf8(bytes) ?? new TextDecoder("utf-8").decode(bytes);
}
