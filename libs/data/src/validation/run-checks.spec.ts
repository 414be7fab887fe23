import { batchOf, chunked, ipcStream } from '../testing/arrow-fixtures';
import { errorOf, ingestInput, tempStore } from '../testing/ingest-helpers';

/**
 * Long runs of one series go through the validator's run check (one pass over the times)
 * and fall back to the row-by-row check only where a run has a problem. These uploads put
 * the problem deep inside a run of 20000 rows (past the first 16384-row slice too) and
 * check what is known by construction: the row number, the gaps, the statistics.
 */
const MIN = 60_000;
const T0 = Date.UTC(2025, 0, 1);
const PER = 20_000;

/** Three series of PER rows one minute apart; `edit` changes row r (0-based, across series) before the upload. */
function upload(edit: (rows: { key: string; ts: number; value: number }[]) => void) {
  const rows: { key: string; ts: number; value: number }[] = [];
  for (const key of ['a', 'b', 'c'])
    for (let i = 0; i < PER; i++) rows.push({ key, ts: T0 + i * MIN, value: i % 100 });
  edit(rows);
  const batch = batchOf({
    key: { type: 'utf8', values: rows.map((r) => r.key) },
    ts: { type: 'ts', values: rows.map((r) => (r.ts === r.ts ? new Date(r.ts) : null)) },
    value: { type: 'f64', values: rows.map((r) => r.value) },
  });
  // Batches of 30000 rows: runs cross batch boundaries, and the stream is cut into slices.
  const batches = [0, 30_000].map((at) => batch.slice(at, at + 30_000));
  return chunked(ipcStream(batches), 65536);
}

const EVENTS = {
  format: 'arrow' as const,
  kind: 'events' as const,
  roles: { sequenceColumn: 'key', timeColumn: 'ts', typeColumn: null, numericFeatures: ['value'] },
};

describe('run checks inside long runs of one series', () => {
  it('a gap of 5 steps in the middle of a run: counted, the frequency kept, the rest clean', async () => {
    const { store, cleanup } = await tempStore();
    try {
      // Series b (rows 20000..39999) skips 5 minutes from its 12345th row on.
      const v = await ingestInput(
        store,
        upload((rows) => {
          for (let r = PER + 12_345; r < 2 * PER; r++) rows[r].ts += 5 * MIN;
        }),
        { format: 'arrow', kind: 'series' },
      );
      expect(v.frequency).toBe('1min');
      expect(v.stats.gaps).toMatchObject({ count: 1, missing: 5, irregular: 0 });
      expect(v.timeStart).toBe(T0);
      expect(v.timeEnd).toBe(T0 + (PER - 1 + 5) * MIN);
      expect(v.rowCount).toBe(3 * PER);
      const stats = v.stats.columns.value as { count: number; mean: number; min: number; max: number };
      expect(stats).toMatchObject({ count: 3 * PER, min: 0, max: 99 });
      expect(stats.mean).toBeCloseTo(49.5, 12);
    } finally {
      cleanup();
    }
  });

  it.each([
    ['a duplicate', (rows: { ts: number }[], r: number) => (rows[r].ts = rows[r - 1].ts), /duplicate time/],
    ['an earlier time', (rows: { ts: number }[], r: number) => (rows[r].ts -= 10 * MIN), /unsorted: time/],
    [
      'a missing time',
      (rows: { ts: number }[], r: number) => (rows[r].ts = NaN),
      /missing or unparseable time/,
    ],
  ])('%s at row 37777 is reported at that row and no other', async (_, change, reason) => {
    const { store, cleanup } = await tempStore();
    try {
      const e = await errorOf(() =>
        ingestInput(
          store,
          upload((rows) => change(rows, 37_776)),
          { format: 'arrow', kind: 'series' },
        ),
      );
      expect(e.status).toBe(400);
      expect(e.details.length).toBe(1);
      expect(e.details[0]).toMatchObject({ row: 37_777, column: 'ts' });
      expect(e.details[0].reason).toMatch(reason);
    } finally {
      cleanup();
    }
  });

  it('a NaN value deep in a run: its row under the default policy, a null under missing', async () => {
    const { store, cleanup } = await tempStore();
    try {
      const nan = () => upload((rows) => (rows[45_678].value = NaN));
      const e = await errorOf(() => ingestInput(store, nan(), { format: 'arrow', kind: 'series' }));
      expect(e.details).toEqual([
        { row: 45_679, column: 'value', reason: 'NaN is not allowed (or set the nan policy to missing)' },
      ]);
      const v = await ingestInput(store, nan(), { format: 'arrow', kind: 'series', nan: 'missing' });
      // Row 45678 is row 5678 of series c: value 78 is the one missing.
      const stats = v.stats.columns.value as { count: number; nulls: number; mean: number };
      expect(stats.count).toBe(3 * PER - 1);
      expect(stats.nulls).toBe(1);
      expect(stats.mean).toBeCloseTo((49.5 * 3 * PER - 78) / (3 * PER - 1), 12);
    } finally {
      cleanup();
    }
  });

  it('events: equal times allowed inside a run, a decreasing one reported at its row', async () => {
    const { store, cleanup } = await tempStore();
    try {
      const tie = upload((rows) => (rows[12_000].ts = rows[11_999].ts));
      const v = await ingestInput(store, tie, EVENTS);
      expect(v.rowCount).toBe(3 * PER);
      const back = upload((rows) => (rows[50_001].ts = rows[50_000].ts - 1));
      const e = await errorOf(() => ingestInput(store, back, EVENTS));
      expect(e.details).toMatchObject([{ row: 50_002, column: 'ts' }]);
    } finally {
      cleanup();
    }
  });
});
