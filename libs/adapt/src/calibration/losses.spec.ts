import * as tf from '@tensorflow/tfjs';
import { Rng } from '@seqcast/numeric';
import { selectBackend } from '@seqcast/tensor';
import { huberLoss, patchStructuralLoss, petsaPaperLoss, petsaReferenceLoss, spectralL1 } from './losses';
import { finiteDifference } from './testing/fixtures';

beforeAll(async () => {
  await selectBackend('cpu');
});

const t3 = (v: number[], shape: [number, number, number]) => tf.tensor3d(v, shape);
const num = (s: tf.Scalar) => s.dataSync()[0];

function noisy(B: number, T: number, V: number, seed: number): number[] {
  const rng = new Rng(seed);
  return Array.from({ length: B * T * V }, () => rng.normal());
}

describe('PETSA losses', () => {
  it('Huber: 0.5 d^2 inside delta, delta (|d| - delta/2) outside, averaged', () => {
    const pred = t3([0, 0, 0, 0], [1, 4, 1]);
    const truth = t3([0.2, -0.4, 1, -3], [1, 4, 1]);
    // delta 0.5: 0.02, 0.08, 0.5 (1 - 0.25), 0.5 (3 - 0.25)
    const want = (0.02 + 0.08 + 0.375 + 1.375) / 4;
    expect(num(huberLoss(pred, truth, 0.5))).toBeCloseTo(want, 6);
  });

  it('spectral L1 of a cosine error: |DFT| is T/2 at its bin and 0 elsewhere', () => {
    const T = 32;
    const k = 5;
    const err = Array.from({ length: T }, (_, n) => Math.cos((2 * Math.PI * k * n) / T));
    const pred = t3(err, [1, T, 1]);
    const truth = t3(new Array(T).fill(0), [1, T, 1]);
    const F = T / 2 + 1;
    expect(num(spectralL1(pred, truth))).toBeCloseTo(T / 2 / F, 3);
  });

  it('spectral L1 matches a float64 DFT on random data (2 variables, 2 windows, odd length)', () => {
    const [B, T, V] = [2, 9, 2];
    const p = noisy(B, T, V, 1);
    const y = noisy(B, T, V, 2);
    const F = Math.floor(T / 2) + 1;
    let s = 0;
    for (let b = 0; b < B; b++)
      for (let v = 0; v < V; v++)
        for (let f = 0; f < F; f++) {
          let re = 0;
          let im = 0;
          for (let n = 0; n < T; n++) {
            const d = p[(b * T + n) * V + v] - y[(b * T + n) * V + v];
            re += d * Math.cos((2 * Math.PI * f * n) / T);
            im -= d * Math.sin((2 * Math.PI * f * n) / T);
          }
          s += Math.hypot(re, im);
        }
    expect(num(spectralL1(t3(p, [B, T, V]), t3(y, [B, T, V])))).toBeCloseTo(s / (B * V * F), 4);
  });

  it('structural term is 0 for a perfect forecast; its correlation part is 2 for an anti-correlated one', () => {
    const T = 24;
    const y = Array.from({ length: T }, (_, n) => Math.sin((2 * Math.PI * n) / 12));
    expect(num(patchStructuralLoss(t3(y, [1, T, 1]), t3(y, [1, T, 1]), 12))).toBeCloseTo(0, 5);
    // pred = -truth: correlation -1 per patch (1 - corr = 2); the KL and mean parts are not 0 but known >= 0
    const anti = patchStructuralLoss(
      t3(
        y.map((v) => -v),
        [1, T, 1],
      ),
      t3(y, [1, T, 1]),
      12,
    );
    expect(num(anti)).toBeGreaterThanOrEqual(2 - 1e-5);
  });

  it('reference loss: -Pearson is -1 (its minimum) for a forecast equal to the truth; all other terms 0', () => {
    const y = noisy(2, 10, 1, 3);
    const w = { huberDelta: 0.5, freqWeight: 0.1, structWeight: 1, patchLength: 5 };
    expect(num(petsaReferenceLoss(t3(y, [2, 10, 1]), t3(y, [2, 10, 1]), w))).toBeCloseTo(-1, 5);
    expect(num(petsaPaperLoss(t3(y, [2, 10, 1]), t3(y, [2, 10, 1]), w))).toBeCloseTo(0, 5);
  });

  it.each(['paper', 'reference'] as const)(
    '%s loss: tf gradient matches central finite differences',
    (variant) => {
      const [B, T, V] = [2, 16, 2];
      const pred = tf.variable(
        t3(
          noisy(B, T, V, 4).map((v) => 0.7 * v),
          [B, T, V],
        ),
      );
      const truth = t3(noisy(B, T, V, 5), [B, T, V]);
      const w = { huberDelta: 0.5, freqWeight: 0.1, structWeight: 1, patchLength: 6 };
      const loss = () =>
        variant === 'paper'
          ? petsaPaperLoss(pred as tf.Tensor3D, truth, w)
          : petsaReferenceLoss(pred as tf.Tensor3D, truth, w);
      const { grads } = tf.variableGrads(loss, [pred]);
      const g = grads[pred.name].dataSync();
      const f = () => tf.tidy(() => loss().dataSync()[0]);
      for (let j = 0; j < pred.size; j += 3) {
        const fd = finiteDifference(pred, j, f, 5e-3);
        expect(Math.abs(fd - g[j])).toBeLessThan(1e-3 + 2e-2 * Math.abs(g[j]));
      }
      tf.dispose(grads);
      pred.dispose();
    },
  );
});
