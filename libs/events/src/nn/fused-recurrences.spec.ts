import { selectBackend } from '@seqcast/tensor';
import * as tf from '@tensorflow/tfjs';
import { DEFAULT_HAWKES } from '../hawkes/hawkes-params';
import { simulateHawkes } from '../hawkes/simulate';
import { NhpModel } from '../models/nhp';
import { eventModelRegistry } from '../registry';
import { ctLstmReference, fusedCtLstm, fusedRnn, rnnReference } from './fused-recurrences';

beforeAll(() => selectBackend('cpu'));

function rand(shape: number[], scale: number, seed: number): tf.Tensor {
  return tf.mul(tf.randomNormal(shape, 0, 1, 'float32', seed), scale);
}

/** Loss = sum(out * weights) so every output element gets a distinct gradient. */
function lossAndGrads(f: (x: tf.Tensor3D, u: tf.Tensor2D) => tf.Tensor, X: tf.Tensor, U: tf.Tensor, wts: tf.Tensor) {
  const g = tf.valueAndGrads((x: tf.Tensor, u: tf.Tensor) => tf.sum(tf.mul(f(x as tf.Tensor3D, u as tf.Tensor2D), wts)));
  const { value, grads } = g([X, U]);
  return { value: value.dataSync()[0], dX: grads[0].dataSync(), dU: grads[1].dataSync() };
}

function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

describe('fused recurrences match the step-by-step tfjs versions', () => {
  it.each(['rnn', 'gru'] as const)('%s: same outputs and gradients', (cell) => {
    tf.tidy(() => {
      const [B, T, H] = [3, 6, 5];
      const G = cell === 'gru' ? 3 : 1;
      const X = rand([B, T, G * H], 0.8, 1);
      const U = rand([H, G * H], 0.5, 2);
      const wts = rand([B, T, H], 1, 3);
      const a = lossAndGrads((x, u) => fusedRnn(x, u, cell), X, U, wts);
      const b = lossAndGrads((x, u) => rnnReference(x, u, cell), X, U, wts);
      expect(Math.abs(a.value - b.value)).toBeLessThan(1e-4);
      expect(maxDiff(a.dX, b.dX)).toBeLessThan(1e-4);
      expect(maxDiff(a.dU, b.dU)).toBeLessThan(1e-4);
    });
  });

  it('continuous-time LSTM: same outputs and gradients, and a finite-difference check', () => {
    tf.tidy(() => {
      const [B, T, H] = [2, 7, 4];
      const X = rand([B, T, 7 * H], 0.8, 4);
      const W = rand([H, 7 * H], 0.5, 5);
      const gaps = tf.abs(rand([B, T], 1, 6)) as tf.Tensor2D;
      const wts = rand([4, B, T, H], 1, 7);
      const a = lossAndGrads((x, u) => fusedCtLstm(x, u, gaps), X, W, wts);
      const b = lossAndGrads((x, u) => ctLstmReference(x, u, gaps), X, W, wts);
      expect(Math.abs(a.value - b.value)).toBeLessThan(1e-4);
      expect(maxDiff(a.dX, b.dX)).toBeLessThan(1e-4);
      expect(maxDiff(a.dU, b.dU)).toBeLessThan(1e-4);
      // central differences on a few weights (float32: loose tolerance)
      const w0 = W.dataSync();
      for (const idx of [0, 17, 45, 111]) {
        const h = 1e-2;
        const at = (d: number) => {
          const w = Float32Array.from(w0);
          w[idx] += d;
          return tf.sum(tf.mul(fusedCtLstm(X as tf.Tensor3D, tf.tensor2d(w, [H, 7 * H]), gaps), wts)).dataSync()[0];
        };
        expect(Math.abs((at(h) - at(-h)) / (2 * h) - a.dU[idx])).toBeLessThan(2e-2 * Math.max(1, Math.abs(a.dU[idx])));
      }
    });
  });
});

describe('NHP with fused ops', () => {
  it('intensities and their gradients match the tfjs-op version', () => {
    const m = eventModelRegistry.create('nhp', 3, { hidden: 6, seed: 3 }) as unknown as NhpModel;
    const data = simulateHawkes(DEFAULT_HAWKES, 3, 5, { endTime: 20 });
    const batch = (m as unknown as { batchOf(s: unknown): { gaps: tf.Tensor2D } }).batchOf(data.sequences);
    const vars = (m as unknown as { params: { list(): tf.Variable[] } }).params.list();
    const dt = tf.abs(rand([...batch.gaps.shape, 4], 1, 9)) as tf.Tensor3D;
    const wts = rand([...batch.gaps.shape, 4, 3], 1, 10);
    const run = (ref: boolean) =>
      tf.tidy(() => {
        const mm = m as unknown as { encode(b: unknown): never; intensities(c: never, d: tf.Tensor3D): tf.Tensor; nhpIntensityReference(c: never, d: tf.Tensor3D): tf.Tensor };
        const { value, grads } = tf.variableGrads(() => {
          const ctx = mm.encode(batch);
          return tf.sum(tf.mul(ref ? mm.nhpIntensityReference(ctx, dt) : mm.intensities(ctx, dt), wts)) as tf.Scalar;
        }, vars);
        return [value, ...vars.map((v) => grads[v.name])];
      });
    const a = run(false);
    const b = run(true);
    a.forEach((t, i) => expect(maxDiff(t.dataSync(), b[i].dataSync())).toBeLessThan(1e-4 * Math.max(1, Math.abs(b[0].dataSync()[0]))));
    tf.dispose([...a, ...b, dt, wts, batch as unknown as tf.Tensor]);
    m.dispose();
  });
});
