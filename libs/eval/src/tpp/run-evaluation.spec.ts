import { ValidationFailed, detachedContext } from '@seqcast/core';
import { selectBackend } from '@seqcast/tensor';
import { mkdtempSync, writeFileSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { median } from './metrics';
import { LL_WINDOW, PoissonModel } from '@seqcast/events';
import { MAJORITY_CLASS, TYPE_TIME_BOUND, runTppEvaluation } from './run-evaluation';
import { AT_MAJORITY, BELOW_POISSON, TIES_POISSON } from './sanity-gate';
import { loadTppEvalConfig, validateTppEvalConfig } from './tpp-eval-config';

jest.setTimeout(120_000);
beforeAll(() => selectBackend('cpu'));

describe('runTppEvaluation', () => {
  it('runs datasets x models x seeds from a YAML file and prints an EasyTPP-style table', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'tpp-eval-'));
    const file = path.join(dir, 'eval.yaml');
    writeFileSync(
      file,
      [
        'datasets:',
        '  - name: hawkes-small',
        '    source: { kind: hawkes, train: 24, dev: 8, test: 10, endTime: 30, seed: 3 }',
        'models:',
        '  - kind: rmtpp',
        '    config: { epochs: 2, batchSize: 12, hidden: 8 }',
        '  - intensity_free',
        'seeds: [0, 1]',
        'predictSamples: 10',
        'integralPoints: 10',
      ].join('\n'),
    );
    const config = loadTppEvalConfig(file);
    config.models[1].config = { epochs: 2, batchSize: 12, hidden: 8 };
    const progress: number[] = [];
    const r = await runTppEvaluation(config, { ...detachedContext(), progress: (f) => progress.push(f) });
    expect(r.runs).toHaveLength(4 + 4); // truth, the type-time bound, poisson, majority class, 2 models x 2 seeds
    const rm = r.rows.find((x) => x.model === 'rmtpp')!;
    expect(rm.seeds).toBe(2);
    expect(rm.gapToTruth!.mean).toBeGreaterThan(-0.5);
    expect(Number.isFinite(rm.rmse.mean)).toBe(true);
    expect(rm.medianSecondsPerEpoch.mean).toBeGreaterThan(0);
    expect(r.table).toMatch(/\| model \| LL \/ event \| gap to truth \| RMSE \(mean\) \| RMSE \(1 draw\) \| type error \| s \/ epoch \| median s \/ epoch \| seeds \| flags \|/);
    expect(r.table).toContain(`LL per event with times in the data's own unit (as given); ${LL_WINDOW}`);
    expect(r.window).toBe(LL_WINDOW);
    expect(rm.unit).toBe('as given');
    expect(r.table).toMatch(/\| rmtpp \| -?\d+\.\d{3} ± \d+\.\d{3} \|/);
    expect(r.table).toMatch(/\| true process \|/);
    // the bound's gap is the test set's type-time information, >= 0 up to sampling
    const bound = r.rows.find((x) => x.model === TYPE_TIME_BOUND)!;
    expect(bound.gapToTruth!.mean).toBeGreaterThan(0);
    expect(r.table).toContain(`| ${TYPE_TIME_BOUND} |`);
    expect(progress[progress.length - 1]).toBe(1);
  });

  it('evaluates splits given inline: the Poisson row is the closed-form maximum-likelihood fit', async () => {
    // two types; rates fitted on train by counting (events 2..L over (t_1, t_L]), scored on test
    const train = [
      { times: [0, 1, 1.5, 4], types: [0, 1, 0, 0] },
      { times: [2, 2.5, 6], types: [1, 1, 0] },
    ];
    const test = [
      { times: [0, 0.5, 3], types: [0, 0, 1] },
      { times: [1, 4], types: [1, 0] },
    ];
    const config = validateTppEvalConfig({ datasets: [{ name: 'inline', source: { kind: 'inline', numTypes: 2, train, test } }], models: [{ kind: 'rmtpp', config: { epochs: 1, hidden: 4 } }], predictSamples: 5 });
    const r = await runTppEvaluation(config, detachedContext());
    const trainTime = 4 + 4; // (t_L - t_1) per sequence
    const rates = [3 / trainTime, 2 / trainTime]; // types of events 2..L: 1,0,0 and 1,0
    const testEvents = [0, 1, 0]; // events 2..L of the test sequences
    const ll = (testEvents.reduce((a, k) => a + Math.log(rates[k]), 0) - (rates[0] + rates[1]) * (3 + 3)) / testEvents.length;
    expect(r.rows.find((x) => x.model === 'poisson')!.logLikelihood.mean).toBeCloseTo(ll, 10);
    expect(r.rows.find((x) => x.model === 'rmtpp')).toBeDefined();
    expect(r.rows.some((x) => x.model === 'true process')).toBe(false);
    // the majority class of the scored training types (0: 3 of 5) is wrong on 1 of 3 test events
    expect(r.rows.find((x) => x.model === MAJORITY_CLASS)!.errorRate.mean).toBeCloseTo(1 / 3, 12);
  });

  it("keeps a listed 'poisson' model apart from the Poisson baseline, and flags what the sanity gate finds", async () => {
    // one long bursty sequence per split with two types; an untrained RMTPP (lr ~ 0) with
    // random weights cannot beat the fits, one started at the Poisson fit is that fit
    const burst = (t0: number) => ({ times: [t0, t0 + 0.1, t0 + 0.2, t0 + 0.3, t0 + 9, t0 + 9.1, t0 + 9.2, t0 + 20], types: [0, 0, 0, 1, 0, 0, 0, 1] });
    const config = validateTppEvalConfig({
      datasets: [{ name: 'bursts', source: { kind: 'inline', numTypes: 2, train: [burst(0), burst(50)], test: [burst(0)], timeUnit: 'days' } }],
      models: [{ kind: 'poisson' }, { name: 'frozen', kind: 'rmtpp', config: { epochs: 1, hidden: 4, learningRate: 1e-7, init: 'random' } },
        { name: 'at start', kind: 'rmtpp', config: { epochs: 1, hidden: 4, learningRate: 1e-7, init: 'baseline' } },
      ],
      predictSamples: 5,
    });
    const r = await runTppEvaluation(config, detachedContext());
    const listed = r.rows.find((x) => x.model === 'poisson')!;
    const baseline = r.rows.find((x) => x.model === 'poisson (baseline)')!;
    expect(listed.seeds).toBe(1);
    expect(baseline.seeds).toBe(1);
    expect(listed.logLikelihood.mean).toBeCloseTo(baseline.logLikelihood.mean, 12);
    // the gate's Poisson LL: the closed-form fit, computed here by the model class on its own
    const p = new PoissonModel(2);
    await p.fit({ numTypes: 2, sequences: [burst(0), burst(50)] }, null, detachedContext());
    expect(r.datasets[0].poissonLogLikelihood).toBeCloseTo(p.logLikelihood([burst(0)]).perEvent, 12);
    expect(r.datasets[0].unit).toBe('days');
    const frozen = r.rows.find((x) => x.model === 'frozen')!;
    expect(frozen.logLikelihood.mean).toBeLessThan(baseline.logLikelihood.mean);
    expect(frozen.flags).toContain(BELOW_POISSON);
    expect(r.table).toContain(`**${BELOW_POISSON}**`);
    const atStart = r.rows.find((x) => x.model === 'at start')!;
    expect(atStart.logLikelihood.mean).toBeCloseTo(baseline.logLikelihood.mean, 4);
    expect(atStart.flags).toContain(TIES_POISSON);
    expect(atStart.flags).not.toContain(BELOW_POISSON);
    expect(r.table).toContain('LL per event with times in days');
    // reference rows are never flagged
    expect(listed.flags).toEqual([]);
    expect(r.rows.find((x) => x.model === MAJORITY_CLASS)!.flags).toEqual([]);
    // the majority type (0: 8 of 14 scored training events) is wrong on 2 of 7 test events
    expect(r.datasets[0].majority).toEqual({ type: 0, errorRate: 2 / 7 });
    if (frozen.errorRate.mean >= 2 / 7) expect(frozen.flags).toContain(AT_MAJORITY);
    else expect(frozen.flags).not.toContain(AT_MAJORITY);
  });

  it('names the bad parts of inline and stored-dataset sources, and leaves stored datasets to the server', async () => {
    const bad = () =>
      validateTppEvalConfig({
        datasets: [
          { name: 'a', source: { kind: 'inline', numTypes: 2, train: [{ times: [0, 1], types: [0, 2] }], test: [] } },
          { name: 'b', source: { kind: 'dataset', datasetId: 'not-a-uuid', seed: -1, version: 0 } },
        ],
        models: ['rmtpp'],
      });
    expect(bad).toThrow(ValidationFailed);
    try {
      bad();
    } catch (e) {
      const fields = (e as ValidationFailed).details.map((d) => d.field);
      expect(fields).toEqual(expect.arrayContaining(['datasets[0].source.train.sequences[0].types[1]', 'datasets[0].source.test', 'datasets[1].source.datasetId', 'datasets[1].source.seed', 'datasets[1].source.version']));
    }
    const stored = validateTppEvalConfig({ datasets: [{ name: 'c', source: { kind: 'dataset', datasetId: '4b0c8a57-6a8e-4a8e-9d3e-2f1f3c1d2e10' } }], models: ['rmtpp'] });
    await expect(runTppEvaluation(stored, detachedContext())).rejects.toThrow(/POST \/evaluations\/tpp/);
  });

  it("says which dataset entry a reading error belongs to", async () => {
    const config = validateTppEvalConfig({ datasets: [{ name: 'quakes', source: { kind: 'earthquakes', file: 'absent.csv' } }], models: ['rmtpp'] }, os.tmpdir());
    await expect(runTppEvaluation(config, detachedContext(), async () => ({ numTypes: 1, sequences: [] }))).rejects.toThrow(/^dataset quakes: No such file/);
  });

  it('names every bad field of a config', () => {
    try {
      validateTppEvalConfig({ datasets: [{ source: { kind: 'nope' } }], models: [{ kind: 'rmtpp', config: { epochs: -1 } }, 'what'], seeds: [-1], extra: 1 });
      throw new Error('should throw');
    } catch (e) {
      expect(e).toBeInstanceOf(ValidationFailed);
      const fields = (e as ValidationFailed).details.map((d) => d.field);
      expect(fields).toEqual(expect.arrayContaining(['extra', 'datasets[0].name', 'datasets[0].source.kind', 'models[0].config.epochs', 'models[1].kind', 'seeds']));
    }
  });
});

describe('median', () => {
  it('is the middle value, or the mean of the middle two', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBe(0);
  });
});
