import { batchOf, chunked, ipcStream } from '../testing/arrow-fixtures';
import { errorOf, ingestInput, listFiles, tempStore } from '../testing/ingest-helpers';
import { DatasetStore } from '../store/dataset-store';

let store: DatasetStore;
let dir: string;
let cleanup: () => void;
beforeEach(async () => ({ store, dir, cleanup } = await tempStore()));
afterEach(() => cleanup());

const csv = (text: string, extra: object = {}) =>
  errorOf(() => ingestInput(store, text, { format: 'csv', ...extra }));

describe('validation errors name the row, column and reason', () => {
  afterEach(() => {
    // Whatever failed, the store holds nothing: no data file, no index, no temporary file.
    expect(listFiles(dir)).toEqual([]);
  });

  it('wrong type: text in a numeric column', async () => {
    const e = await csv('id,ts,v\na,2020-01-01,1\na,2020-01-02,abc\n', {
      roles: { keyColumns: ['id'], valueColumns: ['v'] },
    });
    expect(e.status).toBe(400);
    expect(e.details).toEqual([{ row: 2, column: 'v', reason: "wrong type: 'abc' is not a number" }]);
  });

  it('wrong type: an Arrow value column that is not numeric', async () => {
    const b = batchOf({ ts: { type: 'ts', values: [0] }, v: { type: 'utf8', values: ['x'] } });
    const e = await errorOf(() =>
      ingestInput(store, chunked(ipcStream([b])), {
        format: 'arrow',
        roles: { keyColumns: [], valueColumns: ['v'] },
      }),
    );
    expect(e.details).toEqual([
      {
        column: 'v',
        reason:
          'wrong type: expected a number, got Utf8 (a Utf8 column could serve as key, covariate (categorical))',
      },
    ]);
  });

  it('missing key', async () => {
    const e = await csv('id,ts,v\na,2020-01-01,1\n,2020-01-02,2\n', { roles: { keyColumns: ['id'] } });
    expect(e.details).toEqual([{ row: 2, column: 'id', reason: 'missing key' }]);
  });

  it('unparseable timestamp', async () => {
    const e = await csv('ts,v\n2020-01-01,1\n2020-13-45,2\n', { roles: { timeColumn: 'ts' } });
    expect(e.details).toEqual([{ row: 2, column: 'ts', reason: "unparseable timestamp '2020-13-45'" }]);
  });

  it('unsorted timestamps within a series', async () => {
    const e = await csv('id,ts,v\na,2020-01-02,1\nb,2020-01-01,1\na,2020-01-01,2\n', {
      roles: { keyColumns: ['id'] },
    });
    expect(e.details).toHaveLength(1);
    expect(e.details[0]).toMatchObject({ row: 3, column: 'ts' });
    expect(e.details[0].reason).toMatch(
      /^unsorted: time 2020-01-01T00:00:00.000Z is earlier than 2020-01-02T00:00:00.000Z, the previous time of series a/,
    );
  });

  it('duplicate timestamps within a series', async () => {
    const e = await csv('ts,v\n2020-01-01,1\n2020-01-01,2\n');
    expect(e.details).toEqual([
      { row: 2, column: 'ts', reason: 'duplicate time 2020-01-01T00:00:00.000Z in series ' },
    ]);
  });

  it('NaN and infinity are rejected by default', async () => {
    const e = await csv('ts,v,w\n2020-01-01,NaN,1\n2020-01-02,1,-inf\n');
    expect(e.details).toEqual([
      { row: 1, column: 'v', reason: 'NaN is not allowed (or set the nan policy to missing)' },
      { row: 2, column: 'w', reason: 'infinity is not allowed (or set the nan policy to missing)' },
    ]);
  });

  it('empty data', async () => {
    const e = await csv('ts,v\n');
    expect(e.details).toEqual([{ reason: 'empty: the upload holds no rows' }]);
    const arrowEmpty = await errorOf(() =>
      ingestInput(
        store,
        chunked(ipcStream([batchOf({ ts: { type: 'ts', values: [] }, v: { type: 'f64', values: [] } })])),
        { format: 'arrow' },
      ),
    );
    expect(arrowEmpty.details).toEqual([{ reason: 'empty: the upload holds no rows' }]);
    const empty = await errorOf(() => ingestInput(store, chunked(new Uint8Array(0)), { format: 'arrow' }));
    expect(empty.status).toBe(400);
  });

  it('unknown columns when the roles are explicit, and missing ones', async () => {
    const e = await csv('ts,v,extra\n2020-01-01,1,2\n', {
      roles: { timeColumn: 'ts', valueColumns: ['v', 'w'] },
    });
    expect(e.details).toEqual([
      { column: 'w', reason: 'missing column: named in the schema but absent from the data' },
      { column: 'extra', reason: 'unknown column: not named in the schema' },
    ]);
  });

  it('size limits answer 413: bytes, rows, series', async () => {
    const text = 'id,ts,v\na,2020-01-01,1\nb,2020-01-01,2\nc,2020-01-01,3\n';
    expect((await csv(text, { maxBytes: 20 })).status).toBe(413);
    expect((await csv(text, { roles: { keyColumns: ['id'] }, limits: { maxRows: 2 } })).status).toBe(413);
    expect((await csv(text, { roles: { keyColumns: ['id'] }, limits: { maxSeries: 2 } })).status).toBe(413);
    const arrow = ipcStream([
      batchOf({ ts: { type: 'ts', values: [0, 1000] }, v: { type: 'f64', values: [1, 2] } }),
    ]);
    expect(
      (await errorOf(() => ingestInput(store, chunked(arrow, 64), { format: 'arrow', maxBytes: 100 })))
        .status,
    ).toBe(413);
  });

  it('a sequence target must be constant within a sequence', async () => {
    const e = await csv('seq,time,type,label\ns1,0.5,0,x\ns1,1.5,1,y\n', { kind: 'events' });
    expect(e.details).toEqual([
      {
        row: 2,
        column: 'label',
        reason: 'the sequence target must be constant within sequence s1: y differs from x',
      },
    ]);
  });

  it('the gap and irregularity check, when regular series are required', async () => {
    // Steps of 1h, 1h, 3h, 30min: the most common step, 1h, is the frequency.
    const e = await csv(
      'ts,v\n2020-01-01 00:00,1\n2020-01-01 01:00,1\n2020-01-01 02:00,1\n2020-01-01 05:00,1\n2020-01-01 05:30,1\n',
      { requireRegular: true },
    );
    expect(e.details).toEqual([
      {
        row: 4,
        column: 'ts',
        reason:
          'gap: 2 missing 1h steps between 2020-01-01T02:00:00.000Z and 2020-01-01T05:00:00.000Z in series ',
      },
      {
        row: 5,
        column: 'ts',
        reason:
          'irregular: 2020-01-01T05:30:00.000Z is not a whole number of 1h steps after 2020-01-01T05:00:00.000Z in series ',
      },
    ]);
  });

  it('a malformed Arrow stream is a 400, not a crash', async () => {
    const bytes = ipcStream([batchOf({ ts: { type: 'ts', values: [0] }, v: { type: 'f64', values: [1] } })]);
    const e = await errorOf(() =>
      ingestInput(store, chunked(Buffer.concat([bytes.subarray(0, 20), Buffer.alloc(300, 0xab)])), {
        format: 'arrow',
      }),
    );
    expect(e.status).toBe(400);
    expect(e.message).toMatch(/Not a valid Arrow IPC/);
  });
});

describe('policies', () => {
  it('the missing policy stores NaN and infinity as nulls', async () => {
    const v = await ingestInput(store, 'ts,v\n2020-01-01,NaN\n2020-01-02,1\n2020-01-03,inf\n', {
      format: 'csv',
      nan: 'missing',
    });
    expect(v.stats.columns.v).toMatchObject({ count: 1, nulls: 2 });
    const { readSeriesValues } = await import('../store/series-reader');
    expect((await readSeriesValues(store.readBatches(v.files), v.schema, ''))?.columns.v).toEqual([
      null,
      1,
      null,
    ]);
  });

  it('the sort option orders rows by series and time instead of rejecting them', async () => {
    const v = await ingestInput(
      store,
      'id,ts,v\nb,2020-01-02,4\na,2020-01-02,2\nb,2020-01-01,3\na,2020-01-01,1\n',
      { format: 'csv', roles: { keyColumns: ['id'] }, sort: true },
    );
    const { exportCsv } = await import('../store/export');
    let out = '';
    for await (const s of exportCsv(await store.readSchema(v.files[0]), store.readBatches(v.files))) out += s;
    expect(
      out
        .trim()
        .split('\n')
        .slice(1)
        .map((l) => l.split(',')[2]),
    ).toEqual(['1', '2', '3', '4']);
  });

  it('gaps are reported in the statistics when irregular data is allowed', async () => {
    const v = await ingestInput(store, 'ts,v\n2020-01-31,1\n2020-02-29,1\n2020-03-31,1\n2020-06-30,1\n', {
      format: 'csv',
    });
    expect(v.frequency).toBe('1ME');
    expect(v.stats.gaps).toEqual({
      count: 1,
      missing: 2,
      irregular: 0,
      examples: [
        { key: '', after: '2020-03-31T00:00:00.000Z', before: '2020-06-30T00:00:00.000Z', missing: 2 },
      ],
    });
  });
});
