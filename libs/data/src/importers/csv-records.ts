import { PayloadTooLarge, TURN_CHARS, Turns } from '@seqcast/core';

/** Limits on one CSV record, in UTF-8 bytes; a record over either is refused while reading. */
export interface CsvLimits {
  maxFieldBytes?: number;
  maxLineBytes?: number;
}

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
      if (tail.indexOf('"') < 0) return this.pendingPlain(tail, delimiter);
      // Reading stops here, so a full parse of what is held costs once.
      const fields = parseQuoted(tail, 0, delimiter, true)?.fields ?? [tail];
      const j = fields.findIndex((f) => over(f, this.limits.maxFieldBytes));
      if (j >= 0) this.fieldTooLong(j);
      // the raw last field counts its quotes and doubled quotes, so it may have been a false alarm
      if (over(tail, this.limits.maxLineBytes)) this.lineTooLong(fields.length - 1);
    }
  }

  /**
   * `pending` for a record without quotes: its fields are found with indexOf and only sized,
   * not split out (a 4 MB line of short fields was two million strings to collect).
   */
  private pendingPlain(tail: string, delimiter: string): void {
    let j = 0;
    for (let from = 0; ; j++) {
      const to = tail.indexOf(delimiter, from);
      const end = to < 0 ? tail.length : to;
      if (
        end - from > this.limits.maxFieldBytes / 3 &&
        over(tail.slice(from, end), this.limits.maxFieldBytes)
      )
        this.fieldTooLong(j);
      if (to < 0) break;
      from = to + 1;
    }
    if (over(tail, this.limits.maxLineBytes)) this.lineTooLong(j);
  }

  /** `pending` for an open record, whose sizes tell without reading it whether a limit may be passed. */
  pendingOpen(open: OpenRecord, delimiter: string): void {
    if (open.lastFieldBytes > this.limits.maxFieldBytes || open.bytes > this.limits.maxLineBytes)
      this.pending(open.text(), delimiter);
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
 * The unfinished record at the end of the text read so far, kept as pieces with its UTF-8
 * size and its last field's: a chunk without a line end cannot finish it, so it is appended
 * for the cost of the chunk. Rejoining and rescanning it for every chunk instead made a 4 MB
 * line sent in 1 KB pieces cost 4 000 scans of megabytes (tens of seconds of CPU).
 */
class OpenRecord {
  private parts: string[];
  bytes: number;
  /** Upper bound: counted from the last delimiter, which may sit inside quotes. */
  lastFieldBytes: number;

  constructor(
    text: string,
    private readonly delimiter: string,
  ) {
    this.parts = [text];
    this.bytes = Buffer.byteLength(text);
    const d = text.lastIndexOf(delimiter);
    this.lastFieldBytes = d < 0 ? this.bytes : Buffer.byteLength(text.slice(d + 1));
  }

  add(chunk: string): void {
    this.parts.push(chunk);
    const bytes = Buffer.byteLength(chunk);
    this.bytes += bytes;
    const d = chunk.lastIndexOf(this.delimiter);
    this.lastFieldBytes = d < 0 ? this.lastFieldBytes + bytes : Buffer.byteLength(chunk.slice(d + 1));
  }

  text(): string {
    const t = this.parts.join('');
    this.parts = [t];
    return t;
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
  let open = new OpenRecord('', delimiter);
  // a turn for the event loop every TURN_CHARS of text, so /health answers meanwhile
  const turns = new Turns(TURN_CHARS);
  for await (const chunk of text) {
    if (chunk.indexOf('\n') < 0) {
      open.add(chunk);
      check.pendingOpen(open, delimiter);
      await turns.add(chunk.length);
      continue;
    }
    const s = open.text() + chunk;
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
    const carry = s.slice(pos);
    check.pending(carry, delimiter);
    open = new OpenRecord(carry, delimiter);
    await turns.add(chunk.length);
  }
  const carry = open.text();
  if (carry.length) {
    const parsed = parseQuoted(carry, 0, delimiter, true);
    if (parsed && !(parsed.fields.length === 1 && parsed.fields[0] === '')) {
      check.done(parsed.fields, delimiter);
      yield parsed.fields;
    }
  }
}

/**
 * Parses one record starting at `pos`; null when the text ends inside it and more may come.
 * Runs of plain characters are taken as slices (found with indexOf inside quotes), not one
 * character at a time: a megabyte field was a million string appends.
 */
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
    if (quoted) {
      const q = s.indexOf('"', i);
      if (q < 0) {
        field += s.slice(i);
        i = s.length;
        break;
      }
      field += s.slice(i, q);
      if (s[q + 1] === '"') {
        field += '"';
        i = q + 2;
        continue;
      }
      if (q + 1 >= s.length && !final) return null;
      quoted = false;
      i = q + 1;
      continue;
    }
    const c = s[i];
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
      // up to the next delimiter or line end; a quote inside an unquoted field is plain text
      let j = i + 1;
      while (j < s.length) {
        const d = s[j];
        if (d === delimiter || d === '\n' || d === '\r') break;
        j++;
      }
      field += s.slice(i, j);
      i = j;
    }
  }
  if (!final) return null;
  fields.push(field);
  return { fields, end: i };
}
