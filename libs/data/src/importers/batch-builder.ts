import {
  Field,
  Float64,
  Int32,
  RecordBatch,
  Schema,
  Struct,
  TimestampMillisecond,
  Utf8,
  makeData,
} from 'apache-arrow';
import { parseTimestamp } from '../time/parse-timestamp';
import { IssueCollector, checkColumnCount } from '../validation/issues';

/** How a text or JSON column is stored in Arrow. */
export type ColumnKind = 'number' | 'timestamp' | 'string' | 'integer';

export interface ColumnSpec {
  name: string;
  kind: ColumnKind;
}

export type RawValue = string | number | boolean | null | undefined;

const NAN_TEXT = new Set(['nan', 'NaN', 'NAN']);
const MISSING_TEXT = new Set(['', 'NA', 'N/A', 'null', 'NULL', '?']);

/** Milliseconds as int64 slots, written as two 32-bit words (no BigInt per row). */
function int64Of(src: Float64Array): BigInt64Array {
  const words = new Int32Array(src.length * 2);
  for (let i = 0; i < src.length; i++) {
    const x = src[i] === src[i] ? Math.round(src[i]) : 0;
    const hi = Math.floor(x / 4294967296);
    words[2 * i] = x - hi * 4294967296;
    words[2 * i + 1] = hi;
  }
  return new BigInt64Array(words.buffer);
}

/** A Utf8 column from JS strings; repeated values (keys, categories) are encoded once. */
function utf8Data(values: (string | null)[], n: number) {
  const cache = new Map<string, Buffer>();
  const encoded: (Buffer | null)[] = new Array(n);
  let bytes = 0;
  let nulls = 0;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (v === null || v === undefined) {
      encoded[i] = null;
      nulls++;
      continue;
    }
    let b = cache.get(v);
    if (!b) {
      b = Buffer.from(v, 'utf8');
      if (cache.size < 100_000) cache.set(v, b);
    }
    encoded[i] = b;
    bytes += b.length;
  }
  const data = new Uint8Array(bytes);
  const offsets = new Int32Array(n + 1);
  const bitmap = new Uint8Array(((n + 63) >> 6) << 3);
  let at = 0;
  for (let i = 0; i < n; i++) {
    const b = encoded[i];
    if (b) {
      data.set(b, at);
      at += b.length;
      bitmap[i >> 3] |= 1 << (i & 7);
    }
    offsets[i + 1] = at;
  }
  return makeData({
    type: new Utf8(),
    length: n,
    nullCount: nulls,
    nullBitmap: nulls ? bitmap : null,
    valueOffsets: offsets,
    data,
  });
}

/** A number from text: NaN and infinity literals are values (the NaN policy judges them); undefined when not a number. */
export function parseNumber(text: string): number | undefined {
  const v = Number(text);
  if (v === v && text.trim() !== '') return v;
  if (NAN_TEXT.has(text)) return NaN;
  const lower = text.toLowerCase();
  if (lower === 'inf' || lower === '+inf' || lower === 'infinity') return Infinity;
  if (lower === '-inf' || lower === '-infinity') return -Infinity;
  return undefined;
}

export function isMissingText(text: string): boolean {
  return MISSING_TEXT.has(text.trim());
}

/** Guesses a column's kind from sample values: number, then timestamp, else string. */
export function inferKind(samples: RawValue[]): ColumnKind {
  let numbers = 0;
  let stamps = 0;
  let any = 0;
  for (const v of samples) {
    if (v === null || v === undefined || (typeof v === 'string' && isMissingText(v))) continue;
    any++;
    if (typeof v === 'number') numbers++;
    else if (typeof v === 'string' && parseNumber(v) !== undefined) numbers++;
    else if (typeof v === 'string' && parseTimestamp(v) === parseTimestamp(v)) stamps++;
  }
  if (any === 0) return 'number';
  // A majority decides, so a few bad cells are reported by row rather than turning the column into text.
  if (numbers * 2 >= any && numbers > 0) return 'number';
  if (stamps * 2 >= any && stamps > 0) return 'timestamp';
  return 'string';
}

export function arrowType(kind: ColumnKind) {
  switch (kind) {
    case 'number':
      return new Float64();
    case 'integer':
      return new Int32();
    case 'timestamp':
      return new TimestampMillisecond('UTC');
    default:
      return new Utf8();
  }
}

export function schemaOf(columns: ColumnSpec[]): Schema {
  return new Schema(columns.map((c) => new Field(c.name, arrowType(c.kind), true)));
}

/**
 * Turns rows of text or JSON values into Arrow record batches of fixed-width columns.
 * A cell that cannot be read as its column's kind is reported with its row and column
 * and stored as null, so the upload fails with every such cell named.
 */
export class BatchBuilder {
  readonly schema: Schema;
  private numbers: Float64Array[] = [];
  private valid: Uint8Array[] = [];
  private strings: (string | null)[][] = [];
  private n = 0;
  private row = 0;

  constructor(
    readonly columns: ColumnSpec[],
    private readonly issues: IssueCollector,
    // Each batch is validated in one synchronous pass: 16 Ki rows keep that to a few ms.
    readonly batchSize = 16_384,
  ) {
    // Checked here, not only by the validator later: every numeric column takes a
    // batchSize buffer now, so a header of a million names would take 128 GB first.
    checkColumnCount(columns.length);
    this.schema = schemaOf(columns);
    this.reset();
  }

  private reset(): void {
    this.numbers = this.columns.map((c) =>
      c.kind === 'string' ? new Float64Array(0) : new Float64Array(this.batchSize),
    );
    this.valid = this.columns.map(() => new Uint8Array(this.batchSize));
    this.strings = this.columns.map(() => []);
    this.n = 0;
  }

  get length(): number {
    return this.n;
  }

  /** Adds one row (values in column order); returns a batch when one is full. */
  push(values: RawValue[]): RecordBatch | null {
    this.row++;
    const i = this.n++;
    for (let j = 0; j < this.columns.length; j++) this.set(j, i, values[j]);
    return this.n >= this.batchSize ? this.flush() : null;
  }

  private set(j: number, i: number, v: RawValue): void {
    const col = this.columns[j];
    const missing = v === null || v === undefined || (typeof v === 'string' && isMissingText(v));
    if (col.kind === 'string') {
      this.strings[j][i] = missing ? null : String(v);
      return;
    }
    if (missing) return; // valid[i] stays 0
    let x: number | undefined;
    if (col.kind === 'timestamp') {
      x = typeof v === 'number' ? v : typeof v === 'string' ? parseTimestamp(v) : NaN;
      if (x !== x) {
        this.issues.add(this.row, col.name, `unparseable timestamp '${String(v)}'`);
        return;
      }
    } else {
      x = typeof v === 'number' ? v : typeof v === 'boolean' ? Number(v) : parseNumber(v as string);
      if (x === undefined) {
        this.issues.add(this.row, col.name, `wrong type: '${String(v)}' is not a number`);
        return;
      }
      if (col.kind === 'integer' && !Number.isInteger(x)) {
        this.issues.add(this.row, col.name, `wrong type: '${String(v)}' is not an integer`);
        return;
      }
    }
    this.numbers[j][i] = x;
    this.valid[j][i] = 1;
  }

  flush(): RecordBatch | null {
    const n = this.n;
    if (n === 0) return null;
    const children = this.columns.map((c, j) => {
      const type = arrowType(c.kind);
      if (c.kind === 'string') return utf8Data(this.strings[j], n);
      const bitmap = new Uint8Array(((n + 63) >> 6) << 3);
      let nulls = 0;
      const ok = this.valid[j];
      for (let i = 0; i < n; i++) {
        if (ok[i]) bitmap[i >> 3] |= 1 << (i & 7);
        else nulls++;
      }
      const src = this.numbers[j].subarray(0, n);
      const data =
        c.kind === 'timestamp'
          ? int64Of(src)
          : c.kind === 'integer'
            ? Int32Array.from(src)
            : Float64Array.from(src);
      return makeData({
        type: type as never,
        length: n,
        nullCount: nulls,
        nullBitmap: nulls ? bitmap : null,
        data,
      } as never);
    });
    this.reset();
    return new RecordBatch(
      this.schema,
      makeData({
        type: new Struct(this.schema.fields),
        length: n,
        nullCount: 0,
        children: children as never,
      }),
    );
  }
}
