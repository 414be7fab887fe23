import * as fs from 'node:fs';
import * as http from 'node:http';
import { AddressInfo } from 'node:net';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { TestApi, startApi, tempDataDir } from '../../../../test/support/api';

const CSV =
  'ts,v\n' +
  Array.from({ length: 48 }, (_, i) => `2020-01-01T${String(i % 24).padStart(2, '0')}:00:00Z,${i}`)
    .slice(0, 24)
    .join('\n') +
  '\n';

/** A POST with exactly these headers and bytes. */
function rawPost(
  api: TestApi,
  url: string,
  o: { headers: Record<string, string>; body: Buffer },
): Promise<{ status: number; text: string }> {
  const port = (api.app.getHttpServer().address() as AddressInfo).port;
  return new Promise((resolve, reject) => {
    const req = http.request({ port, host: '127.0.0.1', method: 'POST', path: url, headers: o.headers }, (res) => {
      let text = '';
      res.on('data', (c) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on('error', reject);
    req.end(o.body);
  });
}

function storeFiles(api: TestApi): string[] {
  const dir = path.join(api.config.DATA_DIR, 'datasets');
  return fs.existsSync(dir) ? fs.readdirSync(dir) : [];
}

describe('uploads from other sites and compressed uploads', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startApi({ DATA_DIR: tempDataDir(), MAX_UPLOAD_BYTES: String(100_000) });
  });
  afterAll(async () => {
    await api.close();
    fs.rmSync(api.config.DATA_DIR, { recursive: true, force: true });
  });

  it('refuses text/plain, forms and a missing type with 415 naming content-type', async () => {
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
      const res = await api.http().post('/datasets?name=plain&format=csv').set('Content-Type', type).send(CSV);
      expect(res.status).toBe(415);
      expect(res.body).toMatchObject({
        error: 'unsupported_media_type',
        message: expect.any(String),
        details: [{ field: 'content-type', reason: expect.stringContaining('text/csv') }],
      });
    }
    const none = await api.http().post('/datasets?name=none&format=csv').send(Buffer.from(CSV));
    expect(none.status).toBe(415);
    expect(none.body.details[0].field).toBe('content-type');
    expect((await api.http().get('/datasets')).body.total).toBe(0);
  });

  it('refuses a write from another origin with 403, whatever the type', async () => {
    const evil = await api
      .http()
      .post('/datasets?name=evil')
      .set('Origin', 'http://evil.example')
      .set('Content-Type', 'text/csv')
      .send(CSV);
    expect(evil.status).toBe(403);
    expect(evil.body).toMatchObject({
      error: 'forbidden',
      message: expect.any(String),
      details: [{ field: 'origin', reason: expect.any(String) }],
    });
    const form = await api
      .http()
      .post('/models')
      .set('Origin', 'http://evil.example')
      .type('form')
      .send({ kind: 'naive' });
    expect(form.status).toBe(403);
    expect((await api.http().get('/datasets')).body.total).toBe(0);
    // Reads are not refused, and without CORS_ORIGINS no CORS header is sent.
    const read = await api.http().get('/datasets').set('Origin', 'http://evil.example');
    expect(read.status).toBe(200);
    expect(read.headers['access-control-allow-origin']).toBeUndefined();
    const preflight = await api
      .http()
      .options('/datasets')
      .set('Origin', 'http://evil.example')
      .set('Access-Control-Request-Method', 'POST');
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
    // A page served by this server (the OpenAPI console) names its own host.
    const host = `127.0.0.1:${(api.app.getHttpServer().address() as { port: number }).port}`;
    const own = await api
      .http()
      .post('/datasets?name=own')
      .set('Origin', `http://${host}`)
      .set('Content-Type', 'text/csv')
      .send(CSV);
    expect(own.status).toBe(201);
  });

  it('reads a gzipped or deflated CSV as the same rows as the plain one', async () => {
    const plain = await api.http().post('/datasets?name=plain').set('Content-Type', 'text/csv').send(CSV);
    expect(plain.status).toBe(201);
    for (const [encoding, body] of [
      ['gzip', zlib.gzipSync(CSV)],
      ['deflate', zlib.deflateSync(CSV)],
      ['br', zlib.brotliCompressSync(CSV)],
    ] as const) {
      const res = await api
        .http()
        .post(`/datasets?name=${encoding}`)
        .set('Content-Type', 'text/csv')
        .set('Content-Encoding', encoding)
        .send(body);
      expect(res.status).toBe(201);
      expect(res.body.latest).toMatchObject({
        rowCount: plain.body.latest.rowCount,
        timeStart: plain.body.latest.timeStart,
        timeEnd: plain.body.latest.timeEnd,
      });
      const a = await api.http().get(`/datasets/${plain.body.id}/export?format=csv`);
      const b = await api.http().get(`/datasets/${res.body.id}/export?format=csv`);
      expect(b.status).toBe(200);
      expect(b.text).toContain('2020-01-01T23:00:00');
      expect(b.text).toBe(a.text);
    }
  });

  it('refuses a gzip that inflates past MAX_UPLOAD_BYTES with 413, leaving nothing on disk', async () => {
    const before = storeFiles(api);
    const total = (await api.http().get('/datasets')).body.total;
    const rows = Array.from({ length: 20_000 }, (_, i) => `2020-01-01T00:00:00Z,${i % 10}`).join('\n');
    const bomb = zlib.gzipSync('ts,v\n' + rows);
    expect(bomb.length).toBeLessThan(100_000);
    const res = await api
      .http()
      .post('/datasets?name=bomb')
      .set('Content-Type', 'text/csv')
      .set('Content-Encoding', 'gzip')
      .send(bomb);
    expect(res.status).toBe(413);
    expect(res.body.error).toBe('payload_too_large');
    await new Promise((r) => setTimeout(r, 100));
    expect(storeFiles(api)).toEqual(before);
    expect((await api.http().get('/datasets')).body.total).toBe(total);
  });

  it('refuses an unknown Content-Encoding with 415 naming content-encoding, and a corrupt gzip with 400', async () => {
    const res = await api
      .http()
      .post('/datasets?name=zstd')
      .set('Content-Type', 'text/csv')
      .set('Content-Encoding', 'zstd')
      .send(Buffer.from('junk'));
    expect(res.status).toBe(415);
    expect(res.body.details).toEqual([{ field: 'content-encoding', reason: expect.any(String) }]);
    const json = await api
      .http()
      .post('/datasets?name=zstd&format=json')
      .set('Content-Type', 'application/json')
      .set('Content-Encoding', 'zstd')
      .send(Buffer.from('[]'));
    expect(json.status).toBe(415);
    expect(json.body.details).toEqual([{ field: 'content-encoding', reason: expect.any(String) }]);
    // A JSON upload is inflated by the JSON parser (supertest would re-encode a Buffer as JSON).
    const rows = [
      { ts: '2020-01-01T00:00:00Z', v: 1 },
      { ts: '2020-01-01T01:00:00Z', v: 2 },
    ];
    const gzJson = await rawPost(api, '/datasets?name=gzjson', {
      headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
      body: zlib.gzipSync(JSON.stringify(rows)),
    });
    expect(gzJson.status).toBe(201);
    expect(JSON.parse(gzJson.text).latest.rowCount).toBe(2);
    const bad = await api
      .http()
      .post('/datasets?name=bad')
      .set('Content-Type', 'text/csv')
      .set('Content-Encoding', 'gzip')
      .send(Buffer.from('not gzip at all'));
    expect(bad.status).toBe(400);
    expect(bad.body.details[0].field).toBe('content-encoding');
  });
});

describe('CORS_ORIGINS', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startApi({ DATA_DIR: tempDataDir(), CORS_ORIGINS: 'https://app.example.com, http://localhost:5173' });
  });
  afterAll(async () => {
    await api.close();
    fs.rmSync(api.config.DATA_DIR, { recursive: true, force: true });
  });

  it('gives a listed origin the CORS headers and lets it write; others get neither', async () => {
    const preflight = await api
      .http()
      .options('/datasets')
      .set('Origin', 'https://app.example.com')
      .set('Access-Control-Request-Method', 'POST');
    expect(preflight.status).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe('https://app.example.com');
    const write = await api
      .http()
      .post('/datasets?name=listed')
      .set('Origin', 'http://localhost:5173')
      .set('Content-Type', 'text/csv')
      .send(CSV);
    expect(write.status).toBe(201);
    expect(write.headers['access-control-allow-origin']).toBe('http://localhost:5173');
    const other = await api
      .http()
      .post('/datasets?name=other')
      .set('Origin', 'http://evil.example')
      .set('Content-Type', 'text/csv')
      .send(CSV);
    expect(other.status).toBe(403);
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
  });
});
