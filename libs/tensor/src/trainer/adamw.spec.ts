import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../backend/select-backend';
import { AdamW } from './adamw';

/**
 * AdamW's host loop against its tfjs-op path and against the update written out by hand
 * (Loshchilov & Hutter's algorithm 2 with Adam's bias corrections).
 */
describe('AdamW', () => {
  beforeAll(() => selectBackend('cpu'));

  /** `steps` updates; with `restartAt`, the optimiser's state is saved there and a new one restored from it goes on. */
  function run(mode: 'host' | 'ops', steps: number, restartAt = -1): Float32Array {
    const p = tf.variable(tf.tensor1d([0.5, -1.5, 2, 0]));
    let opt = new AdamW({ weightDecay: 0.1, mode });
    for (let s = 0; s < steps; s++) {
      if (s === restartAt) {
        const state = opt.saveState([p]);
        opt.dispose();
        opt = new AdamW({ weightDecay: 0.1, mode });
        opt.restoreState([p], state);
      }
      const g = tf.tensor1d([0.3 * (s + 1), -0.2, 1e-3, s % 2 ? 1 : -1]);
      opt.step([p], [g], 0.05);
      g.dispose();
    }
    const out = p.dataSync() as Float32Array;
    opt.dispose();
    p.dispose();
    return Float32Array.from(out);
  }

  it('host and tfjs-op updates agree over several steps', () => {
    const a = run('host', 7);
    const b = run('ops', 7);
    a.forEach((x, i) => expect(x).toBeCloseTo(b[i], 5));
  });

  it('goes on exactly from a saved state (a training checkpoint), on both paths', () => {
    for (const mode of ['host', 'ops'] as const) expect(run(mode, 7, 4)).toEqual(run(mode, 7));
  });

  it('first step equals the closed form: p (1 - lr wd) - lr sign(g) (bias-corrected m / sqrt(v) = g / |g|)', () => {
    const p0 = [0.5, -1.5, 2, 0];
    const g = [0.3, -0.2, 1e-3, -1];
    const got = run('host', 1);
    p0.forEach((x, i) =>
      expect(got[i]).toBeCloseTo(
        x * (1 - 0.05 * 0.1) - 0.05 * Math.sign(g[i]) * (Math.abs(g[i]) / (Math.abs(g[i]) + 1e-8)),
        6,
      ),
    );
  });
});
