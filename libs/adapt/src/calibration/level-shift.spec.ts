import { selectBackend } from '@seqcast/tensor';
import { adapterRegistry } from '../registry';
import '../methods';
import { linearFrozen, seasonalSeries, zeroLevelSeasonalNaive } from './testing/fixtures';

beforeAll(async () => {
  await selectBackend('cpu');
});

/**
 * A known shift: a 12-periodic sine with noise whose level jumps by +1.5 at time 400. The
 * frozen model repeats the last season around a zero level (the level of its training
 * part), so after the jump it is off by about 1.5 at every step. Score: the full-horizon
 * forecast made before each observation, against the truths that follow, for every origin
 * from the shift on (the jump itself included), frozen vs adapted.
 */
const L = 48;
const H = 24;
const SHIFT_AT = 400;
const N = 760;
const series = seasonalSeries(N + H, 1, 12, 0.1, 1.5, SHIFT_AT, 3);
const frozen = linearFrozen(zeroLevelSeasonalNaive(L, H, 12), L, H, 1);

function onlineMse(method: string | null, options: Record<string, unknown>): number {
  const a = adapterRegistry.create(method ?? 'tafas', options, {
    frozen,
    horizon: H,
    scale: { mean: [0], std: [1] },
  });
  a.start([series[0].slice(0, 200)]);
  let sum = 0;
  let n = 0;
  for (let t = 200; t < N; t++) {
    if (t >= SHIFT_AT) {
      const f = a.forecast()[0];
      for (let j = 0; j < H; j++) sum += (f[j] - series[0][t + j]) ** 2;
      n += H;
    }
    a.observe([[series[0][t]]], t);
    // the frozen model: an adapter put back to the identity after every observation
    if (!method) a.reset();
  }
  a.dispose();
  return sum / n;
}

describe('adaptation to a level shift', () => {
  const frozenMse = onlineMse(null, {});

  it('the frozen model is off by about the shift', () => {
    expect(frozenMse).toBeGreaterThan(1.5);
  });

  it.each([
    ['tafas', { lr: 0.03 }],
    ['petsa', { lr: 0.03 }],
    ['petsa', { lr: 0.03, loss: 'reference' }],
  ])("%s %j: online MSE after the shift is below the frozen model's", (method, options) => {
    const mse = onlineMse(method, options);
    console.log(
      `${method} ${JSON.stringify(options)}: online MSE ${mse.toFixed(4)} vs frozen ${frozenMse.toFixed(4)}`,
    );
    expect(mse).toBeLessThan(0.5 * frozenMse);
  });
});
