import { DEFAULT_HAWKES, HawkesModel, PoissonModel, horizonWindows, simulateHawkes } from '@seqcast/events';
import { horizonScore, parseHorizonOption } from './horizon-score';
import { runTppEvaluation } from './run-evaluation';
import { tppMarkdownTable } from './tpp-table';
import { validateTppEvalConfig } from './tpp-eval-config';

describe('TPP evaluation, horizon mode', () => {
  const test = simulateHawkes(DEFAULT_HAWKES, 300, 42, { endTime: 70 });
  const o = { events: 20, minHistory: 5, maxWindows: 1000 };

  it("a Poisson model's count RMSE matches its closed form: types iid with p_k = r_k / sum r", () => {
    const p = new PoissonModel(3);
    p.rates = [0.5, 0.3, 0.2];
    const s = horizonScore(p, test, o, 1);
    const windows = horizonWindows(test.sequences, 20, 5);
    expect(s.horizonWindows).toBe(windows.length);
    // E sum_k (n^_k - n_k)^2 = sum_k [20 p_k (1 - p_k) + (20 p_k - n_k)^2], n^ multinomial(20, p)
    let expected = 0;
    for (const w of windows) {
      const n = [0, 0, 0];
      for (const k of w.truth.types) n[k]++;
      expected += [0.5, 0.3, 0.2].reduce((a, pk, k) => a + 20 * pk * (1 - pk) + (20 * pk - n[k]) ** 2, 0);
    }
    expect(s.countRmse ** 2 / (expected / windows.length)).toBeGreaterThan(0.85);
    expect(s.countRmse ** 2 / (expected / windows.length)).toBeLessThan(1.15);
  });

  it("the true process's own continuations are closer to the truth than a Poisson's at a wrong rate", () => {
    const truth = horizonScore(new HawkesModel(DEFAULT_HAWKES), test, o, 1);
    const wrong = new PoissonModel(3);
    wrong.rates = [3, 0.05, 0.05];
    const bad = horizonScore(wrong, test, o, 1);
    expect(truth.otd).toBeLessThan(bad.otd);
    expect(truth.countRmse).toBeLessThan(0.8 * bad.countRmse);
  });

  it('the evaluation reports OTD and count RMSE for every model with a horizon, and the table shows them', async () => {
    const config = validateTppEvalConfig({
      datasets: [{ name: 'h', source: { kind: 'hawkes', train: 20, dev: 5, test: 25, seed: 3 } }],
      models: ['poisson'],
      horizon: { events: 5 },
    });
    const r = await runTppEvaluation(config, {
      signal: new AbortController().signal,
      progress: () => undefined,
    });
    const truth = r.rows.find((x) => x.kind === 'hawkes')!;
    const poisson = r.rows.find((x) => x.model === 'poisson')!;
    expect(truth.otd!.mean).toBeGreaterThan(0);
    expect(poisson.countRmse!.mean).toBeGreaterThan(0);
    // the same windows and seed as scoring the model directly
    const run = r.runs.find((x) => x.model === 'poisson')!;
    expect(run.horizonWindows).toBeGreaterThan(10);
    expect(r.table).toMatch(/\| OTD \| count RMSE \|/);
    // without the horizon mode the columns are not there
    expect(tppMarkdownTable(r.rows.map(({ otd: _o, countRmse: _c, ...row }) => row))).not.toMatch(/OTD/);
  }, 90_000);

  it('config: horizon fields checked and named; absent means off', () => {
    expect(parseHorizonOption(undefined)).toEqual({ problems: [] });
    expect(parseHorizonOption({ events: 10 }).horizon).toEqual({
      events: 10,
      minHistory: 5,
      maxWindows: 100,
    });
    const base = { datasets: [{ name: 'h', source: { kind: 'hawkes' } }], models: ['poisson'] };
    expect(validateTppEvalConfig(base).horizon).toBeUndefined();
    expect(() => validateTppEvalConfig({ ...base, horizon: { events: 0, lookahead: 3 } })).toThrow(
      expect.objectContaining({
        details: expect.arrayContaining([
          expect.objectContaining({ field: 'horizon.events' }),
          expect.objectContaining({ field: 'horizon.lookahead' }),
        ]),
      }),
    );
  });
});
