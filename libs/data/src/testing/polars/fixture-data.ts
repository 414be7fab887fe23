/**
 * The data every polars fixture holds, and the list of fixtures (types, container, codec).
 * The generator (`make-fixtures.ts`) writes them with polars; the specs read this list to
 * know what each file should ingest to.
 */

/** Three series; the last key is longer than 12 bytes, so a view column stores it out of line. */
export const KEYS = ['north', 'south', 'a-key-longer-than-twelve-bytes'];
/** Rows per series. */
export const HOURS = 48;
/** 2024-03-30T00:00Z: the hourly fixtures cross Europe/Paris' and not New York's DST change. */
export const T0 = Date.UTC(2024, 2, 30);

/** The value of series `s` at step `h` (exact in float32 and in decimal(12, 3)). */
export function valueAt(s: number, h: number): number {
  return s * 100 + h * 0.5;
}

export type KeyType =
  'string' | 'categorical' | 'int8' | 'int16' | 'int32' | 'int64' | 'uint8' | 'uint16' | 'uint32' | 'uint64';

export interface FixtureSpec {
  file: string;
  container: 'file' | 'stream' | 'parquet';
  key: KeyType;
  unit?: 'ms' | 'us' | 'ns';
  zone?: string | null;
  daily?: boolean;
  value?: 'float64' | 'float32' | 'decimal' | 'uint32';
  nulls?: boolean;
  codec?: 'lz4' | 'zstd' | 'snappy';
  /** Set where the upload is refused: the reason of the error's detail. */
  refused?: string;
  /** The Arrow types apache-arrow JS reads the columns as (key, time, value). */
  types: [string, string, string];
}

const UTC_MS = 'Timestamp<MILLISECOND>';

function ts(unit: 'ms' | 'us' | 'ns', zone: string | null): string {
  const u = { ms: 'MILLISECOND', us: 'MICROSECOND', ns: 'NANOSECOND' }[unit];
  return zone ? `Timestamp<${u}, ${zone}>` : `Timestamp<${u}>`;
}

const INT_NAMES: Record<string, string> = {
  int8: 'Int8',
  int16: 'Int16',
  int32: 'Int32',
  int64: 'Int64',
  uint8: 'Uint8',
  uint16: 'Uint16',
  uint32: 'Uint32',
  uint64: 'Uint64',
};

export const FIXTURES: FixtureSpec[] = [
  // Keys: polars' default IPC file writes strings as Utf8View; its stream writer (the older
  // compatibility level) writes LargeUtf8. (This polars cannot make a Binary column from
  // JS, so BinaryView keys are built with apache-arrow JS in the spec.)
  { file: 'keys-utf8view.arrow', container: 'file', key: 'string', types: ['Utf8View', UTC_MS, 'Float64'] },
  {
    file: 'keys-largeutf8.arrows',
    container: 'stream',
    key: 'string',
    types: ['LargeUtf8', UTC_MS, 'Float64'],
  },
  {
    file: 'keys-categorical.arrow',
    container: 'file',
    key: 'categorical',
    types: ['Dictionary<Uint32, Utf8View>', UTC_MS, 'Float64'],
  },
  ...(['int8', 'int16', 'int32', 'int64', 'uint8', 'uint16', 'uint32', 'uint64'] as const).map(
    (k): FixtureSpec => ({
      file: `keys-${k}.arrow`,
      container: 'file',
      key: k,
      types: [INT_NAMES[k], UTC_MS, 'Float64'],
    }),
  ),
  // Time: every unit, naive and zoned.
  ...(['ms', 'us', 'ns'] as const).flatMap((unit) =>
    [null, 'UTC', 'Europe/Paris', 'America/New_York'].map((zone): FixtureSpec => ({
      file: `time-${unit}-${zone ? zone.replace('/', '_') : 'naive'}.arrow`,
      container: 'file',
      key: 'string',
      unit,
      zone,
      types: ['Utf8View', ts(unit, zone), 'Float64'],
    })),
  ),
  {
    file: 'time-date32.arrow',
    container: 'file',
    key: 'string',
    daily: true,
    types: ['Utf8View', 'Date32<DAY>', 'Float64'],
  },
  // Values.
  {
    file: 'values-float32.arrow',
    container: 'file',
    key: 'string',
    value: 'float32',
    types: ['Utf8View', UTC_MS, 'Float32'],
  },
  {
    file: 'values-decimal.arrow',
    container: 'file',
    key: 'string',
    value: 'decimal',
    types: ['Utf8View', UTC_MS, 'Decimal[12e+3]'],
  },
  {
    file: 'values-uint32.arrow',
    container: 'file',
    key: 'string',
    value: 'uint32',
    types: ['Utf8View', UTC_MS, 'Uint32'],
  },
  {
    file: 'values-nulls.arrow',
    container: 'file',
    key: 'string',
    nulls: true,
    types: ['Utf8View', UTC_MS, 'Float64'],
  },
  // Codecs: LZ4 frame and ZSTD bodies, in the file and the stream format.
  ...(['lz4', 'zstd'] as const).flatMap((codec): FixtureSpec[] => [
    {
      file: `codec-${codec}.arrow`,
      container: 'file',
      key: 'categorical',
      codec,
      zone: 'Europe/Paris',
      types: ['Dictionary<Uint32, Utf8View>', ts('ms', 'Europe/Paris'), 'Float64'],
    },
    {
      file: `codec-${codec}.arrows`,
      container: 'stream',
      key: 'string',
      codec,
      nulls: true,
      types: ['LargeUtf8', UTC_MS, 'Float64'],
    },
  ]),
  // Parquet.
  ...(['zstd', 'snappy'] as const).map((codec): FixtureSpec => ({
    file: `parquet-${codec}.parquet`,
    container: 'parquet',
    key: 'string',
    codec,
    zone: 'America/New_York',
    unit: 'us',
    types: ['Utf8View', ts('us', 'America/New_York'), 'Float64'],
  })),
  {
    file: 'parquet-decimal-nulls.parquet',
    container: 'parquet',
    key: 'string',
    value: 'decimal',
    nulls: true,
    types: ['Utf8View', UTC_MS, 'Decimal[12e+3]'],
  },
  // parquet-wasm 0.8 cannot decode a dictionary of Utf8View (polars' categorical) from
  // Parquet: refused with a 400 that says so (see parquet/read-parquet.ts).
  {
    file: 'parquet-categorical.parquet',
    container: 'parquet',
    key: 'categorical',
    types: ['Dictionary<Uint32, Utf8View>', UTC_MS, 'Float64'],
    refused:
      'column key: the Parquet reader (parquet-wasm 0.8) cannot decode Dictionary<Uint32, Utf8View>; write it as a plain string column',
  },
];

/** The value a fixture holds for series `s` at step `h` (null where it writes nulls). */
export function expectedValue(spec: FixtureSpec, s: number, h: number): number | null {
  if (spec.nulls && h % 5 === 3) return null;
  const v = valueAt(s, h);
  return spec.value === 'uint32' ? Math.trunc(v) : v;
}

/** The key text a fixture's series `s` is stored under. */
export function expectedKey(spec: FixtureSpec, s: number): string {
  return ['string', 'categorical'].includes(spec.key) ? KEYS[s] : String([7, 42, 120][s]);
}
