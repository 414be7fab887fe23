import * as fs from 'node:fs';
import { RecordBatchReader, Table, tableFromIPC } from 'apache-arrow';
import { batchOf, chunked, ipcFile, ipcStream } from '../testing/arrow-fixtures';
import { asBase, errorOf, ingestInput, listFiles, tempStore } from '../testing/ingest-helpers';
import { exportArrowStream, exportCsv } from '../store/export';
import { readSeriesValues } from '../store/series-reader';

const H = 3_600_000;
const first = batchOf({
  store: { type: 'utf8', values: ['a', 'a', 'a', 'b', 'b'] },
  ts: { type: 'ts', values: [0, H, 2 * H, 0, H] },
  load: { type: 'f64', values: [1.5, -2.25, null, 1e300, 0] },
  price: { type: 'i32', values: [1, 2, 3, 4, 5] },
});
const second = batchOf({
  store: { type: 'utf8', values: ['b', 'c'] },
  ts: { type: 'ts', values: [2 * H, 5 * H] },
  load: { type: 'f64', values: [Number.MIN_VALUE, 7] },
  price: { type: 'i32', values: [6, -7] },
});

function rows(t: Table) {
  return t.toArray().map((r) => r.toJSON());
}

async function collect(chunks: AsyncIterable<Uint8Array>): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for await (const c of chunks) parts.push(c);
  return Buffer.concat(parts);
}

describe('Arrow in, store, Arrow out', () => {
  it.each([
    ['stream', ipcStream],
    ['file', ipcFile],
  ])('returns identical values for an IPC %s delivered in 7-byte chunks', async (_, encode) => {
    const { store, dir, cleanup } = await tempStore();
    try {
      const v = await ingestInput(store, chunked(encode([first, second]), 7), {
        format: 'arrow',
        roles: { knownCovariates: ['price'] },
      });
      expect(v.rowCount).toBe(7);
      expect(v.seriesCount).toBe(3);
      expect(v.files).toEqual([`${v.files[0].slice(0, 64)}.arrow`]);
      const back = tableFromIPC(
        await collect(exportArrowStream(await store.readSchema(v.files[0]), store.readBatches(v.files))),
      );
      expect(rows(back)).toEqual([...rows(new Table([first])), ...rows(new Table([second]))]);
      expect(back.schema.fields.map((f) => String(f.type))).toEqual([
        'Utf8',
        'Timestamp<MILLISECOND, UTC>',
        'Float64',
        'Int32',
      ]);
      // The stored file itself is a valid Arrow IPC file any reader can open.
      const reader = RecordBatchReader.from(fs.readFileSync(`${dir}/${v.files[0]}`));
      expect(reader.isFile()).toBe(true);
      // Nothing but the data file and its index is left.
      expect(listFiles(dir)).toEqual([v.files[0], v.files[0].replace('.arrow', '.index.json')]);
    } finally {
      cleanup();
    }
  });

  it('names the file by content: the same upload twice gives the same file, stored once', async () => {
    const { store, dir, cleanup } = await tempStore();
    try {
      const a = await ingestInput(store, chunked(ipcStream([first])), { format: 'arrow' });
      const b = await ingestInput(store, chunked(ipcStream([first])), { format: 'arrow' });
      expect(b.files).toEqual(a.files);
      expect(a.created).toBe(true);
      expect(b.created).toBe(false);
      expect(listFiles(dir)).toHaveLength(2);
    } finally {
      cleanup();
    }
  });

  it('exports CSV with ISO timestamps and empty cells for nulls', async () => {
    const { store, cleanup } = await tempStore();
    try {
      const v = await ingestInput(store, chunked(ipcStream([first])), { format: 'arrow' });
      let csv = '';
      for await (const s of exportCsv(await store.readSchema(v.files[0]), store.readBatches(v.files)))
        csv += s;
      expect(csv.split('\n').slice(0, 4)).toEqual([
        'store,ts,load,price',
        'a,1970-01-01T00:00:00.000Z,1.5,1',
        'a,1970-01-01T01:00:00.000Z,-2.25,2',
        'a,1970-01-01T02:00:00.000Z,,3',
      ]);
    } finally {
      cleanup();
    }
  });

  it('appends observations as one new file and keeps the history files', async () => {
    const { store, dir, cleanup } = await tempStore();
    try {
      const v1 = await ingestInput(store, chunked(ipcStream([first])), { format: 'arrow' });
      const v2 = await ingestInput(store, chunked(ipcStream([second])), { format: 'arrow' }, asBase(v1));
      expect(v2.files).toHaveLength(2);
      expect(v2.files[0]).toBe(v1.files[0]);
      expect(v2.rowCount).toBe(7);
      expect(v2.seriesCount).toBe(3);
      // Merged statistics equal those of all rows at once: mean of 1.5, -2.25, 1e300, 0, MIN_VALUE, 7.
      const all = await ingestInput(store, chunked(ipcStream([first, second])), { format: 'arrow' });
      expect(v2.stats.columns.load).toMatchObject({ count: 6, nulls: 1, min: -2.25, max: 1e300 });
      expect((v2.stats.columns.load as { mean: number }).mean).toBeCloseTo(
        (all.stats.columns.load as { mean: number }).mean,
        10,
      );
      expect(v2.stats.columns.price).toEqual(all.stats.columns.price);
      const b = await readSeriesValues(store.readBatches(v2.files), v2.schema, 'b');
      expect(b).toEqual({
        key: 'b',
        times: ['1970-01-01T00:00:00.000Z', '1970-01-01T01:00:00.000Z', '1970-01-01T02:00:00.000Z'],
        columns: { load: [1e300, 0, Number.MIN_VALUE], price: [4, 5, 6] },
      });
      const ranged = await readSeriesValues(store.readBatches(v2.files), v2.schema, 'b', { from: H, to: H });
      expect(ranged?.times).toEqual(['1970-01-01T01:00:00.000Z']);
      // An append that goes back in time is refused and leaves no file.
      const before = listFiles(dir);
      const err = await errorOf(() =>
        ingestInput(store, chunked(ipcStream([first])), { format: 'arrow' }, asBase(v2)),
      );
      expect(err.details[0]).toMatchObject({ row: 1, column: 'ts' });
      expect(err.details[0].reason).toMatch(/earlier than/);
      expect(listFiles(dir)).toEqual(before);
    } finally {
      cleanup();
    }
  });

  it('refuses an append whose columns differ (409)', async () => {
    const { store, cleanup } = await tempStore();
    try {
      const v1 = await ingestInput(store, chunked(ipcStream([first])), { format: 'arrow' });
      const other = batchOf({
        store: { type: 'utf8', values: ['a'] },
        ts: { type: 'ts', values: [9 * H] },
        load: { type: 'f64', values: [1] },
      });
      const err = await errorOf(() =>
        ingestInput(store, chunked(ipcStream([other])), { format: 'arrow' }, asBase(v1)),
      );
      expect(err.status).toBe(409);
    } finally {
      cleanup();
    }
  });
});
