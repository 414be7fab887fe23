import { waitFor } from '../../support/api';
import {
  BAD_REQUEST,
  CREATED,
  CSV,
  Case,
  CorpusContext,
  SERIES,
  TOO_LARGE,
  UNSUPPORTED,
  bad,
  json,
  nested,
  upload,
} from './corpus-case';
import { MiB, csv, gzip, gzipBomb, repeated } from './inputs';
import { RawResponse } from './send';

const MISSING = '00000000-0000-4000-8000-000000000000';
const valid = csv(60);
const idOf = (res: RawResponse) => (res.json as { id: string }).id;

/** Waits for a job to end and returns it. */
async function settled(
  ctx: CorpusContext,
  jobId: string,
): Promise<{ status: string; attempts: number; error: string | null }> {
  return waitFor(
    async () =>
      (await ctx.get(`/jobs/${jobId}`)).json as { status: string; attempts: number; error: string | null },
    (j) => ['succeeded', 'failed', 'cancelled'].includes(j.status),
    120_000,
    100,
  );
}

/** Keeps the id of what the case made under `name`. */
const keep = (name: string) => async (res: RawResponse, ctx: CorpusContext) => {
  ctx.ids[name] = idOf(res);
};

/** Trains the model the case made; the job must end as `status` after `attempts` attempt(s). */
const trainedAs =
  (name: string, route: 'models' | 'event-models', status: string) =>
  async (res: RawResponse, ctx: CorpusContext) => {
    ctx.ids[name] = idOf(res);
    const job = await ctx.send({ ...json('POST', `/${route}/${ctx.ids[name]}/train`, {}) });
    expect(job.status).toBe(202);
    const done = await settled(ctx, idOf(job));
    expect({ name, status: done.status, attempts: done.attempts }).toEqual({ name, status, attempts: 1 });
  };

const events = [
  'seq,time,type',
  ...Array.from({ length: 30 }, (_, s) =>
    Array.from({ length: 12 }, (_, k) => `s${s},${k * 1.5 + (s % 3) * 0.1},${['a', 'b', 'c'][(k + s) % 3]}`),
  ).flat(),
].join('\n');

/** Encodings, content types, origins, keys and the request bodies of the JSON routes. */
export const transportCases: Case[] = [
  {
    group: 'encoding',
    name: 'gzip-encoded CSV (accepted, not read as text)',
    request: upload('gzip-csv', SERIES, CSV, gzip(valid), { 'Content-Encoding': 'gzip' }),
    expect: CREATED,
    creates: { dataset: 1, dataset_version: 1 },
  },
  {
    group: 'encoding',
    name: 'Content-Encoding gzip on a plain body',
    request: upload('gzip-lie', SERIES, CSV, valid, { 'Content-Encoding': 'gzip' }),
    expect: BAD_REQUEST,
  },
  {
    group: 'encoding',
    name: 'truncated gzip',
    request: upload('gzip-truncated', SERIES, CSV, gzip(csv(2000)).subarray(0, 3000), {
      'Content-Encoding': 'gzip',
    }),
    expect: BAD_REQUEST,
  },
  {
    group: 'encoding',
    name: 'gzip bomb over MAX_UPLOAD_BYTES decompressed',
    request: upload('gzip-bomb', SERIES, CSV, gzipBomb(80 * MiB), { 'Content-Encoding': 'gzip' }),
    expect: TOO_LARGE,
  },
  {
    group: 'encoding',
    name: 'Content-Encoding compress (unknown)',
    request: upload('compress', SERIES, CSV, valid, { 'Content-Encoding': 'compress' }),
    expect: UNSUPPORTED,
  },
  {
    group: 'encoding',
    name: 'gzip-encoded JSON request with a plain body',
    request: json('POST', '/models', '{"kind":"naive"}', { 'Content-Encoding': 'gzip' }),
    expect: bad(400, 'bad_request'),
  },
  {
    group: 'content-type',
    name: 'text/plain upload',
    request: upload('plain', `${SERIES}&format=csv`, 'text/plain', valid),
    expect: UNSUPPORTED,
  },
  {
    group: 'content-type',
    name: 'upload without a content type',
    request: upload('no-type', `${SERIES}&format=csv`, null, valid),
    expect: UNSUPPORTED,
  },
  {
    group: 'content-type',
    name: 'form-encoded upload',
    request: upload('form', `${SERIES}&format=csv`, 'application/x-www-form-urlencoded', 'a=1&b=2'),
    expect: UNSUPPORTED,
  },
  {
    group: 'content-type',
    name: 'image/png upload',
    request: upload('png', '', 'image/png', Buffer.from([0x89, 0x50, 0x4e, 0x47])),
    expect: UNSUPPORTED,
  },
  {
    group: 'content-type',
    name: 'octet-stream without a format',
    request: upload('octets', SERIES, 'application/octet-stream', valid),
    expect: UNSUPPORTED,
  },
  {
    group: 'content-type',
    name: 'unknown format parameter',
    request: upload('bad-format', `${SERIES}&format=parquet`, CSV, valid),
    expect: BAD_REQUEST,
  },
  {
    group: 'security',
    name: 'cross-site upload (Origin evil.example, text/plain)',
    request: upload('evil', `${SERIES}&format=csv`, 'text/plain', valid, { Origin: 'http://evil.example' }),
    expect: bad(403, 'forbidden'),
  },
  {
    group: 'security',
    name: 'upload without an API key (AUTH=required)',
    request: upload('anonymous', SERIES, CSV, valid),
    anonymous: true,
    expect: bad(401, 'unauthorized'),
  },
  {
    group: 'security',
    name: 'list without an API key',
    request: { method: 'GET', path: '/datasets' },
    anonymous: true,
    expect: bad(401, 'unauthorized'),
  },
  {
    group: 'security',
    name: 'a wrong API key',
    request: { method: 'GET', path: '/models', headers: { Authorization: 'Bearer sk_not_a_key' } },
    anonymous: true,
    expect: bad(401, 'unauthorized'),
  },
  {
    group: 'security',
    name: 'evaluation.tpp job reading /etc/shadow via POST /jobs',
    request: json('POST', '/jobs', {
      type: 'evaluation.tpp',
      payload: {
        datasets: [{ name: 'x', source: { kind: 'earthquakes', file: '/etc/shadow' } }],
        models: [{ kind: 'rmtpp' }],
        seeds: [0],
      },
    }),
    expect: BAD_REQUEST,
  },
  {
    group: 'limits',
    name: 'upload interrupted mid-transfer',
    request: {
      ...upload('interrupted', SERIES, CSV, repeated(4 * MiB, 'time,value\n', '', '\n'), {
        'Content-Length': String(8 * MiB),
      }),
      abortAfter: 2 * MiB,
    },
    expect: { status: 0 },
  },
  {
    group: 'limits',
    name: 'upload over MAX_UPLOAD_BYTES, sent without a length',
    request: upload('over-upload-limit', SERIES, CSV, repeated(72 * MiB, 'time,value\n', '', '\n')),
    expect: TOO_LARGE,
  },
  {
    group: 'limits',
    name: 'forecast whose context holds 6 M numbers (28 MB JSON)',
    request: json('POST', `/models/${MISSING}/forecast`, async function* () {
      yield '{"horizon":4,"context":[';
      const chunk = '1.5,'.repeat(MiB / 4);
      for (let sent = 0; sent < 6_000_000 - MiB / 4; sent += MiB / 4) yield chunk;
      yield '1.5]}';
    }),
    expect: TOO_LARGE,
  },
  {
    group: 'limits',
    name: 'JSON body over MAX_JSON_BYTES, sent without a length',
    request: json('POST', '/models', repeated(52 * MiB, '{"name":"', '"}')),
    expect: TOO_LARGE,
  },
  {
    group: 'limits',
    name: 'JSON body over MAX_JSON_BYTES (declared length)',
    request: {
      ...json('POST', '/models', repeated(60 * MiB, '{"name":"', '"}')),
      headers: { 'Content-Type': 'application/json', 'Content-Length': String(60 * MiB + 11) },
    },
    expect: TOO_LARGE,
  },
  {
    group: 'json-body',
    name: '10 000-level nested JSON to POST /models',
    request: json('POST', '/models', `{"config":${nested(10_000)}}`),
    expect: BAD_REQUEST,
  },
  {
    group: 'json-body',
    name: 'malformed JSON to POST /models',
    request: json('POST', '/models', '{"kind": "naive",'),
    expect: bad(400, 'bad_request'),
  },
  {
    group: 'json-body',
    name: 'a JSON string as the body of POST /models',
    request: json('POST', '/models', '"naive"'),
    expect: bad(400, 'bad_request'),
  },
  {
    group: 'json-body',
    name: 'wrong field types on POST /models',
    request: json('POST', '/models', { kind: 7, datasetId: 'x', lookback: '8', horizon: [4] }),
    expect: BAD_REQUEST,
  },
  {
    group: 'json-body',
    name: 'unknown fields on POST /models',
    request: json('POST', '/models', {
      kind: 'naive',
      datasetId: MISSING,
      lookback: 8,
      horizon: 4,
      sneaky: true,
    }),
    expect: BAD_REQUEST,
  },
  {
    group: 'json-body',
    name: '__proto__ in the body of POST /models',
    request: json(
      'POST',
      '/models',
      `{"kind":"naive","datasetId":"${MISSING}","lookback":8,"horizon":4,"__proto__":{"isAdmin":true}}`,
    ),
    expect: BAD_REQUEST,
  },
  {
    group: 'json-body',
    name: 'JSON in UTF-16 to POST /models',
    request: {
      method: 'POST',
      path: '/models',
      headers: { 'Content-Type': 'application/json; charset=utf-16le' },
      body: Buffer.from('{"kind":"naive"}', 'utf16le'),
    },
    expect: UNSUPPORTED,
  },
  {
    group: 'json-body',
    name: 'POST /models sent as text/plain',
    request: {
      method: 'POST',
      path: '/models',
      headers: { 'Content-Type': 'text/plain' },
      body: '{"kind":"naive"}',
    },
    expect: BAD_REQUEST,
  },
  {
    group: 'schedules',
    name: 'every-second schedule * * * * * *',
    request: json('POST', '/schedules', {
      name: 'fast',
      cron: '* * * * * *',
      jobType: 'diagnostic.sleep',
      payload: {},
    }),
    expect: BAD_REQUEST,
  },
  {
    group: 'schedules',
    name: 'a cron that does not parse',
    request: json('POST', '/schedules', {
      name: 'bad',
      cron: 'every day',
      jobType: 'diagnostic.sleep',
      payload: {},
    }),
    expect: BAD_REQUEST,
  },
];

/** Cases on things made for them: a series dataset, models on it, an event model. */
export const modelCases: Case[] = [
  {
    group: 'models',
    name: 'a valid series for the model cases',
    request: upload('series', SERIES, CSV, valid),
    expect: CREATED,
    creates: { dataset: 1, dataset_version: 1 },
    after: keep('series'),
  },
  {
    group: 'models',
    name: 'lookback longer than the series: one attempt, failed',
    // a windowed model: its lookback is the one asked for (a seasonal naive's is its season)
    request: (ctx) =>
      json('POST', '/models', {
        kind: 'nlinear',
        datasetId: ctx.ids.series,
        target: 'value',
        lookback: 500,
        horizon: 4,
      }),
    expect: CREATED,
    creates: { model: 1, job: 1 },
    after: trainedAs('long-lookback', 'models', 'failed'),
  },
  {
    group: 'models',
    name: 'a trained seasonal naive for the forecast cases',
    request: (ctx) =>
      json('POST', '/models', {
        kind: 'seasonal-naive',
        config: { seasonLength: 4 },
        datasetId: ctx.ids.series,
        target: 'value',
        lookback: 8,
        horizon: 4,
      }),
    expect: CREATED,
    creates: { model: 1, job: 1 },
    after: trainedAs('naive', 'models', 'succeeded'),
  },
  {
    group: 'models',
    name: 'forecast with seriesKey "" on one series',
    request: (ctx) => json('POST', `/models/${ctx.ids.naive}/forecast`, { seriesKey: '', horizon: 4 }),
    expect: { status: 200 },
  },
  {
    group: 'models',
    name: 'forecast with seriesKey left out on one series',
    request: (ctx) => json('POST', `/models/${ctx.ids.naive}/forecast`, { horizon: 4 }),
    expect: { status: 200 },
  },
  {
    group: 'models',
    name: 'forecast with a wrong seriesKey',
    request: (ctx) => json('POST', `/models/${ctx.ids.naive}/forecast`, { seriesKey: 'main', horizon: 4 }),
    expect: bad(404, 'not_found'),
  },
  {
    group: 'models',
    name: 'forecast context with a string in it',
    request: (ctx) =>
      json('POST', `/models/${ctx.ids.naive}/forecast`, { horizon: 4, context: [1, 2, 3, 4, 5, 6, 7, 'x'] }),
    expect: BAD_REQUEST,
  },
  {
    group: 'models',
    name: 'forecast horizon 0',
    request: (ctx) => json('POST', `/models/${ctx.ids.naive}/forecast`, { horizon: 0 }),
    expect: BAD_REQUEST,
  },
  {
    group: 'models',
    name: 'model schedule every second',
    request: (ctx) =>
      json('POST', `/models/${ctx.ids.naive}/schedules`, { action: 'retrain', cron: '* * * * * *' }),
    expect: BAD_REQUEST,
  },
  {
    group: 'events',
    name: 'a valid event dataset for the event-model cases',
    request: upload('events', 'kind=events&sequenceColumn=seq&timeColumn=time&typeColumn=type', CSV, events),
    expect: CREATED,
    creates: { dataset: 1, dataset_version: 1 },
    after: keep('events'),
  },
  {
    group: 'events',
    name: 'a trained Poisson event model',
    request: (ctx) => json('POST', '/event-models', { kind: 'poisson', datasetId: ctx.ids.events }),
    expect: CREATED,
    creates: { model: 1, job: 1 },
    after: trainedAs('poisson', 'event-models', 'succeeded'),
  },
  ...[
    ['an object', {}],
    ['an array', [30]],
    ['a boolean', true],
    ['a string that is no time', 'soon'],
  ].map(([what, horizon]): Case => ({
    group: 'events',
    name: `generate with horizon ${what as string}`,
    request: (ctx) =>
      json('POST', `/event-models/${ctx.ids.poisson}/generate`, {
        history: { times: [0, 1.5, 3], types: ['a', 'b', 'c'] },
        horizon,
      }),
    expect: BAD_REQUEST,
  })),
];
