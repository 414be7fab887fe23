import { selectBackend, kernelTiers, useKernels } from '@seqcast/tensor';
import * as tf from '@tensorflow/tfjs';
import { DEFAULT_HAWKES } from '../hawkes/hawkes-params';
import { simulateHawkes } from '../hawkes/simulate';
import { NhpModel } from '../models/nhp';
import { eventModelRegistry } from '../registry';
import { ctLstmReference, fusedCtLstm, fusedRnn, rnnReference } from './fused-recurrences';
import { StepInputs, stepInputsTensor } from './step-inputs';

beforeAll(() => selectBackend('cpu'));

function rand(shape: number[], scale: number, seed: number): tf.Tensor {
  return tf.mul(tf.randomNormal(shape, 0, 1, 'float32', seed), scale);
}

/** Loss = sum(out * weights) so every output element gets a distinct gradient; the gradients w.r.t. all of `xs`. */
function lossAndGrads(
  f: (...xs: tf.Tensor[]) => tf.Tensor,
  xs: tf.Tensor[],
  wts: tf.Tensor,
): { value: number; grads: Float32Array[] } {
  const g = tf.valueAndGrads((...v: tf.Tensor[]) => tf.sum(tf.mul(f(...v), wts)));
  const { value, grads } = g(xs);
  return { value: value.dataSync()[0], grads: grads.map((d) => d.dataSync() as Float32Array) };
}

function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

/** Values and every gradient within tol. */
function expectSame(
  a: { value: number; grads: Float32Array[] },
  b: { value: number; grads: Float32Array[] },
  tol = 1e-4,
): void {
  expect(Math.abs(a.value - b.value)).toBeLessThan(tol);
  a.grads.forEach((g, i) => expect(maxDiff(g, b.grads[i])).toBeLessThan(tol));
}

/** 1 at positions t < lengths[b] of [B, T], broadcast to [...leading, B, T, ...rest] (what the models' masks do to padding). */
function prefixMask(lengths: number[], T: number, rest: number[], leading: number[] = []): tf.Tensor {
  const B = lengths.length;
  const m = tf.tensor2d(
    Array.from({ length: B * T }, (_, i) => (i % T < lengths[Math.floor(i / T)] ? 1 : 0)),
    [B, T],
  );
  return tf.reshape(m, [...leading.map(() => 1), B, T, ...rest.map(() => 1)]);
}

/** Random step inputs: a V-row table read by ids, plus F features when F > 0. */
function randomInputs(
  B: number,
  T: number,
  V: number,
  G: number,
  F: number,
  seed: number,
): { parts: tf.Tensor[]; make: (p: tf.Tensor[]) => StepInputs } {
  const ids = tf.tensor2d(
    Array.from({ length: B * T }, (_, i) => (i * 7 + seed) % V),
    [B, T],
    'int32',
  );
  const features = F ? (rand([B, T, F], 1, seed + 1) as tf.Tensor3D) : undefined;
  const parts = F
    ? [rand([V, G], 0.8, seed + 2), rand([F, G], 0.5, seed + 3)]
    : [rand([V, G], 0.8, seed + 2)];
  return {
    parts,
    make: (p) => ({ table: p[0] as tf.Tensor2D, ids, features, featureW: p[1] as tf.Tensor2D | undefined }),
  };
}

describe.each(kernelTiers())(
  'fused recurrences (%s kernels) match the step-by-step tfjs versions',
  (kernels) => {
    beforeAll(() => useKernels(kernels));
    afterAll(() => useKernels('auto'));

    it.each(['rnn', 'gru'] as const)(
      '%s: same outputs and gradients (table and feature inputs, U)',
      (cell) => {
        tf.tidy(() => {
          const [B, T, H] = [3, 6, 5];
          const G = cell === 'gru' ? 3 : 1;
          const inp = randomInputs(B, T, 4, G * H, 2, 1);
          const U = rand([H, G * H], 0.5, 2);
          const wts = rand([B, T, H], 1, 3);
          const split = (xs: tf.Tensor[]) => [inp.make(xs.slice(0, 2)), xs[2] as tf.Tensor2D] as const;
          const a = lossAndGrads((...xs) => fusedRnn(...split(xs), cell), [...inp.parts, U], wts);
          const b = lossAndGrads(
            (...xs) => rnnReference(stepInputsTensor(split(xs)[0]), split(xs)[1], cell),
            [...inp.parts, U],
            wts,
          );
          expectSame(a, b);
        });
      },
    );

    it.each(['rnn', 'gru'] as const)(
      '%s with ragged lengths: same values and gradients inside each sequence, zeros past its end',
      (cell) => {
        tf.tidy(() => {
          // 9 rows and 6 units: tiles of the products plus ragged edges
          const lengths = [3, 7, 0, 7, 1, 5, 2, 6, 4];
          const [B, T, H] = [lengths.length, 7, 6];
          const G = cell === 'gru' ? 3 : 1;
          const inp = randomInputs(B, T, 3, G * H, 2, 11);
          const U = rand([H, G * H], 0.5, 12);
          const mask = prefixMask(lengths, T, [1]);
          const wts = tf.mul(rand([B, T, H], 1, 13), mask); // padding never gets a gradient in the models
          const split = (xs: tf.Tensor[]) => [inp.make(xs.slice(0, 2)), xs[2] as tf.Tensor2D] as const;
          const a = lossAndGrads((...xs) => fusedRnn(...split(xs), cell, lengths), [...inp.parts, U], wts);
          const b = lossAndGrads(
            (...xs) => rnnReference(stepInputsTensor(split(xs)[0]), split(xs)[1], cell),
            [...inp.parts, U],
            wts,
          );
          expectSame(a, b);
          const h = fusedRnn(inp.make(inp.parts), U as tf.Tensor2D, cell, lengths);
          expect(
            maxDiff(
              h.dataSync(),
              tf
                .mul(rnnReference(stepInputsTensor(inp.make(inp.parts)), U as tf.Tensor2D, cell), mask)
                .dataSync(),
            ),
          ).toBeLessThan(1e-5);
        });
      },
    );

    it('continuous-time LSTM: same outputs and gradients, and a finite-difference check', () => {
      tf.tidy(() => {
        const [B, T, H] = [2, 7, 4];
        const inp = randomInputs(B, T, 3, 7 * H, 0, 4);
        const W = rand([H, 7 * H], 0.5, 5);
        const gaps = tf.abs(rand([B, T], 1, 6)) as tf.Tensor2D;
        const wts = rand([4, B, T, H], 1, 7);
        const a = lossAndGrads(
          (tab, w) => fusedCtLstm(inp.make([tab]), w as tf.Tensor2D, gaps),
          [...inp.parts, W],
          wts,
        );
        const b = lossAndGrads(
          (tab, w) => ctLstmReference(stepInputsTensor(inp.make([tab])), w as tf.Tensor2D, gaps),
          [...inp.parts, W],
          wts,
        );
        expectSame(a, b);
        // central differences on a few weights (float32: loose tolerance)
        const w0 = W.dataSync();
        const dW = a.grads[1];
        for (const idx of [0, 17, 45, 111]) {
          const h = 1e-2;
          const at = (d: number) => {
            const w = Float32Array.from(w0);
            w[idx] += d;
            return tf
              .sum(tf.mul(fusedCtLstm(inp.make(inp.parts), tf.tensor2d(w, [H, 7 * H]), gaps), wts))
              .dataSync()[0];
          };
          expect(Math.abs((at(h) - at(-h)) / (2 * h) - dW[idx])).toBeLessThan(
            2e-2 * Math.max(1, Math.abs(dW[idx])),
          );
        }
      });
    });

    it('continuous-time LSTM with ragged lengths and feature inputs: same values and gradients inside each sequence, zeros past its end', () => {
      tf.tidy(() => {
        const lengths = [4, 9, 1, 0, 9, 6, 2];
        const [B, T, H] = [lengths.length, 9, 5];
        const inp = randomInputs(B, T, 4, 7 * H, 2, 14);
        const W = rand([H, 7 * H], 0.5, 15);
        const gaps = tf.abs(rand([B, T], 1, 16)) as tf.Tensor2D;
        const mask = prefixMask(lengths, T, [1], [1]);
        const wts = tf.mul(rand([4, B, T, H], 1, 17), mask);
        const a = lossAndGrads(
          (tab, fw, w) => fusedCtLstm(inp.make([tab, fw]), w as tf.Tensor2D, gaps, lengths),
          [...inp.parts, W],
          wts,
        );
        const b = lossAndGrads(
          (tab, fw, w) => ctLstmReference(stepInputsTensor(inp.make([tab, fw])), w as tf.Tensor2D, gaps),
          [...inp.parts, W],
          wts,
        );
        expectSame(a, b);
        const out = fusedCtLstm(inp.make(inp.parts), W as tf.Tensor2D, gaps, lengths);
        const ref = tf.mul(
          ctLstmReference(stepInputsTensor(inp.make(inp.parts)), W as tf.Tensor2D, gaps),
          mask,
        );
        expect(maxDiff(out.dataSync(), ref.dataSync())).toBeLessThan(1e-5);
      });
    });
  },
);

describe.each(kernelTiers())('NHP with fused ops (%s kernels)', (kernels) => {
  beforeAll(() => useKernels(kernels));
  afterAll(() => useKernels('auto'));

  it('intensities and their gradients match the tfjs-op version', () => {
    const m = eventModelRegistry.create('nhp', 3, { hidden: 6, seed: 3 }) as unknown as NhpModel;
    const data = simulateHawkes(DEFAULT_HAWKES, 3, 5, { endTime: 20 });
    const batch = (m as unknown as { batchOf(s: unknown): { gaps: tf.Tensor2D } }).batchOf(data.sequences);
    const vars = (m as unknown as { params: { list(): tf.Variable[] } }).params.list();
    const dt = tf.abs(rand([...batch.gaps.shape, 4], 1, 9)) as tf.Tensor3D;
    const wts = rand([...batch.gaps.shape, 4, 3], 1, 10);
    const run = (ref: boolean) =>
      tf.tidy(() => {
        const mm = m as unknown as {
          encode(b: unknown): never;
          intensities(c: never, d: tf.Tensor3D): tf.Tensor;
          nhpIntensityReference(c: never, d: tf.Tensor3D): tf.Tensor;
        };
        const { value, grads } = tf.variableGrads(() => {
          const ctx = mm.encode(batch);
          return tf.sum(
            tf.mul(ref ? mm.nhpIntensityReference(ctx, dt) : mm.intensities(ctx, dt), wts),
          ) as tf.Scalar;
        }, vars);
        return [value, ...vars.map((v) => grads[v.name])];
      });
    const a = run(false);
    const b = run(true);
    a.forEach((t, i) =>
      expect(maxDiff(t.dataSync(), b[i].dataSync())).toBeLessThan(
        1e-4 * Math.max(1, Math.abs(b[0].dataSync()[0])),
      ),
    );
    tf.dispose([...a, ...b, dt, wts, batch as unknown as tf.Tensor]);
    m.dispose();
  });
});
