// Excel's serial numbers for ISO dates, times and durations (cells of type t="d", written by
// strict OOXML and some converters). Shared by the ETL's reader and the fill's snapshot, which
// must read such a cell as the number Excel would have stored.
const DAY_MS = 86_400_000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}(?:\.\d+)?))?)?/;
// a time of day without a date ("14:30:00", "T14:30"), or elapsed hours past 24 ("36:00:00")
const ISO_TIME = /^T?(\d{1,6}):(\d{2})(?::(\d{2}(?:\.\d+)?))?(?:Z|[+-]\d{2}:?\d{2})?$/;
// an ISO 8601 duration in days, hours, minutes, seconds ("PT36H", "P1DT2H30M"); years and months
// have no fixed length in days, so those stay text (and a figure column then says so, loudly)
const ISO_DURATION = /^(-)?P(?:(\d+(?:\.\d+)?)W)?(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

/**
 * An ISO date, time or duration (`t="d"`, strict OOXML and some converters) as the serial number
 * Excel stores for it, read as wall-clock time like Excel does (null: not one of these). The 1900 system counts a
 * 29 February 1900 that never was (serial 60), so its dates before 1 March 1900 are one less
 * than a plain day count; a time alone is the fraction of a day, a duration its days.
 */
export function isoToSerial(s: string, date1904: boolean): number | null {
  const text = s.trim();
  const m = ISO_DATE.exec(text);
  if (m) {
    const ms = Date.UTC(+m[1], +m[2] - 1, +m[3], m[4] ? +m[4] : 0, m[5] ? +m[5] : 0, 0) + (m[6] ? +m[6] * 1000 : 0);
    // days from 1904-01-01 (1900 system: 1899-12-30) to 1970-01-01
    const serial = ms / DAY_MS + (date1904 ? 24107 : 25569);
    // before the epoch Excel has no date: left as text, never a negative serial
    if (serial < 0) return null;
    if (date1904) return serial;
    // 1899-12-30 (the epoch of LibreOffice and OLE dates) and 1899-12-31 (Excel's "0 January
    // 1900") with a time are that time alone
    if (serial < 1) return serial;
    return serial < 61 ? serial - 1 : serial;
  }
  const t = ISO_TIME.exec(text);
  if (t) return (+t[1] * 3600 + +t[2] * 60 + (t[3] ? +t[3] : 0)) / 86_400;
  const d = ISO_DURATION.exec(text);
  if (d && text !== "P" && !text.endsWith("T")) {
    const days = (d[2] ? +d[2] * 7 : 0) + (d[3] ? +d[3] : 0) + ((d[4] ? +d[4] : 0) * 3600 + (d[5] ? +d[5] : 0) * 60 + (d[6] ? +d[6] : 0)) / 86_400;
    return d[1] ? -days : days;
  }
  return null;
}
