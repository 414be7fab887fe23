import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import { AddressInfo } from 'node:net';
import {
  Float64,
  Table,
  TimestampMillisecond,
  Utf8,
  tableFromIPC,
  vectorFromArray,
  RecordBatchStreamWriter,
  tableToIPC,
} from 'apache-arrow';
import { TestApi, startApi, tempDataDir } from '../../../../test/support/api';
import { runEntry } from '../../../../test/support/processes';

const H = 3_600_000;

function table(keys: string[], times: number[], values: number[]): Table {
  return new Table({
    key: vectorFromArray(keys, new Utf8()),
    ts: vectorFromArray(times, new TimestampMillisecond('UTC')),
    value: vectorFromArray(values, new Float64()),
  });
}

const ARROW = 'application/vnd.apache.arrow.stream';

/** Files in the dataset store (data, index, temporary). */
function storeFiles(api: TestApi): string[] {
  const dir = path.join(api.config.DATA_DIR, 'datasets');
  return fs.existsSync(dir) ? fs.readdirSync(dir) : [];
}

function binary(res: http.IncomingMessage, cb: (err: Error | null, body: Buffer) => void) {
  const parts: Buffer[] = [];
  res.on('data', (c: Buffer) => parts.push(c));
  res.on('end', () => cb(null, Buffer.concat(parts)));
}

/** A POST whose body goes out in small chunks with no Content-Length. */
function postChunked(
  api: TestApi,
  url: string,
  contentType: string,
  body: string,
): Promise<{ status: number; text: string }> {
  const port = (api.app.getHttpServer().address() as AddressInfo).port;
  return new Promise((resolve, reject) => {
    const req = http.request(
      { port, host: '127.0.0.1', method: 'POST', path: url, headers: { 'Content-Type': contentType } },
      (res) => {
        let text = '';
        res.on('data', (c) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      },
    );
    req.on('error', reject);
    for (let i = 0; i < body.length; i += 50) req.write(body.slice(i, i + 50));
    req.end();
  });
}

describe('datasets over HTTP', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startApi({ DATA_DIR: tempDataDir(), MAX_UPLOAD_BYTES: String(5_000_000) });
  });
  afterAll(async () => {
    await api.close();
    fs.rmSync(api.config.DATA_DIR, { recursive: true, force: true });
  });

  let id: string;
  const first = table(['a', 'a', 'b', 'b'], [0, H, 0, H], [1.5, 2.5, -3, 4e10]);

  it('stores an Arrow IPC stream and answers every read endpoint', async () => {
    const res = await api
      .http()
      .post('/datasets?name=demo&kind=series')
      .set('Content-Type', ARROW)
      .send(Buffer.from(tableToIPC(first, 'stream')));
    expect(res.status).toBe(201);
    id = res.body.id;
    expect(res.body.latest).toMatchObject({
      version: 1,
      rowCount: 4,
      seriesCount: 2,
      frequency: '1h',
      timeStart: '1970-01-01T00:00:00.000Z',
      timeEnd: '1970-01-01T01:00:00.000Z',
    });
    expect(res.body.latest.stats.columns.value).toMatchObject({ count: 4, min: -3, max: 4e10 });

    expect((await api.http().get('/datasets')).body.items.map((d: { id: string }) => d.id)).toContain(id);
    expect((await api.http().get(`/datasets/${id}`)).body.name).toBe('demo');
    expect((await api.http().get(`/datasets/${id}/versions`)).body).toHaveLength(1);
    const series = await api.http().get(`/datasets/${id}/series?limit=1&offset=1`);
    expect(series.body).toEqual({
      items: [{ key: 'b', rows: 2, first: '1970-01-01T00:00:00.000Z', last: '1970-01-01T01:00:00.000Z' }],
      total: 2,
    });
    const values = await api.http().get(`/datasets/${id}/series/b?from=1970-01-01T01:00:00Z`);
    expect(values.body).toEqual({
      key: 'b',
      times: ['1970-01-01T01:00:00.000Z'],
      columns: { value: [4e10] },
    });
    expect((await api.http().get(`/datasets/${id}/series/nope`)).status).toBe(404);

    const arrow = await api
      .http()
      .get(`/datasets/${id}/export?format=arrow`)
      .buffer(true)
      .parse(binary as never);
    expect(arrow.headers['content-type']).toBe(ARROW);
    expect(
      tableFromIPC(arrow.body as Buffer)
        .toArray()
        .map((r) => r.toJSON()),
    ).toEqual(first.toArray().map((r) => r.toJSON()));
    const csv = await api.http().get(`/datasets/${id}/export?format=csv`);
    expect(csv.text.split('\n')[0]).toBe('key,ts,value');
    expect(csv.text.split('\n')[4]).toBe('b,1970-01-01T01:00:00.000Z,40000000000');
  });

  it('appends observations as a new version with one more file', async () => {
    const more = table(['a', 'c'], [2 * H, 0], [7, 8]);
    const res = await api
      .http()
      .post(`/datasets/${id}/observations`)
      .set('Content-Type', ARROW)
      .send(Buffer.from(tableToIPC(more, 'stream')));
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ version: 2, rowCount: 6, seriesCount: 3 });
    expect(res.body.files).toHaveLength(2);
    const v1 = (await api.http().get(`/datasets/${id}/versions/1`)).body;
    expect(res.body.files[0]).toBe(v1.files[0]);
    const a = await api.http().get(`/datasets/${id}/series/a`);
    expect(a.body.columns.value).toEqual([1.5, 2.5, 7]);
  });

  it('refuses bad data with row, column and reason, and stores nothing', async () => {
    const before = storeFiles(api);
    const total = (await api.http().get('/datasets')).body.total;
    const res = await api
      .http()
      .post('/datasets?name=bad&keyColumns=id')
      .set('Content-Type', 'text/csv')
      .send('id,ts,v\na,2020-01-01,1\na,2020-01-02,oops\n');
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      error: 'validation_failed',
      message: expect.stringContaining('row 2, column v'),
      details: [{ row: 2, column: 'v', reason: "wrong type: 'oops' is not a number" }],
      requestId: expect.any(String),
    });
    expect(storeFiles(api)).toEqual(before);
    expect((await api.http().get('/datasets')).body.total).toBe(total);
  });

  it('answers 413 over the size limit (declared or streamed) and 415 for an unknown type', async () => {
    const big = await api
      .http()
      .post('/datasets?name=big')
      .set('Content-Type', 'text/csv')
      .send('x'.repeat(5_000_001));
    expect(big.status).toBe(413);
    const rows =
      'ts,v\n' +
      Array.from({ length: 200 }, (_, i) => `2020-01-01T00:00:${String(i % 60).padStart(2, '0')}Z,1`).join(
        '\n',
      );
    // Sent in chunks without a Content-Length: the limit applies while reading.
    const limited = await postChunked(api, '/datasets?name=big&maxBytes=100', 'text/csv', rows);
    expect(limited.status).toBe(413);
    expect(JSON.parse(limited.text).error).toBe('payload_too_large');
    const odd = await api
      .http()
      .post('/datasets?name=x')
      .set('Content-Type', 'image/png')
      .send(Buffer.from([1, 2, 3]));
    expect(odd.status).toBe(415);
  });

  it('reads the other formats: tsf, EasyTPP JSON, CSV events', async () => {
    const tsf =
      '@relation t\n@attribute series_name string\n@attribute start_timestamp date\n@frequency monthly\n@missing true\n@equallength false\n@data\nT1:2020-01-01 00-00-00:1,2,?,4\nT2:2020-06-01 00-00-00:5,6\n';
    const r1 = await api
      .http()
      .post('/datasets?name=tsf&format=tsf')
      .set('Content-Type', 'application/x-tsf')
      .send(tsf);
    expect(r1.status).toBe(201);
    expect(r1.body.latest).toMatchObject({
      rowCount: 6,
      seriesCount: 2,
      frequency: '1M',
      timeEnd: '2020-07-01T00:00:00.000Z',
    });
    const easy = [
      {
        dim_process: 2,
        seq_idx: 0,
        seq_len: 2,
        time_since_start: [0, 1.5],
        time_since_last_event: [0, 1.5],
        type_event: [1, 0],
      },
    ];
    const r2 = await api.http().post('/datasets?name=tpp&kind=events&format=easytpp').send(easy);
    expect(r2.status).toBe(201);
    expect(r2.body.latest).toMatchObject({ eventCount: 2, seriesCount: 1, timeStart: 0, timeEnd: 1.5 });
    expect(r2.body.latest.schema).toMatchObject({ kind: 'events', numTypes: 2, typeColumn: 'type' });
  });

  it('a killed upload leaves nothing behind', async () => {
    const before = storeFiles(api);
    const total = (await api.http().get('/datasets')).body.total;
    const port = (api.app.getHttpServer().address() as AddressInfo).port;
    const big = table(
      Array.from({ length: 50_000 }, () => 'k'),
      Array.from({ length: 50_000 }, (_, i) => i * 1000),
      Array.from({ length: 50_000 }, (_, i) => i),
    );
    const bytes = Buffer.from(RecordBatchStreamWriter.writeAll(big.batches).toUint8Array(true));
    await new Promise<void>((resolve) => {
      const req = http.request({
        port,
        host: '127.0.0.1',
        method: 'POST',
        path: '/datasets?name=killed',
        headers: { 'Content-Type': ARROW, 'Transfer-Encoding': 'chunked' },
      });
      req.on('error', () => resolve());
      req.write(bytes.subarray(0, Math.floor(bytes.length / 2)), () => {
        // Let the server read and write some of it, then drop the connection.
        setTimeout(() => {
          req.destroy();
          resolve();
        }, 200);
      });
    });
    await new Promise((r) => setTimeout(r, 300));
    expect(storeFiles(api)).toEqual(before);
    expect((await api.http().get('/datasets')).body.total).toBe(total);
  });
});

describe('seqcast ingest (CLI)', () => {
  it('streams a file to the server and prints the new version; errors name the row', async () => {
    const api = await startApi({ DATA_DIR: tempDataDir() });
    try {
      const url = `http://127.0.0.1:${(api.app.getHttpServer().address() as AddressInfo).port}`;
      const file = require.resolve('vega-datasets/data/co2-concentration.csv');
      const ok = runEntry('apps/cli/src/main.ts', { SEQCAST_URL: url }, [
        'ingest',
        file,
        '--time-column',
        'Date',
        '--name',
        'co2',
      ]);
      expect(await ok.exited).toBe(0);
      expect(ok.output()).toMatch(/version 1: \d+ rows, 1 series, frequency 1M/);
      expect(ok.output()).toMatch(/ingest co2-concentration.csv 100%/);
      const bad = path.join(api.config.DATA_DIR, 'bad.csv');
      fs.writeFileSync(bad, 'ts,v\n2020-01-02,1\n2020-01-01,2\n');
      const refused = runEntry('apps/cli/src/main.ts', { SEQCAST_URL: url }, ['ingest', bad]);
      expect(await refused.exited).toBe(1);
      expect(refused.output()).toMatch(/400: .*\n {2}row 2, ts: unsorted/);
    } finally {
      await api.close();
    }
  }, 60000);
});

describe('the demo dataset', () => {
  it('is loaded on first start from vega-datasets (CO2 at Mauna Loa), and only once', async () => {
    const dir = tempDataDir();
    let api = await startApi({ DATA_DIR: dir, SEQCAST_DEMO_DATA: 'true' });
    try {
      const list = (await api.http().get('/datasets')).body;
      expect(list.total).toBe(1);
      const lines = fs
        .readFileSync(require.resolve('vega-datasets/data/co2-concentration.csv'), 'utf8')
        .trim()
        .split('\n');
      expect(list.items[0]).toMatchObject({
        name: 'co2-concentration',
        kind: 'series',
        latest: { rowCount: lines.length - 1, frequency: '1M', timeStart: '1958-03-01T00:00:00.000Z' },
      });
    } finally {
      await api.close();
    }
    api = await startApi({ DATA_DIR: dir, SEQCAST_DEMO_DATA: 'true' });
    try {
      expect((await api.http().get('/datasets')).body.total).toBe(1);
    } finally {
      await api.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
