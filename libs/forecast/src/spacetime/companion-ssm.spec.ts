import * as tf from '@tensorflow/tfjs';
import { kernelTiers, Rng, useKernels } from '@seqcast/tensor';
import { lastState, lastStateByRecurrence } from './closed-loop-decoder';
import { closedLoopRows, companionKernel, companionKrylov, companionMatrix } from './companion-ssm';
import { differencingKernel, movingAverageResidualKernel } from './preprocessing';

const rng = new Rng(42);
const randn = (n: number, s = 1) => Float32Array.from({ length: n }, () => s * rng.normal());

function matVec(A: Float64Array[], v: ArrayLike<number>): Float64Array {
  return Float64Array.from(A.map((row) => row.reduce((s, a, j) => s + a * v[j], 0)));
}

describe.each(kernelTiers())('companion SSM kernels on the %s tier', (tier) => {
  beforeAll(() => useKernels(tier));
  afterAll(() => useKernels('auto'));

  const K = 3;
  const d = 5;
  const L = 40;
  // L1-normalised a keeps powers bounded, as in the model
  const a = randn(K * d).map((v, i, arr) => {
    const k = Math.floor(i / d);
    const norm = arr.slice(k * d, k * d + d).reduce((s, x) => s + Math.abs(x), 0);
    return v / norm;
  });
  const b = randn(K * d);
  const c = randn(K * d);
  const kk = randn(K * d, 0.3);

  it('K_j = c^T A^j b equals brute-force powers of the dense companion matrix', () => {
    const got = tf.tidy(() =>
      companionKernel(tf.tensor2d(a, [K, d]), tf.tensor2d(b, [K, d]), tf.tensor2d(c, [K, d]), L).arraySync(),
    );
    for (let k = 0; k < K; k++) {
      const A = companionMatrix(a.subarray(k * d, k * d + d));
      let x: ArrayLike<number> = b.subarray(k * d, k * d + d);
      for (let j = 0; j < L; j++) {
        const want = c.subarray(k * d, k * d + d).reduce((s, ci, i) => s + ci * x[i], 0);
        expect(got[k][j]).toBeCloseTo(want, 4);
        x = matVec(A, x);
      }
    }
  });

  it('closed-loop rows equal c^T (A + b k^T)^i by brute force', () => {
    const got = tf.tidy(() =>
      closedLoopRows(
        tf.tensor2d(a, [K, d]),
        tf.tensor2d(b, [K, d]),
        tf.tensor2d(c, [K, d]),
        tf.tensor2d(kk, [K, d]),
        12,
      ).arraySync(),
    );
    for (let k = 0; k < K; k++) {
      const A = companionMatrix(a.subarray(k * d, k * d + d));
      const bk = b.subarray(k * d, k * d + d);
      const kv = kk.subarray(k * d, k * d + d);
      const M = A.map((row, i) => row.map((v, j) => v + bk[i] * kv[j]));
      // row vector r_{i+1} = r_i M
      let r = Float64Array.from(c.subarray(k * d, k * d + d));
      for (let i = 0; i < 12; i++) {
        for (let j = 0; j < d; j++)
          expect(Math.abs(got[k][i][j] - r[j])).toBeLessThan(1e-5 * (1 + Math.abs(r[j])));
        const next = new Float64Array(d);
        for (let j = 0; j < d; j++) for (let m = 0; m < d; m++) next[j] += r[m] * M[m][j];
        r = next;
      }
    }
  });

  it('gradients of the kernel ops match finite differences', () => {
    const loss = (aa: tf.Tensor, bb: tf.Tensor, cc: tf.Tensor, k2: tf.Tensor) =>
      tf.add(
        tf.sum(
          tf.mul(
            companionKernel(aa as tf.Tensor2D, bb as tf.Tensor2D, cc as tf.Tensor2D, 20),
            tf.linspace(-1, 1, 20),
          ),
        ),
        tf.sum(
          tf.square(
            closedLoopRows(aa as tf.Tensor2D, bb as tf.Tensor2D, cc as tf.Tensor2D, k2 as tf.Tensor2D, 5),
          ),
        ),
      ) as tf.Scalar;
    const inputs = [a, b, c, kk].map((v) =>
      tf.tensor2d(
        Float32Array.from(v, (x) => x * 0.8),
        [K, d],
      ),
    );
    const grads = tf.grads(loss)(inputs);
    const eps = 1e-2;
    for (let which = 0; which < 4; which++) {
      const g = grads[which].dataSync();
      // float32 differences of a loss of size ~1e4: tolerance relative to the gradient's scale
      const scale = 1 + Array.from(g as Float32Array).reduce((m, v) => Math.max(m, Math.abs(v)), 0);
      for (const idx of [0, 4, 7, 13]) {
        const plus = inputs.map((t, i) =>
          i === which
            ? tf.tensor2d(
                Float32Array.from(t.dataSync(), (v, j) => (j === idx ? v + eps : v)),
                [K, d],
              )
            : t,
        );
        const minus = inputs.map((t, i) =>
          i === which
            ? tf.tensor2d(
                Float32Array.from(t.dataSync(), (v, j) => (j === idx ? v - eps : v)),
                [K, d],
              )
            : t,
        );
        const fd =
          (loss(plus[0], plus[1], plus[2], plus[3]).dataSync()[0] -
            loss(minus[0], minus[1], minus[2], minus[3]).dataSync()[0]) /
          (2 * eps);
        expect(Math.abs(g[idx] - fd)).toBeLessThan(1e-3 * scale);
        tf.dispose([plus[which], minus[which]]);
      }
    }
    tf.dispose([...inputs, ...grads]);
  });

  it('the closed-loop last state equals the direct recurrence x_{t+1} = A x_t + b u_t', () => {
    const N = 2;
    const heads = 2;
    const D = K * heads;
    const u = randn(N * D * L);
    const got = tf.tidy(() => {
      const kry = companionKrylov(tf.tensor2d(a, [K, d]), tf.tensor2d(b, [K, d]), L);
      return lastState(tf.tensor3d(u, [N, D, L]), kry, heads).arraySync(); // [K, N*heads, d]
    });
    for (let n = 0; n < N; n++) {
      for (let ch = 0; ch < D; ch++) {
        const k = Math.floor(ch / heads);
        const h = ch % heads;
        const want = lastStateByRecurrence(
          companionMatrix(a.subarray(k * d, k * d + d)),
          b.subarray(k * d, k * d + d),
          u.subarray((n * D + ch) * L, (n * D + ch + 1) * L),
        );
        for (let i = 0; i < d; i++) expect(got[k][n * heads + h][i]).toBeCloseTo(want[i], 3);
      }
    }
  });

  it('an AR(p) process is a companion SSM: with a = AR coefficients the kernel is its impulse response', () => {
    // y_t = 0.5 y_{t-1} - 0.2 y_{t-2}; state holds the last 2 values, read out the newest
    const ar = [0.5, -0.2];
    const dd = 2;
    // A = S + a e_{d-1}^T with a = [ar_2, ar_1]: last state component is the newest value
    const aT = tf.tensor2d([[-0.2, 0.5]]);
    const bT = tf.tensor2d([[0, 1]]);
    const cT = tf.tensor2d([[0, 1]]);
    const k = companionKernel(aT, bT, cT, 6).dataSync();
    const h = [1];
    for (let t = 1; t < 6; t++) h.push(ar[0] * h[t - 1] + (t >= 2 ? ar[1] * h[t - 2] : 0));
    h.forEach((v, t) => expect(k[t]).toBeCloseTo(v, 5));
    tf.dispose([aT, bT, cT]);
    expect(dd).toBe(2);
  });
});

describe('preprocessing kernels', () => {
  it('differencing kernels are signed binomial coefficients', () => {
    expect(Array.from(differencingKernel(0))).toEqual([1]);
    expect(Array.from(differencingKernel(1))).toEqual([1, -1]);
    expect(Array.from(differencingKernel(3))).toEqual([1, -3, 3, -1]);
  });
  it('moving-average residual kernel subtracts the window mean', () => {
    const k = movingAverageResidualKernel(4);
    expect(k[0]).toBeCloseTo(0.75);
    expect(k[3]).toBeCloseTo(-0.25);
    expect(k.reduce((s, v) => s + v, 0)).toBeCloseTo(0);
  });
});
