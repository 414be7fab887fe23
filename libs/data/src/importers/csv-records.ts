import { setImmediate as nextTurn } from 'node:timers/promises';
import { PayloadTooLarge } from '@seqcast/core';

/** Limits on one CSV record, in UTF-8 bytes; a record over either is refused while reading. */
export interface CsvLimits {
  maxFieldBytes?: number;
  maxLineBytes?: number;
}

/** Text parsed between two turns given back to the event loop (so /health answers meanwhile). */
const TURN_CHARS = 1 << 20;

/**
 * UTF-8 size of `s`, but only worked out when it can matter: a string's UTF-16 length is at
 * most its UTF-8 size, which is at most three times that length.
 */
function over(s: string, limit: number): boolean {
  if (s.length > limit) return true;
  return s.length * 3 > limit && Buffer.byteLength(s) > limit;
}

/**
 * The record that broke a limit, named by data row (1-based, not counting the header) and
 * column (its header name once known, else its 1-based position).
 */
class RecordLimits {
  private header: string[] | undefined;
  private records = 0;
  constructor(private readonly limits: Required<CsvLimits>) {}

  /** Where column `j` of the record being read is: the header, or the data row after the last one done. */
  private where(j: number): { row?: number; column: string; at: string } {
    const column = this.header?.[j]?.trim() || String(j + 1);
    if (!this.header) return { column, at: `header, column ${column}` };
    const row = this.records + 1;
    return { row, column, at: `row ${row}, column ${column}` };
  }

  /** Checks a whole record's fields; the first record is kept as the header. */
  done(fields: string[], delimiter: string): void {
    const j = fields.findIndex((f) => over(f, this.limits.maxFieldBytes));
    if (j >= 0) this.fieldTooLong(j);
    let chars = fields.length - 1;
    for (const f of fields) chars += f.length;
    // joined only when its size could pass the limit (see `over`)
    if (chars * 3 > this.limits.maxLineBytes && over(fields.join(delimiter), this.limits.maxLineBytes))
      this.lineTooLong(fields.length - 1);
    if (!this.header) this.header = fields;
    else this.records++;
  }

  /**
   * Checks the unfinished record at the end of what has been read: its last field, found
   * cheaply from the last delimiter, and the whole of it against the line limit.
   */
  pending(tail: string, delimiter: string): void {
    const last = tail.slice(tail.lastIndexOf(delimiter) + 1);
    if (over(last, this.limits.maxFieldBytes) || over(tail, this.limits.maxLineBytes)) {
      // Reading stops here, so a full parse of what is held costs once.
      const fields = parseQuoted(tail, 0, delimiter, true)?.fields ?? [tail];
      const j = fields.findIndex((f) => over(f, this.limits.maxFieldBytes));
      if (j >= 0) this.fieldTooLong(j);
      // the raw last field counts its quotes and doubled quotes, so it may have been a false alarm
      if (over(tail, this.limits.maxLineBytes)) this.lineTooLong(fields.length - 1);
    }
  }

  private lineTooLong(j: number): never {
    const { row, column, at } = this.where(j);
    const reason = `line longer than ${this.limits.maxLineBytes} bytes (CSV_MAX_LINE_BYTES)`;
    throw new PayloadTooLarge(`CSV ${at}: ${reason}`, [{ row, column, reason }]);
  }

  private fieldTooLong(j: number): never {
    const { row, column, at } = this.where(j);
    const reason = `field longer than ${this.limits.maxFieldBytes} bytes (CSV_MAX_FIELD_BYTES)`;
    throw new PayloadTooLarge(`CSV ${at}: ${reason}`, [{ row, column, reason }]);
  }
}

/**
 * RFC 4180 records from text chunks: quoted fields may hold delimiters, doubled quotes
 * and line breaks. Lines without a quote, the common case, take a fast path through
 * `split`. A field or record over `limits` stops the reading with a 413 naming its row and
 * column, before the rest is read: an unfinished record is carried (and re-parsed) from
 * chunk to chunk, so an unbounded one cost time growing with the square of its size.
 */
export async function* csvRecords(
  text: AsyncIterable<string>,
  delimiter = ',',
  limits: CsvLimits = {},
): AsyncGenerator<string[]> {
  const check = new RecordLimits({
    maxFieldBytes: limits.maxFieldBytes ?? Infinity,
    maxLineBytes: limits.maxLineBytes ?? Infinity,
  });
  let carry = '';
  let sinceTurn = 0;
  for await (const chunk of text) {
    const s = carry + chunk;
    let pos = 0;
    for (;;) {
      const nl = s.indexOf('\n', pos);
      if (nl < 0) break;
      let line = s.slice(pos, nl);
      if (line.indexOf('"') < 0) {
        if (line.endsWith('\r')) line = line.slice(0, -1);
        pos = nl + 1;
        if (line.length) {
          const fields = line.split(delimiter);
          check.done(fields, delimiter);
          yield fields;
        }
        continue;
      }
      const parsed = parseQuoted(s, pos, delimiter, false);
      if (!parsed) break; // the record continues in the next chunk
      pos = parsed.end;
      check.done(parsed.fields, delimiter);
      yield parsed.fields;
    }
    carry = s.slice(pos);
    check.pending(carry, delimiter);
    sinceTurn += chunk.length;
    if (sinceTurn >= TURN_CHARS) {
      sinceTurn = 0;
      await nextTurn();
    }
  }
  if (carry.length) {
    const parsed = parseQuoted(carry, 0, delimiter, true);
    if (parsed && !(parsed.fields.length === 1 && parsed.fields[0] === '')) {
      check.done(parsed.fields, delimiter);
      yield parsed.fields;
    }
  }
}

/** Parses one record starting at `pos`; null when the text ends inside it and more may come. */
function parseQuoted(
  s: string,
  pos: number,
  delimiter: string,
  final: boolean,
): { fields: string[]; end: number } | null {
  const fields: string[] = [];
  let field = '';
  let i = pos;
  let quoted = false;
  while (i < s.length) {
    const c = s[i];
    if (quoted) {
      if (c === '"') {
        if (s[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        if (i + 1 >= s.length && !final) return null;
        quoted = false;
        i++;
        continue;
      }
      field += c;
      i++;
      continue;
    }
    if (c === '"' && field.length === 0) {
      quoted = true;
      i++;
    } else if (c === delimiter) {
      fields.push(field);
      field = '';
      i++;
    } else if (c === '\n' || c === '\r') {
      fields.push(field);
      if (c === '\r' && s[i + 1] === '\n') i++;
      return { fields, end: i + 1 };
    } else {
      field += c;
      i++;
    }
  }
  if (!final) return null;
  fields.push(field);
  return { fields, end: i };
}
