import { ValidationFailed, detachedContext, sharedDataFile } from '@seqcast/core';
import { selectBackend } from '@seqcast/tensor';
import { mkdtempSync, writeFileSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { loadEarthquakes } from '../data/load-earthquakes';
import { loadEasyTpp } from '../data/load-easytpp';
import { describeIf } from '../testing/describe-if';
import { median } from './metrics';
import { TYPE_TIME_BOUND, runTppEvaluation } from './run-evaluation';
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
    expect(r.runs).toHaveLength(3 + 4); // truth, the type-time bound, poisson, 2 models x 2 seeds
    const rm = r.rows.find((x) => x.model === 'rmtpp')!;
    expect(rm.seeds).toBe(2);
    expect(rm.gapToTruth!.mean).toBeGreaterThan(-0.5);
    expect(Number.isFinite(rm.rmse.mean)).toBe(true);
    expect(rm.medianSecondsPerEpoch.mean).toBeGreaterThan(0);
    expect(r.table).toMatch(/\| model \| LL \/ event \| gap to truth \| RMSE \(mean\) \| RMSE \(1 draw\) \| type error \| s \/ epoch \| median s \/ epoch \| seeds \|/);
    expect(r.table).toMatch(/\| rmtpp \| -?\d+\.\d{3} ± \d+\.\d{3} \|/);
    expect(r.table).toMatch(/\| true process \|/);
    // the bound's gap is the test set's type-time information, >= 0 up to sampling
    const bound = r.rows.find((x) => x.model === TYPE_TIME_BOUND)!;
    expect(bound.gapToTruth!.mean).toBeGreaterThan(0);
    expect(r.table).toContain(`| ${TYPE_TIME_BOUND} |`);
    expect(progress[progress.length - 1]).toBe(1);
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

const synth = sharedDataFile('events/easytpp_synthetic.json');
const quakes = sharedDataFile('events/sanjac_earthquakes.csv');
describeIf(!!synth && !!quakes, '../shared/data (or $SEQCAST_SHARED_DATA) is absent')('shared event data', () => {
  it('reads EasyTPP JSON with gaps recomputed from times', () => {
    const d = loadEasyTpp(synth!);
    expect(d.numTypes).toBe(3);
    expect(d.sequences).toHaveLength(8);
    expect(d.sequences.reduce((n, s) => n + s.times.length, 0)).toBe(299);
  });

  it('windows the earthquake catalogue into 30-day sequences with magnitude types', () => {
    const d = loadEarthquakes(quakes!, { windowDays: 30 });
    expect(d.numTypes).toBe(3);
    expect(d.sequences.reduce((n, s) => n + s.times.length, 0)).toBe(21291);
    for (const s of d.sequences) expect(s.times.every((t, i) => t >= 0 && t < 30 && (i === 0 || t >= s.times[i - 1]))).toBe(true);
  });
});

describe('median', () => {
  it('is the middle value, or the mean of the middle two', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBe(0);
  });
});
