import * as fs from 'node:fs';
import * as path from 'node:path';
import pl from 'nodejs-polars';
import { RecordBatch, tableFromIPC } from 'apache-arrow';
import { FIXTURES, HOURS, KEYS, T0, expectedKey, expectedValue } from '../testing/polars/fixture-data';
import { chunked } from '../testing/arrow-fixtures';
import { ingestInput, tempStore } from '../testing/ingest-helpers';
import { exportParquet } from './write-parquet';
import { openParquetStream } from './read-parquet';
import { exportArrowStream } from '../store/export';

const DIR = path.join(__dirname, '../testing/polars/fixtures');

async function collect(chunks: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const parts: Uint8Array[] = [];
  for await (const c of chunks) parts.push(c);
  return Buffer.concat(parts);
}

describe('datasets exported as Parquet and Arrow, read back by polars', () => {
  it.each([
    'keys-utf8view.arrow',
    'codec-zstd.arrow',
    'parquet-zstd.parquet',
    'values-decimal.arrow',
    'time-ns-Europe_Paris.arrow',
  ])('%s: the same rows, values and time zone', async (file) => {
    const spec = FIXTURES.find((f) => f.file === file)!;
    const { store, cleanup } = await tempStore();
    try {
      const format = spec.container === 'parquet' ? 'parquet' : 'arrow';
      const v = await ingestInput(store, chunked(fs.readFileSync(path.join(DIR, file))), {
        format,
        kind: 'series',
      });
      const schema = await store.readSchema(v.files[0]);
      // Small row groups, so the file has several and polars reads across them.
      const parquet = await collect(exportParquet(schema, store.readBatches(v.files), 50));
      const arrow = await collect(exportArrowStream(schema, store.readBatches(v.files)));
      for (const df of [pl.readParquet(parquet), pl.readIPCStream(arrow)]) {
        expect(df.height).toBe(KEYS.length * HOURS);
        const ts = String(df.getColumn('ts').dtype);
        const zone = spec.zone ?? null;
        if (zone) expect(ts).toContain(zone);
        else expect(ts).not.toMatch(/UTC|\//);
        const keys = df.getColumn('key').toArray().map(String);
        const values = df.getColumn('value').toArray() as (number | null)[];
        const times = df.getColumn('ts').toArray() as unknown as Date[];
        KEYS.forEach((_, s) => {
          const at = keys.indexOf(expectedKey(spec, s));
          for (const h of [0, 1, HOURS - 1]) {
            expect(values[at + h]).toBe(expectedValue(spec, s, h));
            expect(new Date(times[at + h]).getTime()).toBe(T0 + h * 3_600_000);
          }
        });
      }
    } finally {
      cleanup();
    }
  });

  it.each(['zstd', 'lz4'] as const)(
    'a %s-compressed Arrow export is read by polars with the same values',
    async (codec) => {
      const spec = FIXTURES.find((f) => f.file === 'time-ms-Europe_Paris.arrow')!;
      const { store, cleanup } = await tempStore();
      try {
        const v = await ingestInput(store, chunked(fs.readFileSync(path.join(DIR, spec.file))), {
          format: 'arrow',
          kind: 'series',
        });
        const schema = await store.readSchema(v.files[0]);
        const plain = await collect(exportArrowStream(schema, store.readBatches(v.files)));
        const packed = await collect(exportArrowStream(schema, store.readBatches(v.files), codec));
        // the magic of the codec's frames is in the body: the buffers really are compressed
        const magic = Buffer.from(codec === 'zstd' ? [0x28, 0xb5, 0x2f, 0xfd] : [0x04, 0x22, 0x4d, 0x18]);
        expect(packed.indexOf(magic)).toBeGreaterThan(0);
        const a = pl.readIPCStream(plain);
        const b = pl.readIPCStream(packed);
        expect(b.height).toBe(KEYS.length * HOURS);
        expect(String(b.getColumn('ts').dtype)).toContain('Europe/Paris');
        expect(b.getColumn('value').toArray()).toEqual(a.getColumn('value').toArray());
        expect(b.getColumn('key').toArray()).toEqual(a.getColumn('key').toArray());
      } finally {
        cleanup();
      }
    },
  );

  it.each(['zstd', 'lz4'] as const)(
    'stores a version with %s bodies: smaller on disk, the same rows for the store and for polars',
    async (codec) => {
      const spec = FIXTURES.find((f) => f.file === 'keys-largeutf8.arrows')!;
      const bytes = fs.readFileSync(path.join(DIR, spec.file));
      const { store, dir, cleanup } = await tempStore();
      try {
        const plain = await ingestInput(store, chunked(bytes), { format: 'arrow', kind: 'series' });
        const packed = await ingestInput(store, chunked(bytes), {
          format: 'arrow',
          kind: 'series',
          storeCompression: codec,
        });
        expect(packed.files[0]).not.toBe(plain.files[0]);
        const onDisk = (v: typeof plain) => fs.readFileSync(path.join(dir, v.files[0]));
        expect(onDisk(packed).length).toBeLessThan(onDisk(plain).length);
        expect(packed.stats).toEqual(plain.stats);
        const rows = async (v: typeof plain) =>
          collect(exportArrowStream(await store.readSchema(v.files[0]), store.readBatches(v.files)));
        expect(await rows(packed)).toEqual(await rows(plain));
        const a = pl.readIPC(onDisk(plain));
        const b = pl.readIPC(onDisk(packed));
        expect(b.getColumn('value').toArray()).toEqual(a.getColumn('value').toArray());
        expect(b.getColumn('key').toArray()).toEqual(a.getColumn('key').toArray());
      } finally {
        cleanup();
      }
    },
  );

  it('reads every row group while the spool lease renews its mtime', async () => {
    // Node's file Blob refuses reads after an mtime change, and parquet-wasm then traps: the
    // reader must not depend on the spool staying untouched while a slow upload is validated.
    const t = tableFromIPC(fs.readFileSync(path.join(DIR, 'keys-utf8view.arrow')));
    async function* batches(): AsyncGenerator<RecordBatch> {
      yield* t.batches;
    }
    const parquet = await collect(exportParquet(t.schema, batches(), 16));
    const { dir, cleanup } = await tempStore();
    try {
      const s = await openParquetStream(chunked(parquet, 100), { spoolDir: dir, spoolRenewMs: 1 });
      let rows = 0;
      for await (const b of s.batches) {
        rows += b.numRows;
        await new Promise((r) => setTimeout(r, 5));
      }
      expect(rows).toBe(KEYS.length * HOURS);
    } finally {
      cleanup();
    }
  });

  it('writes a valid empty file for no rows', async () => {
    const spec = FIXTURES[0];
    const t = tableFromIPC(fs.readFileSync(path.join(DIR, spec.file)));
    async function* none(): AsyncGenerator<RecordBatch> {}
    const parquet = await collect(exportParquet(t.schema, none()));
    const df = pl.readParquet(parquet);
    expect(df.height).toBe(0);
    expect(df.columns).toEqual(['key', 'ts', 'value']);
  });
});
