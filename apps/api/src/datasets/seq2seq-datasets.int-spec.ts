import { seq2seqCsvLines } from '@seqcast/data';
import { chunkStatisticsData } from '@seqcast/forecast';
import * as fs from 'fs';
import { startApi, tempDataDir, TestApi } from '../../../../test/support/api';

const RATIO = 4;
const data = chunkStatisticsData(6, 5, RATIO, 11);
const csv = (lines: Iterable<string>) => [...lines].join('\n');
const upload = (query: string) =>
  `/datasets?name=chunks&kind=seq2seq&sequenceColumn=sequence&timeColumn=step${query}`;
const goodCsv = csv(seq2seqCsvLines({ ...data, ratio: RATIO, inputColumns: ['x'], targetColumns: ['y'] }));

/**
 * The seq2seq dataset kind over HTTP: one row per (sequence, input step), the target on every
 * ratio-th row; every way the rows and the rates can disagree is a 400 naming the field (or
 * the row and column), and a refused upload leaves the dataset's version as it was.
 */
describe('seq2seq datasets over HTTP', () => {
  let api: TestApi;
  let dir: string;
  let datasetId: string;

  beforeAll(async () => {
    dir = tempDataDir();
    api = await startApi({ DATA_DIR: dir, TF_BACKEND: 'cpu' });
    const r = await api
      .http()
      .post(upload(`&inputColumns=x&targetColumns=y&ratio=${RATIO}`))
      .set('content-type', 'text/csv')
      .send(goodCsv);
    expect(r.status).toBe(201);
    datasetId = r.body.id;
  }, 60000);
  afterAll(async () => {
    await api?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('stores the roles and the ratio with the version, one row per input step', async () => {
    const d = (await api.http().get(`/datasets/${datasetId}`).expect(200)).body;
    expect(d.kind).toBe('seq2seq');
    expect(d.latest.schema).toMatchObject({
      kind: 'seq2seq',
      sequenceColumn: 'sequence',
      timeColumn: 'step',
      inputColumns: ['x'],
      targetColumns: ['y'],
      ratio: RATIO,
    });
    expect(d.latest.rowCount).toBe(6 * 5 * RATIO);
    expect(d.latest.seriesCount).toBe(6);
    // the target column holds one value per chunk: the rest are empty cells
    expect(d.latest.stats.columns.y.count).toBe(6 * 5);
    // a sequence reads back as stored: the target of chunk k on row k ratio + ratio - 1, nulls between
    const s0 = (await api.http().get(`/datasets/${datasetId}/series/s0`).expect(200)).body;
    expect(s0.times).toEqual(Array.from({ length: 5 * RATIO }, (_, t) => t));
    expect(s0.columns.x).toEqual(Array.from(data.inputs[0][0]));
    expect(s0.columns.y).toEqual(
      Array.from({ length: 5 * RATIO }, (_, t) =>
        (t + 1) % RATIO ? null : data.targets[0][0][(t + 1) / RATIO - 1],
      ),
    );
  });

  it('takes the same rows as JSON records, the targets null between chunk ends', async () => {
    const [head, ...rows] = goodCsv.split('\n').map((l) => l.split(','));
    const records = rows.map((r) =>
      Object.fromEntries(
        head.map((h, j) => [h, h === 'sequence' ? r[j] : r[j] === '' ? null : Number(r[j])]),
      ),
    );
    const r = await api
      .http()
      .post(upload(`&inputColumns=x&targetColumns=y&ratio=${RATIO}`))
      .set('content-type', 'application/json')
      .send(JSON.stringify(records))
      .expect(201);
    expect(r.body.latest).toMatchObject({ rowCount: 6 * 5 * RATIO, seriesCount: 6 });
    expect(r.body.latest.stats.columns.y.count).toBe(6 * 5);
  });

  it('refuses rates that do not divide, naming ratio', async () => {
    for (const ratio of ['2.5', '0', '-3']) {
      const r = await api
        .http()
        .post(upload(`&inputColumns=x&targetColumns=y&ratio=${ratio}`))
        .set('content-type', 'text/csv')
        .send(goodCsv)
        .expect(400);
      expect(r.body.details).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'ratio' })]));
    }
    const none = await api
      .http()
      .post(upload('&inputColumns=x&targetColumns=y'))
      .set('content-type', 'text/csv')
      .send(goodCsv)
      .expect(400);
    expect(none.body.details).toEqual([expect.objectContaining({ field: 'ratio' })]);
    // a sequence of 10 input rows at ratio 4 is two and a half chunks
    const ragged = csv(
      seq2seqCsvLines({
        inputs: [[Float32Array.from({ length: 10 }, (_, i) => i)]],
        targets: [[Float32Array.of(1, 2)]],
        ratio: RATIO,
        inputColumns: ['x'],
        targetColumns: ['y'],
      }),
    );
    const r = await api
      .http()
      .post(upload(`&inputColumns=x&targetColumns=y&ratio=${RATIO}`))
      .set('content-type', 'text/csv')
      .send(ragged)
      .expect(400);
    expect(r.body.details).toEqual([
      expect.objectContaining({
        field: 'ratio',
        column: 'sequence',
        reason: expect.stringContaining('10 input rows'),
      }),
    ]);
  });

  it('names missing columns, non-numeric values, misplaced and missing targets', async () => {
    const send = (query: string, body: string) =>
      api.http().post(upload(query)).set('content-type', 'text/csv').send(body).expect(400);
    let r = await send(`&inputColumns=x,z&targetColumns=y&ratio=${RATIO}`, goodCsv);
    expect(r.body.details).toEqual(expect.arrayContaining([expect.objectContaining({ column: 'z' })]));
    r = await send(`&ratio=${RATIO}`, goodCsv);
    expect(r.body.details).toEqual(
      expect.arrayContaining([expect.objectContaining({ field: 'targetColumns' })]),
    );
    // no rows: no sequence at all (a sequence exists only through its rows)
    r = await send(`&inputColumns=x&targetColumns=y&ratio=${RATIO}`, 'sequence,step,x,y\n');
    expect(r.body.details).toEqual([expect.objectContaining({ reason: expect.stringContaining('empty') })]);
    const lines = goodCsv.split('\n');
    // data row 3 (line 4) gets a word for its input
    const word = [...lines.slice(0, 3), lines[3].replace(/^(s0,2,)[^,]*/, '$1abc'), ...lines.slice(4)].join(
      '\n',
    );
    r = await send(`&inputColumns=x&targetColumns=y&ratio=${RATIO}`, word);
    expect(r.body.details[0]).toMatchObject({ row: 3, column: 'x' });
    // data row 4 ends the first chunk: its target moved to row 3
    const moved = [
      ...lines.slice(0, 3),
      `${lines[3]}${lines[4].split(',')[3]}`,
      lines[4].replace(/,[^,]*$/, ','),
      ...lines.slice(5),
    ].join('\n');
    r = await send(`&inputColumns=x&targetColumns=y&ratio=${RATIO}`, moved);
    expect(r.body.details).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          row: 3,
          column: 'y',
          reason: expect.stringContaining('targets belong on every 4th row'),
        }),
        expect.objectContaining({ row: 4, column: 'y', reason: expect.stringContaining('missing target') }),
      ]),
    );
  });

  it('appends whole sequences as a new version and refuses a bad append without touching the version', async () => {
    const before = (await api.http().get(`/datasets/${datasetId}`).expect(200)).body.latest;
    const extra = (length: number) =>
      csv(
        seq2seqCsvLines({
          inputs: [[Float32Array.from({ length }, (_, i) => i / 10)]],
          targets: [[Float32Array.from({ length: Math.floor(length / RATIO) }, (_, k) => k)]],
          ratio: RATIO,
          inputColumns: ['x'],
          targetColumns: ['y'],
          keys: ['late'],
        }),
      );
    const bad = await api
      .http()
      .post(`/datasets/${datasetId}/observations`)
      .set('content-type', 'text/csv')
      .send(extra(6))
      .expect(400);
    expect(bad.body.details).toEqual([expect.objectContaining({ field: 'ratio' })]);
    const after = (await api.http().get(`/datasets/${datasetId}`).expect(200)).body.latest;
    expect(after).toMatchObject({
      version: before.version,
      rowCount: before.rowCount,
      contentHash: before.contentHash,
    });
    const ok = await api
      .http()
      .post(`/datasets/${datasetId}/observations`)
      .set('content-type', 'text/csv')
      .send(extra(8))
      .expect(201);
    expect(ok.body).toMatchObject({ version: before.version + 1, rowCount: before.rowCount + 8 });
  });
});
