import { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { startApiWithLog, waitFor } from '../../../test/support/api';

const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** X-Request-Id (issue 24 #5): honoured when safe, echoed, in every error body and log line. */
describe('request id', () => {
  let lines: string[] = [];
  let app: INestApplication;
  beforeAll(async () => {
    ({ app, lines } = await startApiWithLog());
  }, 30000);
  afterAll(() => app.close());

  const http = () => request(app.getHttpServer());

  it('echoes a given safe id in the header, the error body and the request log', async () => {
    const res = await http().get(`/models/${UNKNOWN_ID}`).set('X-Request-Id', 'trace-42.a:b_c').expect(404);
    expect(res.headers['x-request-id']).toBe('trace-42.a:b_c');
    expect(res.body).toMatchObject({ error: 'not_found', requestId: 'trace-42.a:b_c' });
    const logged = await waitFor(
      async () => lines.map((l) => JSON.parse(l)).filter((l) => l.requestId === 'trace-42.a:b_c'),
      (ls) => ls.some((l) => l.res?.statusCode === 404),
      5000,
    );
    for (const l of logged) expect(l.req?.id ?? l.requestId).toBe('trace-42.a:b_c');
  });

  it('makes one when none is given, the same in header and body', async () => {
    const res = await http().post('/models').send({ kind: 'nlinear' }).expect(400);
    expect(res.headers['x-request-id']).toMatch(UUID);
    expect(res.body.requestId).toBe(res.headers['x-request-id']);
    // Success answers carry it too.
    const ok = await http().get('/health').expect(200);
    expect(ok.headers['x-request-id']).toMatch(UUID);
  });

  it('replaces an unsafe or overlong id', async () => {
    for (const unsafe of ['has space', 'quote"d', 'a'.repeat(65), '<script>', 'semi;colon']) {
      const res = await http().get(`/models/${UNKNOWN_ID}`).set('X-Request-Id', unsafe).expect(404);
      expect(res.headers['x-request-id']).toMatch(UUID);
      expect(res.body.requestId).toBe(res.headers['x-request-id']);
    }
    // The log line keeps what was sent (JSON-escaped, among the request headers) but ids the request by the new one.
    const logged = lines
      .map((l) => JSON.parse(l))
      .filter((l) => l.req?.headers?.['x-request-id'] === '<script>');
    expect(logged.length).toBeGreaterThan(0);
    for (const l of logged) {
      expect(l.requestId).toMatch(UUID);
      expect(l.req.id).toBe(l.requestId);
    }
  });

  it('answers a malformed JSON body with the id too', async () => {
    const res = await http()
      .post('/models')
      .set('Content-Type', 'application/json')
      .set('X-Request-Id', 'bad-json-1')
      .send('{"kind":')
      .expect(400);
    expect(res.body.requestId).toBe('bad-json-1');
    expect(res.headers['x-request-id']).toBe('bad-json-1');
  });

  it('is in the body of a refusal by a middleware before any route (a cross-site write)', async () => {
    const res = await http()
      .post('/models')
      .set('Origin', 'http://evil.example')
      .set('X-Request-Id', 'xsite-1')
      .send({});
    expect(res.status).toBe(403);
    expect(res.body.requestId).toBe('xsite-1');
    expect(res.headers['x-request-id']).toBe('xsite-1');
  });
});
