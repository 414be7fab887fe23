import * as path from 'path';
import { authRequired, loadConfig } from '@seqcast/core';
import { DataSource } from 'typeorm';
import { startApi, tempDataDir, TestApi } from '../../../test/support/api';
import { runEntry } from '../../../test/support/processes';

/** Makes a key through the CLI, against the same SQLite file the API serves from. */
async function cliKey(dataDir: string, scopes: string): Promise<string> {
  const p = runEntry('apps/cli/src/main.ts', { DATA_DIR: dataDir }, ['keys', 'create', '--scopes', scopes, '--name', `t-${scopes}`]);
  expect(await p.exited).toBe(0);
  const key = /^(sck_\S+)$/m.exec(p.output())?.[1];
  if (!key) throw new Error(`no key printed:\n${p.output()}`);
  return key;
}

describe('API keys (AUTH=required)', () => {
  let api: TestApi;
  let dataDir: string;
  let admin: string;

  beforeAll(async () => {
    dataDir = tempDataDir();
    // The first admin key exists before any server does: the CLI works on the database itself.
    admin = await cliKey(dataDir, 'admin');
    api = await startApi({ DATA_DIR: dataDir, AUTH: 'required' });
  }, 60000);
  afterAll(async () => api?.close());

  const create = async (scopes: string[]) => {
    const res = await api.http().post('/keys').set('Authorization', `Bearer ${admin}`).send({ scopes, name: scopes.join('+') });
    expect(res.status).toBe(201);
    return res.body as { id: string; key: string; prefix: string };
  };

  it('answers 401 in the error shape without a key or with an unknown one; /health stays public', async () => {
    const none = await api.http().get('/jobs');
    expect(none.status).toBe(401);
    expect(none.body).toEqual(expect.objectContaining({ error: 'unauthorized', details: [], requestId: expect.any(String) }));
    expect((await api.http().get('/jobs').set('X-Api-Key', 'sck_nothing_real')).status).toBe(401);
    expect((await api.http().get('/jobs').set('Authorization', 'Basic abc')).status).toBe(401);
    expect([200, 503]).toContain((await api.http().get('/health')).status);
  });

  it('lets a read key GET but not POST (403), and a write key POST', async () => {
    const read = await create(['read']);
    expect((await api.http().get('/jobs').set('Authorization', `Bearer ${read.key}`)).status).toBe(200);
    const denied = await api.http().post('/schedules').set('X-Api-Key', read.key).send({});
    expect(denied.status).toBe(403);
    expect(denied.body).toEqual(expect.objectContaining({ error: 'forbidden', message: expect.stringContaining('write') }));
    const write = await create(['write']);
    // Past the key check, the empty body is the validation's to refuse.
    const passed = await api.http().post('/schedules').set('X-Api-Key', write.key).send({});
    expect(passed.status).toBe(400);
    expect(passed.body.error).toBe('validation_failed');
    expect((await api.http().get('/keys').set('X-Api-Key', write.key)).status).toBe(403);
  });

  it('refuses a revoked key with 401', async () => {
    const k = await create(['read']);
    expect((await api.http().get('/jobs').set('X-Api-Key', k.key)).status).toBe(200);
    expect((await api.http().delete(`/keys/${k.id}`).set('X-Api-Key', admin)).status).toBe(200);
    expect((await api.http().get('/jobs').set('X-Api-Key', k.key)).status).toBe(401);
    expect((await api.http().delete('/keys/nope').set('X-Api-Key', admin)).status).toBe(404);
  });

  it('lists prefixes and scopes, never keys or hashes, and stores only hashes', async () => {
    const k = await create(['read', 'write']);
    const list = await api.http().get('/keys').set('X-Api-Key', admin);
    expect(list.status).toBe(200);
    const text = JSON.stringify(list.body);
    expect(text).toContain(k.prefix);
    expect(text).not.toContain(k.key);
    expect(list.body[0]).not.toHaveProperty('hash');
    expect(list.body[0]).not.toHaveProperty('key');
    const rows: Array<Record<string, unknown>> = await api.app.get(DataSource).query('SELECT * FROM api_key');
    const stored = JSON.stringify(rows);
    expect(stored).not.toContain(k.key);
    expect(stored).not.toContain(admin);
    expect(rows.every((r) => /^[0-9a-f]{64}$/.test(String(r.hash)))).toBe(true);
  });

  it('refuses bad key requests with 400', async () => {
    const res = await api.http().post('/keys').set('X-Api-Key', admin).send({ scopes: ['root'] });
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('validation_failed');
  });

  it('declares the bearer and X-Api-Key security schemes in the OpenAPI document', async () => {
    const doc = await api.http().get('/docs/json');
    expect(doc.status).toBe(200);
    expect(doc.body.components.securitySchemes).toEqual({
      bearer: expect.objectContaining({ type: 'http', scheme: 'bearer' }),
      apiKey: expect.objectContaining({ type: 'apiKey', in: 'header', name: 'X-Api-Key' }),
    });
    expect(doc.body.security).toEqual([{ bearer: [] }, { apiKey: [] }]);
  });
});

describe('AUTH setting', () => {
  it('defaults to off on a loopback HOST and to required elsewhere', () => {
    expect(authRequired(loadConfig({}))).toBe(false);
    expect(authRequired(loadConfig({ HOST: '::1' }))).toBe(false);
    expect(authRequired(loadConfig({ HOST: '0.0.0.0' }))).toBe(true);
    expect(authRequired(loadConfig({ HOST: '127.0.0.1', AUTH: 'required' }))).toBe(true);
  });

  it('refuses to boot with AUTH=off on a non-loopback HOST, naming AUTH and HOST (exit 78)', async () => {
    const p = runEntry('apps/api/src/main.ts', { DATA_DIR: tempDataDir(), AUTH: 'off', HOST: '0.0.0.0' });
    expect(await p.exited).toBe(78);
    expect(p.output()).toMatch(/^ {2}AUTH: .*HOST=0\.0\.0\.0/m);
  }, 30000);

  it('sends SEQCAST_API_KEY from the CLI', async () => {
    const { ApiClient } = await import(path.join('..', '..', 'cli', 'src', 'api-client'));
    const client = new ApiClient('http://127.0.0.1:1', 'sck_x');
    expect(client.authHeaders()).toEqual({ authorization: 'Bearer sck_x' });
  });
});
