import { Conflict, detachedContext } from '@seqcast/core';
import { DEFAULT_HAWKES, LL_WINDOW, simulateHawkes } from '@seqcast/events';
import { readTppSources } from '../evaluate/tpp-eval-sources';
import { tppEvaluation } from '../evaluate/tpp-eval.task';
import { bootFeature, FeatureApp } from '../testing/feature-app';
import { EventModelsModule } from './event-models.module';
import { EventModelsService } from './event-models.service';
import { splitUsable } from './event-splits';

jest.setTimeout(60_000);

const NAMES = ['quake', 'aftershock', 'tremor'];
const data = simulateHawkes(DEFAULT_HAWKES, 40, 11, { endTime: 40 });
const csv = [
  'seq,time,type',
  ...data.sequences.flatMap((s, i) => s.times.map((t, j) => `s${i},${t},${NAMES[s.types[j]]}`)),
].join('\n');

describe('EventModelsModule on its own (SQLite in memory, in-process queue)', () => {
  let app: FeatureApp;
  let events: EventModelsService;
  let datasetId: string;

  beforeAll(async () => {
    app = await bootFeature(EventModelsModule);
    events = app.get(EventModelsService);
    datasetId = (
      await app.uploadCsv('hawkes', csv, {
        kind: 'events',
        roles: { sequenceColumn: 'seq', timeColumn: 'time', typeColumn: 'type' },
      })
    ).id;
  });
  afterAll(() => app?.close());

  it('trains a Poisson baseline as a job: rates count / time, test LL in closed form', async () => {
    const m = await events.create({ kind: 'poisson', datasetId });
    const history = { times: [0, 1.5], types: ['quake', 'tremor'] };
    await expect(events.predict(m.id, { history })).rejects.toThrow(Conflict);
    const done = await app.settle((await events.train(m.id)).id);
    expect(done.error).toBeNull();

    // The maximum-likelihood rates by hand on the same split: N_k events of type k after each
    // sequence's first, over T, the summed spans of the training sequences.
    const { sequences, typeNames } = await events.sequences(datasetId);
    const split = splitUsable(sequences, 0, { id: datasetId, field: 'datasetId' });
    const counts = new Array<number>(typeNames.length).fill(0);
    let span = 0;
    for (const s of split.train) {
      span += s.times[s.times.length - 1] - s.times[0];
      for (let i = 1; i < s.types.length; i++) counts[s.types[i]]++;
    }
    const n = counts.reduce((a, b) => a + b, 0);
    const p = await events.predict(m.id, { history });
    // the next gap of a Poisson process: exponential with the total rate n / T
    expect(p.next.gapMean / (span / n)).toBeCloseTo(1, 9);
    typeNames.forEach((_, k) => expect(p.next.typeProbabilities[k]).toBeCloseTo(counts[k] / n, 9));
    expect(Number.isInteger(p.next.type)).toBe(true);
    expect(p.typeNames).toEqual(typeNames);

    // Test LL per event in the data's unit (the dataset's plain numbers), where the rates are
    // N_k / T and their total n / T: log rates of events 2..L minus the total rate times each span.
    let ll = 0;
    let scored = 0;
    for (const s of split.test) {
      for (let i = 1; i < s.types.length; i++, scored++) ll += Math.log(counts[s.types[i]] / span);
      ll -= (n / span) * (s.times[s.times.length - 1] - s.times[0]);
    }
    const result = done.result as {
      test: { logLikelihoodPerEvent: number; events: number; unit: string; window: string };
    };
    expect(result.test.events).toBe(scored);
    expect(result.test.logLikelihoodPerEvent).toBeCloseTo(ll / scored, 6);
    expect(result.test.unit).toBe('as given');
    expect(result.test.window).toBe(LL_WINDOW);
  });

  it('reports the same test LL per event from the training job as the evaluation of the dataset on the same split and seed (within 1e-6)', async () => {
    // a sampled-integral model (THP: Monte Carlo compensator) and an exact one (RMTPP): both
    // must score alike, the sampled one with the same points and stream
    for (const [kind, config] of [
      ['rmtpp', { epochs: 2, hidden: 8, embDim: 4 }],
      ['thp', { epochs: 2, hidden: 8, heads: 2, layers: 1 }],
    ] as const) {
      const m = await events.create({ kind, datasetId, config });
      const done = await app.settle((await events.train(m.id, { seed: 3 })).id);
      expect(done.error).toBeNull();
      const job = (done.result as { test: { logLikelihoodPerEvent: number } }).test.logLikelihoodPerEvent;
      const evalConfig = await readTppSources(
        {
          datasets: [{ name: 'stored', source: { kind: 'dataset', datasetId, seed: 3 } }],
          models: [{ kind, config }],
          seeds: [3],
        },
        events,
      );
      const r = await tppEvaluation(
        { config: evalConfig, backend: 'cpu', baseDir: process.cwd() },
        detachedContext(),
      );
      const row = (r.rows as { model: string; logLikelihood: { mean: number } }[]).find(
        (x) => x.model === kind,
      )!;
      expect(Math.abs(row.logLikelihood.mean - job)).toBeLessThan(1e-6);
      expect(r.window).toBe(LL_WINDOW);
    }
  });
});
