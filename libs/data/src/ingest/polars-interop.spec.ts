import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  FIXTURES,
  FixtureSpec,
  HOURS,
  KEYS,
  T0,
  expectedKey,
  expectedValue,
} from '../testing/polars/fixture-data';
import { errorOf, ingestInput, listFiles, tempStore } from '../testing/ingest-helpers';
import { chunked } from '../testing/arrow-fixtures';
import { readSeriesValues } from '../store/series-reader';

const DIR = path.join(__dirname, '../testing/polars/fixtures');

/** What the generating formula says a fixture's values are. */
function expected(spec: FixtureSpec) {
  const all: number[] = [];
  let nulls = 0;
  KEYS.forEach((_, s) => {
    for (let h = 0; h < HOURS; h++) {
      const v = expectedValue(spec, s, h);
      if (v === null) nulls++;
      else all.push(v);
    }
  });
  const mean = all.reduce((a, b) => a + b, 0) / all.length;
  return { count: all.length, nulls, mean, min: Math.min(...all), max: Math.max(...all) };
}

describe('files written by polars (an independent Arrow implementation)', () => {
  it.each(FIXTURES.filter((f) => !f.refused).map((f) => [f.file, f] as const))(
    '%s is accepted with its schema and statistics',
    async (_, spec) => {
      const { store, dir, cleanup } = await tempStore();
      try {
        const bytes = fs.readFileSync(path.join(DIR, spec.file));
        // An integer column is a value unless named as the key.
        const roles = /int/.test(spec.key) ? { keyColumns: ['key'] } : undefined;
        const format = spec.container === 'parquet' ? 'parquet' : 'arrow';
        const v = await ingestInput(store, chunked(bytes, 4096), { format, kind: 'series', roles });
        expect(v.rowCount).toBe(KEYS.length * HOURS);
        expect(v.seriesCount).toBe(KEYS.length);
        const step = spec.daily ? 86_400_000 : 3_600_000;
        expect(v.timeStart).toBe(T0);
        expect(v.timeEnd).toBe(T0 + (HOURS - 1) * step);
        expect(v.frequency).toBe(spec.daily ? '1D' : '1h');
        const want = expected(spec);
        const stats = v.stats.columns.value as {
          count: number;
          nulls: number;
          mean: number;
          min: number;
          max: number;
        };
        expect(stats).toMatchObject({ count: want.count, nulls: want.nulls, min: want.min, max: want.max });
        expect(stats.mean).toBeCloseTo(want.mean, 9);
        const types = v.schema.fields.map((f) => f.type);
        // parquet-wasm decodes polars' Utf8View strings as Utf8 (its own Arrow reading).
        expect(types[0]).toBe(
          format === 'parquet' ? spec.types[0].replace('Utf8View', 'Utf8') : spec.types[0],
        );
        expect(types[1]).toBe(spec.types[1]);
        expect(types[2]).toBe(spec.value === 'decimal' ? 'Float64' : spec.types[2]);
        const one = await readSeriesValues(store.readBatches(v.files), v.schema, expectedKey(spec, 2));
        expect(one!.times[1]).toBe(new Date(T0 + step).toISOString());
        expect(one!.columns.value.slice(0, 5)).toEqual([0, 1, 2, 3, 4].map((h) => expectedValue(spec, 2, h)));
        expect(listFiles(dir).length).toBe(2);
      } finally {
        cleanup();
      }
    },
  );

  it.each(['codec-zstd.arrows', 'codec-lz4.arrows', 'codec-zstd.arrow'])(
    'refuses %s with a corrupted compressed body (400), leaving nothing behind',
    async (file) => {
      const bytes = Buffer.from(fs.readFileSync(path.join(DIR, file)));
      // The first compressed buffer: a ZSTD frame (magic 28 b5 2f fd) or an LZ4 frame (04 22 4d 18).
      const magic = Buffer.from(file.includes('zstd') ? [0x28, 0xb5, 0x2f, 0xfd] : [0x04, 0x22, 0x4d, 0x18]);
      const at = bytes.indexOf(magic);
      expect(at).toBeGreaterThan(0);
      for (let i = at + 4; i < at + 24; i++) bytes[i] ^= 0x5a;
      const { store, dir, cleanup } = await tempStore();
      try {
        const e = await errorOf(() =>
          ingestInput(store, chunked(bytes, 512), { format: 'arrow', kind: 'series' }),
        );
        expect(e.status).toBe(400);
        expect(e.message).toMatch(/^Not a valid Arrow IPC stream or file/);
        expect(listFiles(dir).filter((f) => !f.startsWith('.'))).toEqual([]);
      } finally {
        cleanup();
      }
    },
  );

  it.each(FIXTURES.filter((f) => f.refused).map((f) => [f.file, f] as const))(
    '%s is refused with a 400 naming the column and why',
    async (_, spec) => {
      const { store, dir, cleanup } = await tempStore();
      try {
        const bytes = fs.readFileSync(path.join(DIR, spec.file));
        const e = await errorOf(() =>
          ingestInput(store, chunked(bytes, 4096), { format: 'parquet', kind: 'series', spoolDir: dir }),
        );
        expect(e.status).toBe(400);
        expect(e.details).toEqual([{ column: 'key', reason: spec.refused }]);
        expect(listFiles(dir).filter((f) => !f.startsWith('.'))).toEqual([]);
      } finally {
        cleanup();
      }
    },
  );

  it('refuses a truncated Parquet file (400), leaving nothing behind', async () => {
    const bytes = fs.readFileSync(path.join(DIR, 'parquet-zstd.parquet'));
    for (const cut of [bytes.length - 100, 20]) {
      const { store, dir, cleanup } = await tempStore();
      try {
        const e = await errorOf(() =>
          ingestInput(store, chunked(bytes.subarray(0, cut), 256), {
            format: 'parquet',
            kind: 'series',
            spoolDir: dir,
          }),
        );
        expect(e.status).toBe(400);
        expect(e.message).toMatch(/^Not a valid Parquet file/);
        expect(listFiles(dir).filter((f) => !f.startsWith('.'))).toEqual([]);
      } finally {
        cleanup();
      }
    }
  });
});
