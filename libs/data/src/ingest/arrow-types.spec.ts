import {
  BinaryView,
  DateMillisecond,
  Decimal,
  Dictionary,
  Field,
  Float16,
  Int64,
  Int8,
  List,
  RecordBatch,
  Schema,
  Struct,
  TimestampSecond,
  Uint16,
  Utf8,
  makeData,
  vectorFromArray,
  Float64,
} from 'apache-arrow';
import { chunked, ipcFile, ipcStream } from '../testing/arrow-fixtures';
import { errorOf, ingestInput, listFiles, tempStore } from '../testing/ingest-helpers';
import { readSeriesValues } from '../store/series-reader';
import { numericValues } from '../arrow/column-values';

const H = 3_600_000;

function batch(
  columns: Record<string, { type: import('apache-arrow').DataType; data: import('apache-arrow').Data }>,
) {
  const fields = Object.entries(columns).map(([n, c]) => new Field(n, c.type, true));
  const children = Object.values(columns).map((c) => c.data);
  return new RecordBatch(
    new Schema(fields),
    makeData({ type: new Struct(fields), length: children[0].length, nullCount: 0, children }),
  );
}

const col = (type: import('apache-arrow').DataType, values: unknown[]) => ({
  type,
  data: vectorFromArray(values as never[], type as never).data[0],
});

/** A decimal(38, scale) column from unscaled integers, written as little-endian 128-bit words. */
function decimals(unscaled: bigint[], scale: number) {
  const type = new Decimal(scale, 38, 128);
  const words = new Uint32Array(unscaled.length * 4);
  unscaled.forEach((v, i) => {
    let u = BigInt.asUintN(128, v);
    for (let k = 0; k < 4; k++) {
      words[i * 4 + k] = Number(u & 0xffffffffn);
      u >>= 32n;
    }
  });
  return { type, data: makeData({ type, length: unscaled.length, nullCount: 0, data: words }) };
}

async function ingest(bytes: Uint8Array, roles?: Record<string, unknown>) {
  const { store, dir, cleanup } = await tempStore();
  try {
    const v = await ingestInput(store, chunked(bytes, 1000), { format: 'arrow', kind: 'series', roles });
    return { v, store, files: listFiles(dir) };
  } finally {
    // the store's files stay readable through the returned store until the process ends
    setTimeout(cleanup, 5000).unref();
  }
}

describe('Arrow types an engine may send', () => {
  it('reads BinaryView keys (UTF-8 text, else 0x-hex), Date64 times and Float16 values', async () => {
    const keys = [
      new TextEncoder().encode('sensor-with-a-long-name'),
      new TextEncoder().encode('sensor-with-a-long-name'),
      Uint8Array.of(0xff, 0x00),
    ];
    const b = batch({
      key: col(new BinaryView(), keys),
      day: col(new DateMillisecond(), [0, H, 0]),
      value: col(new Float16(), [0.5, -1.25, 65504]),
    });
    const { v, store } = await ingest(ipcStream([b]));
    expect(v.seriesCount).toBe(2);
    expect(v.schema.fields.map((f) => f.type)).toEqual(['BinaryView', 'Date64<MILLISECOND>', 'Float16']);
    // half floats: 0.5, -1.25 and 65504 (the largest half) are exact
    expect(v.stats.columns.value).toMatchObject({ min: -1.25, max: 65504, count: 3 });
    const bin = await readSeriesValues(store.readBatches(v.files), v.schema, '0xff00');
    expect(bin!.columns.value).toEqual([65504]);
    const text = await readSeriesValues(store.readBatches(v.files), v.schema, 'sensor-with-a-long-name');
    expect(text!.times).toEqual([new Date(0).toISOString(), new Date(H).toISOString()]);
  });

  it('reads dictionary keys with Int8, Uint16 and Int64 indices', async () => {
    const codes = [0, 1, 0, 1];
    for (const [index, indices] of [
      [new Int8(), Int8Array.from(codes)],
      [new Uint16(), Uint16Array.from(codes)],
      [new Int64(), BigInt64Array.from(codes.map(BigInt))],
    ] as const) {
      const type = new Dictionary(new Utf8(), index as never);
      const dictionary = vectorFromArray(['x', 'y'], new Utf8());
      const b = batch({
        store: {
          type,
          data: makeData({ type, length: 4, nullCount: 0, data: indices as never, dictionary }),
        },
        ts: col(new TimestampSecond('Asia/Tokyo'), [0, 0, H, H]),
        value: col(new Float64(), [1, 2, 3, 4]),
      });
      const { v } = await ingest(ipcFile([b]));
      expect(v.seriesCount).toBe(2);
      expect(v.schema.fields[1].type).toBe('Timestamp<SECOND, Asia/Tokyo>');
      expect(v.timeEnd).toBe(H);
      expect(v.stats.columns.value).toMatchObject({ count: 4, mean: 2.5 });
    }
  });

  it('stores decimals as the float64 nearest their exact value', async () => {
    // Small (one division) and large (beyond 2^53: through the decimal text) unscaled values.
    const unscaled = [12345n, -12345n, 123456789012345678901234567n, -(2n ** 100n) - 7n, 0n];
    const scale = 4;
    const b = batch({
      key: col(new Utf8(), ['a', 'a', 'a', 'a', 'a']),
      ts: col(new TimestampSecond(), [0, 1000, 2000, 3000, 4000]),
      value: decimals(unscaled, scale),
    });
    // The outside truth: JavaScript's own correctly rounded parse of each decimal text.
    const text = (u: bigint) => {
      const neg = u < 0n;
      const d = (neg ? -u : u).toString().padStart(scale + 1, '0');
      return `${neg ? '-' : ''}${d.slice(0, -scale)}.${d.slice(-scale)}`;
    };
    const want = unscaled.map((u) => Number(text(u)));
    expect(
      Array.from(
        numericValues(new RecordBatch({ v: b.getChild('value')!.data[0] } as never).getChild('v')!).values,
      ),
    ).toEqual(want);
    const { v, store } = await ingest(ipcStream([b]));
    expect(v.schema.fields[2]).toEqual({ name: 'value', type: 'Float64', nullable: true });
    const back = await readSeriesValues(store.readBatches(v.files), v.schema, 'a');
    expect(back!.columns.value).toEqual(want);
  });

  it('refuses a type that cannot serve a role, naming the column, the type and the roles it could serve', async () => {
    const tags = vectorFromArray([[1], [2]], new List(new Field('item', new Float64(), true)));
    const b = batch({
      key: col(new Utf8(), ['a', 'a']),
      ts: col(new TimestampSecond(), [0, 1000]),
      value: col(new Float64(), [1, 2]),
      tags: { type: tags.type, data: tags.data[0] },
    });
    const { store, dir, cleanup } = await tempStore();
    try {
      const e = await errorOf(() =>
        ingestInput(store, chunked(ipcStream([b])), { format: 'arrow', kind: 'series' }),
      );
      expect(e.status).toBe(400);
      expect(e.details).toContainEqual({
        column: 'tags',
        reason:
          'unsupported column type List<Float64>: a List<Float64> column can serve no role in a series dataset',
      });
      const e2 = await errorOf(() =>
        ingestInput(store, chunked(ipcStream([b])), {
          format: 'arrow',
          kind: 'series',
          roles: {
            timeColumn: 'key',
            valueColumns: ['value'],
            keyColumns: [],
            knownCovariates: ['ts', 'tags'],
          },
        }),
      );
      expect(e2.details).toContainEqual({
        column: 'key',
        reason:
          'wrong type: expected a timestamp or date, got Utf8 (a Utf8 column could serve as key, covariate (categorical))',
      });
      expect(e2.details).toContainEqual({
        column: 'tags',
        reason:
          'wrong type: expected a number or category, got List<Float64> (a List<Float64> column can serve no role in a series dataset)',
      });
      expect(listFiles(dir).filter((f) => f.endsWith('.arrow'))).toEqual([]);
    } finally {
      cleanup();
    }
  });
});
