import { batchOf, chunked, ipcFile, ipcStream } from '../testing/arrow-fixtures';
import { ingestInput, tempStore } from '../testing/ingest-helpers';
import { openArrowStream } from './read-ipc';

const N = 40_000;
/** Two series of N/2 rows, keys as text, some values null, in batches of these sizes. */
function batches(sizes: number[]) {
  let from = 0;
  return sizes.map((size) => {
    const rows = Array.from({ length: size }, (_, i) => from + i);
    from += size;
    return batchOf({
      key: { type: 'utf8', values: rows.map((r) => (r < N / 2 ? 'a' : 'b')) },
      ts: { type: 'ts', values: rows.map((r) => Date.UTC(2024, 0, 1) + (r % (N / 2)) * 60_000) },
      v: { type: 'f64', values: rows.map((r) => (r % 97 === 0 ? null : (r % 13) - 6)) },
    });
  });
}

/**
 * An uploaded batch of more than 16 Ki rows is read in slices (each is validated in one
 * synchronous pass), and what is stored is the same as from small batches.
 */
describe('Arrow uploads in slices', () => {
  it.each([
    ['stream', ipcStream],
    ['file', ipcFile],
  ] as const)('cuts a batch of 40 000 rows (IPC %s) into slices of at most 16 384', async (_, write) => {
    const { dir, cleanup } = await tempStore();
    try {
      const opened = await openArrowStream(chunked(write(batches([N])), 65536), { spoolDir: dir });
      const sizes: number[] = [];
      for await (const b of opened.batches) sizes.push(b.numRows);
      expect(sizes).toEqual([16_384, 16_384, 7_232]);
    } finally {
      cleanup();
    }
  });

  it('stores the same rows, series and statistics as the same data sent in batches of those sizes', async () => {
    const ingest = async (sizes: number[]) => {
      const { store, cleanup } = await tempStore();
      try {
        const v = await ingestInput(store, chunked(ipcStream(batches(sizes)), 65536), {
          format: 'arrow',
          roles: { keyColumns: ['key'], timeColumn: 'ts', valueColumns: ['v'] },
        });
        const rows: unknown[] = [];
        for await (const b of store.readBatches(v.files)) for (const r of b) rows.push(r.toJSON());
        // as text: toEqual over 40 000 rows is slow
        return {
          rows: JSON.stringify(rows),
          rowCount: v.rowCount,
          seriesCount: v.seriesCount,
          stats: v.stats,
          range: [v.timeStart, v.timeEnd],
        };
      } finally {
        cleanup();
      }
    };
    const one = await ingest([N]);
    expect(one.rowCount).toBe(N);
    expect(one.seriesCount).toBe(2);
    // the batches the slices are (statistics merge per batch: the same cuts, the same sums)
    expect(one).toEqual(await ingest([16_384, 16_384, 7_232]));
  }, 60_000);
});
