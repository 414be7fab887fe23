import { Data, DataType, RecordBatch, Type, Vector } from 'apache-arrow';

/**
 * Maps series keys to dense integer ids while a dataset streams past. Long-format data
 * keeps a series' rows together, so each row is first compared with the previous one
 * (bytes for strings, the integer for integers) and a string is decoded only when the
 * key changes: that keeps a key column from dominating the cost of a 10M-row upload.
 */
export class KeyRegistry {
  readonly keys: string[] = [];
  private readonly ids = new Map<string, number>();

  idOf(key: string): number {
    let id = this.ids.get(key);
    if (id === undefined) {
      id = this.keys.length;
      this.keys.push(key);
      this.ids.set(key, id);
    }
    return id;
  }

  get size(): number {
    return this.keys.length;
  }

  has(key: string): boolean {
    return this.ids.has(key);
  }

  find(key: string): number | undefined {
    return this.ids.get(key);
  }
}

function isValid(data: Data, i: number): boolean {
  const bitmap = data.nullBitmap;
  if (!bitmap || bitmap.length === 0 || data.nullCount === 0) return true;
  const j = data.offset + i;
  return (bitmap[j >> 3] & (1 << (j & 7))) !== 0;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * A binary key as text: its UTF-8 reading when the bytes are valid UTF-8 (engines write
 * strings as binary when they do not know the encoding), else `0x` and lowercase hex, so
 * two different byte strings never name the same series.
 */
export function binaryText(bytes: Uint8Array): string {
  try {
    return utf8.decode(bytes);
  } catch {
    return `0x${Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex')}`;
  }
}

/** The raw value of a key cell as text (the key's identity), or null. */
export function keyText(vector: Vector, row: number): string | null {
  const v = vector.get(row) as unknown;
  if (v === null || v === undefined) return null;
  if (v instanceof Uint8Array) return binaryText(v);
  return String(v);
}

function sameBytes(a: Uint8Array, as: number, ae: number, b: Uint8Array, bs: number, be: number): boolean {
  const len = ae - as;
  if (len !== be - bs) return false;
  for (let k = 0; k < len; k++) if (a[as + k] !== b[bs + k]) return false;
  return true;
}

/** A LargeUtf8 batch's offsets as int32 words when every offset fits in 31 bits (else null: the generic path). */
function lowOffsets(data: Data): Int32Array | null {
  const o = data.valueOffsets as unknown as BigInt64Array;
  if (!o || o.byteOffset % 4 !== 0) return null;
  const words = new Int32Array(o.buffer, o.byteOffset, o.length * 2);
  return words[2 * data.length + 1] === 0 && words[2 * data.length] >= 0 ? words : null;
}

const aligned4 = (data: Data) => (data.values as Uint8Array).byteOffset % 4 === 0;

/**
 * Ids for a Utf8View or BinaryView column (what polars, DuckDB and recent pyarrow send).
 * Each row is a 16-byte view: the length, then up to 12 bytes inline, or a 4-byte prefix,
 * a buffer index and an offset. A row whose view equals the previous row's names the same
 * bytes; otherwise the bytes are compared with the previous key's, and decoded only when
 * they differ, as for Utf8.
 */
function viewIds(
  data: Data,
  out: Int32Array,
  at: number,
  idOf: (text: string) => number,
  binary: boolean,
): void {
  const views = data.values as Uint8Array;
  const n = data.length;
  const w = new Int32Array(views.buffer, views.byteOffset, n * 4);
  const buffers = data.variadicBuffers;
  const nulls = data.nullCount > 0;
  let pid = -1;
  let pb: Uint8Array = views;
  let ps = 0;
  let pe = 0;
  for (let i = 0; i < n; i++) {
    if (nulls && !isValid(data, i)) {
      out[at + i] = -1;
      pid = -1;
      continue;
    }
    const j = 4 * i;
    if (
      pid >= 0 &&
      i > 0 &&
      w[j] === w[j - 4] &&
      w[j + 1] === w[j - 3] &&
      w[j + 2] === w[j - 2] &&
      w[j + 3] === w[j - 1]
    ) {
      out[at + i] = pid;
      continue;
    }
    const len = w[j];
    let b: Uint8Array;
    let s: number;
    if (len <= 12) {
      b = views;
      s = 16 * i + 4;
    } else {
      b = buffers[w[j + 2]];
      s = w[j + 3];
    }
    const e = s + Math.max(0, len);
    if (pid < 0 || !sameBytes(b, s, e, pb, ps, pe)) {
      const bytes = b.subarray(s, e);
      pid = idOf(
        binary
          ? binaryText(bytes)
          : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8'),
      );
    }
    pb = b;
    ps = s;
    pe = e;
    out[at + i] = pid;
  }
}

/**
 * Rows [from, to) all hold the `len`-byte key that starts at `s`, given that row from - 1
 * does: each row is len bytes long and its bytes equal the row before it, which is one
 * memcmp of the whole range against itself shifted by one key (native, no per-row loop
 * over bytes).
 */
function sameRun(
  offsets: Int32Array,
  stride: number,
  buf: Buffer,
  len: number,
  from: number,
  to: number,
): boolean {
  for (let k = from; k < to; k++) if (offsets[(k + 1) * stride] - offsets[k * stride] !== len) return false;
  const a = offsets[from * stride];
  const b = offsets[to * stride];
  // A few bytes compare faster here than through a native call.
  if (b - a <= 64) return sameBytes(buf, a, b, buf, a - len, b - len);
  return buf.compare(buf, a, b, a - len, b - len) === 0;
}

/**
 * Ids for a Utf8 column without nulls, a run of equal keys at a time: long-format data
 * keeps each series' rows together, so the run from row i is found by galloping (1, 2, 4,
 * ... rows checked by sameRun) and a binary search in the last step, and filled with one
 * id; a key is decoded only where it differs from the previous run's.
 */
function utf8Runs(
  offsets: Int32Array,
  stride: number,
  buf: Buffer,
  n: number,
  out: Int32Array,
  at: number,
  idOf: (text: string) => number,
): void {
  let pid = -1;
  let ps = 0;
  let pe = 0;
  for (let i = 0; i < n;) {
    const s = offsets[i * stride];
    const e = offsets[(i + 1) * stride];
    const len = e - s;
    if (pid < 0 || !sameBytes(buf, s, e, buf, ps, pe)) pid = idOf(buf.toString('utf8', s, e));
    ps = s;
    pe = e;
    // Rows [i, end) are known to hold this key; grow by doubling, then bisect the failed step.
    let end = i + 1;
    let step = 1;
    while (end < n) {
      const to = Math.min(n, end + step);
      if (sameRun(offsets, stride, buf, len, end, to)) {
        end = to;
        step *= 2;
        continue;
      }
      let lo = end;
      let hi = to - 1; // the run ends somewhere in [lo, hi]
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (sameRun(offsets, stride, buf, len, lo, mid)) lo = mid;
        else hi = mid - 1;
      }
      end = lo;
      break;
    }
    out.fill(pid, at + i, at + end);
    i = end;
  }
}

/** Writes ids for one column into `out` (-1 for null keys), resolving text through `idOf`. */
function columnIds(
  vector: Vector,
  out: Int32Array,
  idOf: (text: string) => number,
  dictCache: WeakMap<object, Int32Array>,
): void {
  let at = 0;
  for (const data of vector.data) {
    const n = data.length;
    const type = data.type as DataType;
    const large = type.typeId === Type.LargeUtf8 && lowOffsets(data);
    if (type.typeId === Type.Utf8 || large) {
      // LargeUtf8 offsets are int64: their low words, stride 2, when the batch's bytes fit in 2^31.
      const offsets = large || (data.valueOffsets as Int32Array);
      const stride = large ? 2 : 1;
      const bytes = data.values as Uint8Array;
      const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      if (data.nullCount === 0) utf8Runs(offsets, stride, buf, n, out, at, idOf);
      else {
        let ps = -1;
        let pe = -1;
        let pid = -1;
        for (let i = 0; i < n; i++) {
          if (!isValid(data, i)) {
            out[at + i] = -1;
            pid = -1;
            continue;
          }
          const s = offsets[i * stride];
          const e = offsets[(i + 1) * stride];
          if (pid < 0 || !sameBytes(bytes, s, e, bytes, ps, pe)) pid = idOf(buf.toString('utf8', s, e));
          ps = s;
          pe = e;
          out[at + i] = pid;
        }
      }
    } else if ((type.typeId === Type.Utf8View || type.typeId === Type.BinaryView) && aligned4(data)) {
      viewIds(data, out, at, idOf, type.typeId === Type.BinaryView);
    } else if (type.typeId === Type.Dictionary && data.dictionary) {
      const dict = data.dictionary as Vector;
      let map = dictCache.get(dict);
      if (!map || map.length < dict.length) {
        const grown = new Int32Array(dict.length).fill(-2);
        if (map) grown.set(map);
        map = grown;
        dictCache.set(dict, map);
      }
      // One table lookup a row: the dictionary's entries are decoded once, on first use.
      const idx = data.values as ArrayLike<number | bigint>;
      const wide = idx instanceof BigInt64Array || idx instanceof BigUint64Array;
      const nulls = data.nullCount > 0;
      for (let i = 0; i < n; i++) {
        if (nulls && !isValid(data, i)) {
          out[at + i] = -1;
          continue;
        }
        const d = wide ? Number(idx[i]) : (idx[i] as number);
        let id = map[d];
        if (id === -2) {
          const text = keyText(dict, d);
          id = text === null ? -1 : idOf(text);
          map[d] = id;
        }
        out[at + i] = id;
      }
    } else if (type.typeId === Type.Int && (type as unknown as { bitWidth: number }).bitWidth <= 32) {
      const values = data.values as ArrayLike<number>;
      let prev = NaN;
      let pid = -1;
      for (let i = 0; i < n; i++) {
        if (!isValid(data, i)) {
          out[at + i] = -1;
          continue;
        }
        const v = values[i];
        if (v !== prev || pid < 0) pid = idOf(String(v));
        prev = v;
        out[at + i] = pid;
      }
    } else {
      // 64-bit integers, binary, booleans, large strings past 2 GiB a batch: the generic
      // path (every cell decoded; the registry looked up only when the key changes).
      let prev: string | null = null;
      let pid = -1;
      const single = new Vector([data]);
      for (let i = 0; i < n; i++) {
        const text = keyText(single, i);
        if (text === null) {
          out[at + i] = -1;
          continue;
        }
        if (text !== prev) pid = idOf(text);
        prev = text;
        out[at + i] = pid;
      }
    }
    at += n;
  }
}

/** Assigns each row of a batch the id of its series (-1 where a key cell is null). */
export class KeyAssigner {
  private readonly parts: { registry: KeyRegistry; cache: WeakMap<object, Int32Array> }[];

  constructor(
    private readonly columns: string[],
    readonly registry: KeyRegistry = new KeyRegistry(),
  ) {
    this.parts = columns.map(() => ({ registry: new KeyRegistry(), cache: new WeakMap() }));
  }

  /** `scratch`, when long enough, holds the ids instead of a new array (the caller reuses it batch after batch). */
  assign(batch: RecordBatch, scratch?: Int32Array): Int32Array {
    const n = batch.numRows;
    const out = scratch && scratch.length >= n ? scratch.subarray(0, n) : new Int32Array(n);
    if (this.columns.length === 0) {
      if (this.registry.size === 0) this.registry.idOf('');
      return out.fill(0); // one unnamed series
    }
    if (this.columns.length === 1) {
      columnIds(batch.getChild(this.columns[0])!, out, (t) => this.registry.idOf(t), this.parts[0].cache);
      return out;
    }
    const perColumn = this.columns.map((c, j) => {
      const ids = new Int32Array(n);
      columnIds(batch.getChild(c)!, ids, (t) => this.parts[j].registry.idOf(t), this.parts[j].cache);
      return ids;
    });
    let pid = -1;
    for (let i = 0; i < n; i++) {
      let same = pid >= 0 && i > 0;
      let missing = false;
      for (const ids of perColumn) {
        if (ids[i] < 0) missing = true;
        if (same && ids[i] !== ids[i - 1]) same = false;
      }
      if (missing) {
        out[i] = -1;
        pid = -1;
        continue;
      }
      if (!same)
        pid = this.registry.idOf(
          compositeKey(perColumn.map((ids, j) => this.parts[j].registry.keys[ids[i]])),
        );
      out[i] = pid;
    }
    return out;
  }
}

/** A series named by several columns is addressed by the JSON array of its key values. */
export function compositeKey(values: string[]): string {
  return values.length === 1 ? values[0] : JSON.stringify(values);
}
