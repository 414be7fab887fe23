import { sharedDataFile } from '@seqcast/core';
import { DEFAULT_HAWKES, EventSequence, simulateHawkes, splitSequences } from '@seqcast/events';
import { trainDevTestSplit } from '@seqcast/models';
import * as fs from 'fs';
import * as path from 'path';
import { startApi, tempDataDir, TestApi, waitFor } from '../../../../test/support/api';
import { uploadEventSequences } from '../../../../test/support/event-models';
import { runEntry } from '../../../../test/support/processes';

/**
 * The Poisson baseline's test LL per event by hand: rates from the training split's counts
 * over (t_1, t_L], events 2..L of each test sequence scored.
 */
function poissonLl(train: EventSequence[], test: EventSequence[], numTypes: number): number {
  const counts = new Array<number>(numTypes).fill(0);
  let time = 0;
  for (const q of train) {
    time += q.times[q.times.length - 1] - q.times[0];
    for (let i = 1; i < q.types.length; i++) counts[q.types[i]]++;
  }
  const rates = counts.map((c) => c / time);
  const total = rates.reduce((a, b) => a + b, 0);
  let ll = 0;
  let n = 0;
  for (const q of test) {
    for (let i = 1; i < q.types.length; i++, n++) ll += Math.log(rates[q.types[i]]);
    ll -= total * (q.times[q.times.length - 1] - q.times[0]);
  }
  return ll / n;
}

/**
 * Event models over HTTP on a simulated 3-type Hawkes process uploaded as CSV
 * (sequence, time, type): a dataset with known generating parameters.
 */
describe('event models over HTTP', () => {
  let api: TestApi;
  let datasetId: string;
  const names = ['quake', 'aftershock', 'tremor'];
  const data = simulateHawkes(DEFAULT_HAWKES, 120, 7, { endTime: 100 });
  const counts = [0, 0, 0];
  let gaps = 0;
  let nGaps = 0;
  for (const s of data.sequences) {
    s.types.forEach((k) => counts[k]++);
    gaps += s.times[s.times.length - 1] - s.times[0];
    nGaps += s.times.length - 1;
  }
  const total = counts.reduce((a, b) => a + b, 0);

  const job = async (id: string) => (await api.http().get(`/jobs/${id}`).expect(200)).body;
  const settle = (id: string) =>
    waitFor(
      () => job(id),
      (j) => j.status === 'succeeded' || j.status === 'failed',
      120000,
    );
  const history = { times: [0, 1.5, 2.25], types: ['quake', 'tremor', 'quake'] };

  beforeAll(async () => {
    api = await startApi({ DATA_DIR: tempDataDir(), TF_BACKEND: 'cpu' });
    datasetId = await uploadEventSequences(api, data.sequences, names);
  }, 60000);
  afterAll(() => api?.close());

  it('documents the generation horizon as a span (a number) and until as a number or a timestamp, not an object', async () => {
    const doc = (await api.http().get('/docs/json').expect(200)).body;
    const { horizon, until } = doc.components.schemas.GenerateEventsDto.properties;
    expect(horizon.type).toBe('number');
    expect(until.type).toBeUndefined();
    expect(until.oneOf).toEqual([{ type: 'number' }, { type: 'string', format: 'date-time' }]);
  });

  it('lists kinds and refuses models that cannot work', async () => {
    const kinds = (await api.http().get('/event-models/kinds').expect(200)).body.map(
      (k: { kind: string }) => k.kind,
    );
    expect(kinds).toEqual(
      expect.arrayContaining([
        'rmtpp',
        'nhp',
        'thp',
        'sahp',
        'attnhp',
        'fullynn',
        'intensity_free',
        'intensity_free_joint',
      ]),
    );
    let r = await api.http().post('/event-models').send({ kind: 'hawkes-ish', datasetId }).expect(400);
    expect(r.body.details[0].field).toBe('kind');
    r = await api
      .http()
      .post('/event-models')
      .send({ kind: 'rmtpp', datasetId, config: { epochs: -1 } })
      .expect(400);
    expect(r.body.details[0].field).toMatch(/epochs/);
    const m = (await api.http().post('/event-models').send({ kind: 'poisson', datasetId }).expect(201)).body;
    await api.http().post(`/event-models/${m.id}/predict`).send({ history }).expect(409);
  });

  it('trains a Poisson baseline whose predictions match the closed form', async () => {
    const m = (await api.http().post('/event-models').send({ kind: 'poisson', datasetId }).expect(201)).body;
    const done = await settle(
      (await api.http().post(`/event-models/${m.id}/train`).send({}).expect(202)).body.id,
    );
    expect(done.error).toBeNull();
    expect(done.result.sequences.train).toBe(84);
    const p = (
      await api.http().post(`/event-models/${m.id}/predict`).send({ history, samples: 4000 }).expect(200)
    ).body;
    // Homogeneous Poisson MLE: type k has probability N_k / N and the gap mean is the mean gap
    // (fitted on 70% of the sequences, so within sampling error of the whole set's figures).
    names.forEach((n, k) =>
      expect(p.next.typeProbabilities[p.typeNames.indexOf(n)]).toBeCloseTo(counts[k] / total, 1),
    );
    expect(p.next.gapMean / (gaps / nGaps)).toBeGreaterThan(0.8);
    expect(p.next.gapMean / (gaps / nGaps)).toBeLessThan(1.25);
    expect(p.next.timeQuantiles['0.1']).toBeLessThan(p.next.timeQuantiles['0.9']);
    expect(p.next.timeQuantiles['0.1']).toBeGreaterThanOrEqual(2.25);
  }, 120000);

  it('gives the next gap of a timestamped dataset in seconds, the unit generate and the intensity take', async () => {
    // every gap 90 s: a Poisson model's MLE gap mean is 90 s on any split
    const start = Date.UTC(2026, 0, 1);
    const csv = [
      'seq,time,type',
      ...Array.from({ length: 20 }, (_, i) =>
        Array.from(
          { length: 15 },
          (_, j) =>
            `s${i},${new Date(start + i * 3_600_000 + j * 90_000).toISOString()},${j % 2 ? 'b' : 'a'}`,
        ),
      ).flat(),
    ].join('\n');
    const ds = (
      await api
        .http()
        .post('/datasets?name=stamped&kind=events&sequenceColumn=seq&timeColumn=time&typeColumn=type')
        .set('content-type', 'text/csv')
        .send(csv)
        .expect(201)
    ).body;
    const m = (await api.http().post('/event-models').send({ kind: 'poisson', datasetId: ds.id }).expect(201))
      .body;
    expect(
      (await settle((await api.http().post(`/event-models/${m.id}/train`).send({}).expect(202)).body.id))
        .error,
    ).toBeNull();
    const history = {
      times: [start, start + 90_000].map((t) => new Date(t).toISOString()),
      types: ['a', 'b'],
    };
    const p = (
      await api.http().post(`/event-models/${m.id}/predict`).send({ history, samples: 20000 }).expect(200)
    ).body;
    expect(p.unit).toBe('seconds');
    // exponential with mean 90 s: 20 000 samples put the mean within 2% (4 standard errors)
    expect(p.next.gapMean).toBeGreaterThan(88.2);
    expect(p.next.gapMean).toBeLessThan(91.8);
    // the median of an exponential is its mean times ln 2, and the quantile's time is the gap after the last event
    expect(p.next.gapQuantiles['0.5'] / (90 * Math.LN2)).toBeCloseTo(1, 1);
    expect(Date.parse(p.next.timeQuantiles['0.5']) - (start + 90_000)).toBeCloseTo(
      p.next.gapQuantiles['0.5'] * 1000,
      -1,
    );
  });

  it('trains a neural model as a job, predicts and generates continuations', async () => {
    const m = (
      await api
        .http()
        .post('/event-models')
        .send({ kind: 'rmtpp', datasetId, config: { epochs: 3 } })
        .expect(201)
    ).body;
    const done = await settle(
      (await api.http().post(`/event-models/${m.id}/train`).send({ seed: 1 }).expect(202)).body.id,
    );
    expect(done.error).toBeNull();
    expect(Number.isFinite(done.result.test.logLikelihoodPerEvent)).toBe(true);
    // the epoch early stopping kept (0: the Poisson fit's weights won on the dev split)
    expect(
      Number.isInteger(done.result.bestEpoch) && done.result.bestEpoch >= 0 && done.result.bestEpoch <= 3,
    ).toBe(true);
    const p = (await api.http().post(`/event-models/${m.id}/predict`).send({ history }).expect(200)).body;
    const probs = p.next.typeProbabilities as number[];
    expect(probs.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
    // types are integer ids in every response, their names beside them
    expect(Number.isInteger(p.next.type)).toBe(true);
    expect(p.typeNames[p.next.type]).toBe(p.next.typeName);
    expect(names).toContain(p.next.typeName);
    expect(done.result.test.unit).toBe('as given');
    const g = (
      await api
        .http()
        .post(`/event-models/${m.id}/generate`)
        .send({ history, count: 5, samples: 3 })
        .expect(200)
    ).body;
    expect(g.samples).toHaveLength(3);
    for (const s of g.samples) {
      expect(s.times).toHaveLength(5);
      expect(s.times[0]).toBeGreaterThanOrEqual(2.25);
      for (let i = 1; i < 5; i++) expect(s.times[i]).toBeGreaterThanOrEqual(s.times[i - 1]);
      for (const t of s.types) expect(Number.isInteger(t) && t >= 0 && t < names.length).toBe(true);
    }
    // horizon: a span after the history's last event (2.25); until: an absolute time
    const h = (
      await api
        .http()
        .post(`/event-models/${m.id}/generate`)
        .send({ history, horizon: 5, samples: 2 })
        .expect(200)
    ).body;
    for (const s of h.samples) for (const t of s.times) expect(t).toBeLessThan(7.25);
    const u = (
      await api
        .http()
        .post(`/event-models/${m.id}/generate`)
        .send({ history, until: 12, samples: 2 })
        .expect(200)
    ).body;
    for (const s of u.samples) for (const t of s.times) expect(t).toBeLessThan(12);
    let r = await api.http().post(`/event-models/${m.id}/generate`).send({ history, samples: 2 }).expect(400);
    expect(r.body.details[0].field).toBe('horizon');
    r = await api.http().post(`/event-models/${m.id}/generate`).send({ history, until: 1 }).expect(422);
    expect(r.body.details[0].field).toBe('until');
    r = await api
      .http()
      .post(`/event-models/${m.id}/generate`)
      .send({ history, horizon: 5, until: 12 })
      .expect(400);
    expect(r.body.details[0].field).toBe('until');
    r = await api
      .http()
      .post(`/event-models/${m.id}/predict`)
      .send({ history: { times: [0, 1], types: ['quake', 'volcano'] } })
      .expect(400);
    expect(r.body.details[0].field).toBe('history.types.1');
    r = await api
      .http()
      .post(`/event-models/${m.id}/predict`)
      .send({ history: { times: [2, 1], types: ['quake', 'quake'] } })
      .expect(400);
    expect(r.body.details[0].field).toBe('history.times.1');
  }, 120000);

  it('runs an EasyTPP-style evaluation as a job, with a Markdown table', async () => {
    const bad = await api
      .http()
      .post('/evaluations/tpp')
      .send({ datasets: [], models: ['rmtpp'] })
      .expect(400);
    expect(bad.body.details.map((d: { field: string }) => d.field)).toContain('datasets');
    const e = (
      await api
        .http()
        .post('/evaluations/tpp')
        .send({
          datasets: [
            {
              name: 'hawkes',
              source: { kind: 'hawkes', endTime: 60, train: 40, dev: 10, test: 10, seed: 3 },
            },
          ],
          models: [{ name: 'rmtpp', kind: 'rmtpp', config: { epochs: 2 } }],
          seeds: [0],
          predictSamples: 10,
        })
        .expect(202)
    ).body;
    const done = await settle(e.id);
    expect(done.error).toBeNull();
    const report = (await api.http().get(`/evaluations/${e.id}/report`).expect(200)).text;
    // The table lists the model beside the baselines (Poisson, the true process).
    expect(report).toMatch(/\|\s*rmtpp/);
    expect(report).toMatch(/true process/);
  }, 120000);

  it('evaluates on a stored event dataset, split as training splits it, and refuses what it cannot read', async () => {
    const body = (source: Record<string, unknown>) => ({
      datasets: [{ name: 'stored', source }],
      models: [{ kind: 'rmtpp', config: { epochs: 1 } }],
      predictSamples: 5,
    });
    const e = (
      await api
        .http()
        .post('/evaluations/tpp')
        .send(body({ kind: 'dataset', datasetId, seed: 2 }))
        .expect(202)
    ).body;
    const done = await settle(e.id);
    expect(done.error).toBeNull();
    // the Poisson row by hand: rates from the training split's counts over (t_1, t_L], scored on its test split
    const { train, test } = trainDevTestSplit(
      data.sequences.filter((q) => q.times.length >= 2),
      2,
    );
    const rows = done.result.rows as { model: string; logLikelihood: { mean: number } }[];
    expect(rows.find((r) => r.model === 'poisson')!.logLikelihood.mean).toBeCloseTo(
      poissonLl(train, test, 3),
      6,
    );
    expect(rows.find((r) => r.model === 'rmtpp')).toBeDefined();
    expect((await job(e.id)).payload.datasets[0].source.version).toBe(1); // pinned when submitted

    const missing = await api
      .http()
      .post('/evaluations/tpp')
      .send(body({ kind: 'dataset', datasetId: '4b0c8a57-6a8e-4a8e-9d3e-2f1f3c1d2e10' }))
      .expect(404);
    expect(missing.body.details[0].field).toBe('datasets[0].source.datasetId');
    const outside = await api
      .http()
      .post('/evaluations/tpp')
      .send(body({ kind: 'earthquakes', file: '/etc/passwd' }))
      .expect(400);
    expect(outside.body.details[0].field).toBe('datasets[0].source.file');
  }, 120000);

  it('runs a stored-dataset evaluation from the CLI on the server (--server), printing the table', async () => {
    const file = path.join(tempDataDir('seqcast-eval-'), 'eval.json');
    fs.writeFileSync(
      file,
      JSON.stringify({
        datasets: [{ name: 'stored', source: { kind: 'dataset', datasetId } }],
        models: [{ kind: 'intensity_free', config: { epochs: 1 } }],
        predictSamples: 5,
      }),
    );
    const url = (await api.app.getUrl()).replace('[::1]', '127.0.0.1');
    const p = runEntry('apps/cli/src/main.ts', {}, ['--url', url, 'eval', 'tpp', file, '--server']);
    expect(await p.exited).toBe(0);
    expect(p.output()).toMatch(/\| poisson \| -?\d+\.\d{3} \|/);
    expect(p.output()).toMatch(/\| intensity_free \| -?\d+\.\d{3} \|/);
  }, 120000);

  const synth = sharedDataFile('events/easytpp_synthetic.json');
  (synth ? it : it.skip)(
    `evaluates a file in the shared data folder, in the CLI and as a job, with the same rows${synth ? '' : ' (skipped: events/easytpp_synthetic.json not found; set SEQCAST_SHARED_DATA)'}`,
    async () => {
      const config = {
        datasets: [
          {
            name: 'synthetic',
            source: {
              kind: 'easytpp',
              file: '${SHARED_DATA}/events/easytpp_synthetic.json',
              split: [0.5, 0.25, 0.25],
              seed: 0,
            },
          },
        ],
        models: [{ kind: 'rmtpp', config: { epochs: 1 } }],
        predictSamples: 5,
      };
      // the file read here, independently of the importers: the split the source names
      const raw = JSON.parse(fs.readFileSync(synth!, 'utf8')) as {
        time_since_start: number[];
        type_event: number[];
      }[];
      const [train, , test] = splitSequences(
        raw.map((q) => ({ times: q.time_since_start, types: q.type_event })),
        [0.5, 0.25, 0.25],
        0,
      );
      const expected = poissonLl(train, test, 3);
      type Row = { model: string; logLikelihood: { mean: number } };
      const poisson = (rows: Row[]) => rows.find((r) => r.model === 'poisson')!.logLikelihood.mean;

      const e = (await api.http().post('/evaluations/tpp').send(config).expect(202)).body;
      const done = await settle(e.id);
      expect(done.error).toBeNull();
      expect(poisson(done.result.rows)).toBeCloseTo(expected, 6);

      const dir = tempDataDir('seqcast-eval-');
      fs.writeFileSync(path.join(dir, 'eval.json'), JSON.stringify(config));
      const p = runEntry('apps/cli/src/main.ts', {}, [
        'eval',
        'tpp',
        path.join(dir, 'eval.json'),
        '--out',
        path.join(dir, 'out.json'),
      ]);
      expect(await p.exited).toBe(0);
      const local = JSON.parse(fs.readFileSync(path.join(dir, 'out.json'), 'utf8')) as { rows: Row[] };
      expect(poisson(local.rows)).toBeCloseTo(expected, 6);
    },
    120000,
  );
});
