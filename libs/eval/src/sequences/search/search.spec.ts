import type { SearchSpace } from '@seqcast/events';
import { drawUniform, RandomSampler } from './random-search';
import { optimise, TpeSampler } from './tpe';
import { Rng } from '@seqcast/numeric';

/** Branin-Hoo: global minimum 0.397887 at (-pi, 12.275), (pi, 2.275), (9.42478, 2.475). */
function branin(x: number, y: number): number {
  const b = 5.1 / (4 * Math.PI ** 2);
  const c = 5 / Math.PI;
  const t = 1 / (8 * Math.PI);
  return (y - b * x * x + c * x - 6) ** 2 + 10 * (1 - t) * Math.cos(x) + 10;
}
const BRANIN_MIN = 0.397887;
const space: SearchSpace = {
  x: { type: 'float', low: -5, high: 10 },
  y: { type: 'float', low: 0, high: 15 },
};

describe('hyperparameter search', () => {
  it('Branin has the minimum the search is measured against', () => {
    expect(branin(-Math.PI, 12.275)).toBeCloseTo(BRANIN_MIN, 5);
    expect(branin(Math.PI, 2.275)).toBeCloseTo(BRANIN_MIN, 5);
  });

  it('TPE gets closer to the optimum of Branin than random search, on average over seeds', async () => {
    const trials = 40;
    const seeds = 12;
    let tpeRegret = 0;
    let randomRegret = 0;
    for (let s = 0; s < seeds; s++) {
      const f = (p: Record<string, unknown>) => -branin(p.x as number, p.y as number);
      const best = (h: { value: number }[]) => -Math.max(...h.map((t) => t.value)) - BRANIN_MIN;
      tpeRegret += best(await optimise(new TpeSampler(s), space, trials, f)) / seeds;
      randomRegret += best(await optimise(new RandomSampler(s + 1000), space, trials, f)) / seeds;
    }
    expect(tpeRegret).toBeLessThan(randomRegret);
    // and by a margin: TPE's mean regret under 60% of random search's after 40 trials
    expect(tpeRegret).toBeLessThan(0.6 * randomRegret);
  });

  it('TPE concentrates a categorical choice and an integer on the good values', async () => {
    const cat: SearchSpace = {
      c: { type: 'categorical', choices: ['a', 'b', 'c', 'd'] },
      k: { type: 'int', low: 1, high: 64, log: true },
    };
    // the objective is best at c = 'c', k = 8
    const f = (p: Record<string, unknown>) =>
      (p.c === 'c' ? 1 : 0) - Math.abs(Math.log2(p.k as number) - 3) / 6;
    const h = await optimise(new TpeSampler(5), cat, 60, f);
    const late = h.slice(30);
    expect(late.filter((t) => t.params.c === 'c').length / late.length).toBeGreaterThan(0.6);
    expect(
      late.every(
        (t) => Number.isInteger(t.params.k) && (t.params.k as number) >= 1 && (t.params.k as number) <= 64,
      ),
    ).toBe(true);
  });

  it('random draws cover the range, log-uniformly where asked', () => {
    const rng = new Rng(1);
    const d = { type: 'float' as const, low: 1e-4, high: 1, log: true };
    const draws = Array.from({ length: 4000 }, () => drawUniform(d, rng) as number);
    expect(Math.min(...draws)).toBeGreaterThanOrEqual(1e-4);
    expect(Math.max(...draws)).toBeLessThanOrEqual(1);
    // log-uniform on [1e-4, 1]: a quarter of the mass below 1e-3
    expect(draws.filter((v) => v < 1e-3).length / draws.length).toBeCloseTo(0.25, 1);
  });
});
