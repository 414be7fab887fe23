import { DatasetStore } from '../store/dataset-store';
import { errorOf, ingestInput, listFiles, tempStore } from '../testing/ingest-helpers';

let store: DatasetStore;
let dir: string;
let cleanup: () => void;
beforeEach(async () => ({ store, dir, cleanup } = await tempStore()));
afterEach(() => {
  // refused before any row: nothing stored
  expect(listFiles(dir)).toEqual([]);
  cleanup();
});

/**
 * Header lines of .tsf, .ts and EasyTPP files that were read past (accepted, or a 500) and are
 * now refused with a 400 naming the line's field (found by the malformed-input corpus).
 */
describe('malformed headers and event files', () => {
  const tsf = (attributes: string[]) =>
    ['@relation x', ...attributes, '@frequency hourly', '@data', 'T1:2024-01-01 00-00-00:1,2,3'].join('\n');

  it.each([
    ['without a name', ['@attribute', '@attribute start_timestamp date']],
    ['without a type', ['@attribute series_name', '@attribute start_timestamp date']],
    ['of an unknown type', ['@attribute series_name text', '@attribute start_timestamp date']],
  ])('a .tsf @attribute %s', async (_, attributes) => {
    const e = await errorOf(() => ingestInput(store, tsf(attributes), { format: 'tsf' }));
    expect({ status: e.status, field: e.details[0].field }).toEqual({ status: 400, field: '@attribute' });
  });

  it.each(['0', '-1', '2.5', 'many', '1000000000'])('a .ts @dimensions %s', async (n) => {
    const text = [
      '@problemName x',
      '@univariate false',
      `@dimensions ${n}`,
      '@classLabel true a',
      '@data',
      '1,2:a',
    ].join('\n');
    const e = await errorOf(() => ingestInput(store, text, { format: 'ts', kind: 'events' }));
    expect({ status: e.status, field: e.details[0].field }).toEqual({ status: 400, field: '@dimensions' });
  });

  const easy = (sequences: unknown[]) =>
    errorOf(() => ingestInput(store, JSON.stringify(sequences), { format: 'easytpp', kind: 'events' }));
  const seq = (times: unknown[], types: unknown[]) => ({
    dim_process: 3,
    time_since_start: times,
    type_event: types,
  });

  it('EasyTPP times before the sequence start', async () => {
    const e = await easy([seq([-3, -1, 0.5], [0, 1, 2])]);
    expect(e.status).toBe(400);
    expect(e.details).toContainEqual({
      row: 1,
      column: 'time',
      reason: 'sequence 0, event 0: time_since_start -3 is negative',
    });
  });

  it.each([[7], [-1], [1.5]])('EasyTPP type %p outside 0..dim_process-1', async (k) => {
    const e = await easy([seq([0, 1, 2], [0, k, 1])]);
    expect(e.status).toBe(400);
    expect(e.details).toContainEqual({
      row: 2,
      column: 'type',
      reason: expect.stringContaining('(dim_process 3)'),
    });
  });

  it('EasyTPP null or a number as a sequence', async () => {
    for (const bad of [null, 5]) {
      const e = await easy([seq([0, 1], [0, 1]), bad]);
      expect(e.details).toEqual([{ row: 3, reason: 'sequence 1: not an object' }]);
    }
  });

  it.each(['ndjson', 'json'] as const)(
    'a %s row of 300 000 keys, refused while it is parsed',
    async (format) => {
      const row = `{${Array.from({ length: 300_000 }, (_, j) => `"c${j}":1`).join(',')}}`;
      const e = await errorOf(() => ingestInput(store, format === 'json' ? `[${row}]` : row, { format }));
      expect(e.status).toBe(413);
      expect(e.details).toEqual([{ reason: 'more than 1000 columns' }]);
    },
    // Half a second alone; building the 300 000-key input took over 5 s late in a long jest run (heap, GC).
    60_000,
  );

  it('a header of more columns than the limit, before any buffer is made for them', async () => {
    const names = Array.from({ length: 200_000 }, (_, j) => `c${j}`);
    const e = await errorOf(() =>
      ingestInput(store, `${names.join(',')}\n${names.map(() => '1').join(',')}\n`, { format: 'csv' }),
    );
    expect(e.status).toBe(413);
    expect(e.details).toEqual([{ reason: 'more than 1000 columns' }]);
  }, 60_000);
});
