import { selectBackend, kernelTiers, useKernels } from '@seqcast/tensor';
import * as tf from '@tensorflow/tfjs';
import { relDiff } from '../testing/rel-diff';
import { fusedPrefixAttention } from './fused-attention';
import { PrefixLimits, causalLimits, maskedLimits } from './prefix-limits';

beforeAll(() => selectBackend('cpu'));

function rand(shape: number[], scale: number, seed: number): tf.Tensor3D {
  return tf.mul(tf.randomNormal(shape, 0, 1, 'float32', seed), scale) as tf.Tensor3D;
}

/** [B, N, d] -> [B, heads, N, dh]. */
function splitHeads(x: tf.Tensor3D, heads: number): tf.Tensor4D {
  const [B, N, d] = x.shape;
  return tf.transpose(tf.reshape(x, [B, N, heads, d / heads]), [0, 2, 1, 3]);
}

/**
 * The same attention with ordinary tfjs ops: a dense [B, Q, N] mask built from the limits;
 * queries with limit -1 (no keys) zeroed afterwards. nullKey: one more key of zeros (score
 * 0) with a value of zeros, seen by every query that has keys.
 */
function attentionReference(
  q: tf.Tensor3D,
  kIn: tf.Tensor3D,
  vIn: tf.Tensor3D,
  limits: PrefixLimits,
  heads: number,
  nullKey = false,
): tf.Tensor3D {
  const [B, Q, d] = q.shape;
  const zero = tf.zeros([B, 1, d]);
  const k = nullKey ? (tf.concat([kIn, zero], 1) as tf.Tensor3D) : kIn;
  const v = nullKey ? (tf.concat([vIn, zero], 1) as tf.Tensor3D) : vIn;
  const N = k.shape[1];
  const mask = new Float32Array(B * Q * N);
  const hasKeys = new Float32Array(B * Q);
  const shared = limits.length === Q && B > 1;
  for (let b = 0; b < B; b++) {
    for (let i = 0; i < Q; i++) {
      const L = limits[shared ? i : b * Q + i];
      for (let j = 0; j <= L; j++) mask[(b * Q + i) * N + j] = 1;
      if (nullKey) mask[(b * Q + i) * N + N - 1] = 1;
      hasKeys[b * Q + i] = L >= 0 ? 1 : 0;
    }
  }
  const penalty = tf.mul(tf.sub(1, tf.expandDims(tf.tensor3d(mask, [B, Q, N]), 1)), -1e9);
  const scores = tf.div(
    tf.matMul(splitHeads(q, heads), splitHeads(k, heads), false, true),
    Math.sqrt(d / heads),
  );
  const att = tf.softmax(tf.add(scores, penalty));
  const out = tf.reshape(tf.transpose(tf.matMul(att, splitHeads(v, heads)), [0, 2, 1, 3]), [B, Q, d]);
  return tf.mul(out, tf.tensor3d(hasKeys, [B, Q, 1]));
}

type Attention = (
  q: tf.Tensor3D,
  k: tf.Tensor3D,
  v: tf.Tensor3D,
  limits: PrefixLimits,
  heads: number,
  nullKey?: boolean,
) => tf.Tensor3D;

/** Loss = sum(out * weights) so every output element gets a distinct gradient. */
function lossAndGrads(
  f: Attention,
  q: tf.Tensor3D,
  k: tf.Tensor3D,
  v: tf.Tensor3D,
  limits: PrefixLimits,
  heads: number,
  wts: tf.Tensor,
  nullKey: boolean,
) {
  const g = tf.valueAndGrads((a: tf.Tensor, b: tf.Tensor, c: tf.Tensor) =>
    tf.sum(tf.mul(f(a as tf.Tensor3D, b as tf.Tensor3D, c as tf.Tensor3D, limits, heads, nullKey), wts)),
  );
  const { value, grads } = g([q, k, v]);
  return {
    out: f(q, k, v, limits, heads, nullKey).dataSync(),
    value: value.dataSync()[0],
    grads: grads.map((t) => t.dataSync()),
  };
}

function expectSameAsReference(
  B: number,
  Q: number,
  N: number,
  d: number,
  heads: number,
  limits: PrefixLimits,
  seed: number,
  nullKey = false,
): void {
  tf.tidy(() => {
    const q = rand([B, Q, d], 1, seed);
    const k = rand([B, N, d], 1, seed + 1);
    const v = rand([B, N, d], 1, seed + 2);
    const wts = rand([B, Q, d], 1, seed + 3);
    const a = lossAndGrads(fusedPrefixAttention, q, k, v, limits, heads, wts, nullKey);
    const b = lossAndGrads(attentionReference, q, k, v, limits, heads, wts, nullKey);
    expect(relDiff(a.out, b.out)).toBeLessThan(1e-5);
    expect(Math.abs(a.value - b.value)).toBeLessThan(1e-5 * Math.max(1, Math.abs(b.value)));
    a.grads.forEach((g, i) => expect(relDiff(g, b.grads[i])).toBeLessThan(1e-5));
  });
}

// heads of 8 or 16 columns run on the gemm core where WebAssembly SIMD runs (GemmPrefixAttention),
// others and every case under 'js' on the plain-JS loops (JsPrefixAttention)
describe.each(kernelTiers())('fusedPrefixAttention matches tfjs-op attention with a dense mask (%s kernels)', (kernels) => {
  beforeAll(() => useKernels(kernels));
  afterAll(() => useKernels('auto'));

  it('causal self-attention (Q = N, limits shared by all rows)', () => {
    expectSameAsReference(3, 7, 7, 8, 2, causalLimits(7), 11);
    expectSameAsReference(3, 7, 7, 16, 2, causalLimits(7), 12);
    expectSameAsReference(2, 13, 13, 32, 2, causalLimits(13), 13);
  });

  it('per-row limits, four heads, one key', () => {
    const [B, T] = [2, 5];
    const limits = Int32Array.of(0, 3, 1, 4, 2, 2, 0, 4, 1, 3); // not causal: any prefix per query
    expectSameAsReference(B, T, T, 12, 4, limits, 21);
    expectSameAsReference(1, 1, 1, 6, 3, Int32Array.of(0), 31);
  });

  it("AttNHP's queries: many queries over fewer keys, each limited to its context", () => {
    // P = 4 contexts x S = 3 sampled times per context: 12 queries over T = 5 events
    const [B, P, S, T] = [3, 4, 3, 5];
    const pos = [0, 1, 3, 4, 2, 0, 4, 1, 3, 3, 0, 2];
    const limits = Int32Array.from({ length: B * P * S }, (_, i) => pos[Math.floor(i / S)]);
    expectSameAsReference(B, P * S, T, 8, 2, limits, 41);
    expectSameAsReference(B, P * S, T, 16, 2, limits, 42);
  });

  it('padded queries (limit -1, from a batch mask) get a zero output and pass no gradient', () => {
    const [B, T] = [2, 6];
    const mask = tf.tensor2d([1, 1, 1, 1, 0, 0, 1, 1, 1, 1, 1, 1], [B, T]);
    const causal = causalLimits(T, mask);
    expect(Array.from(causal)).toEqual([0, 1, 2, 3, -1, -1, 0, 1, 2, 3, 4, 5]);
    expectSameAsReference(B, T, T, 8, 2, causal, 61);
    // AttNHP's queries: S = 2 per position, none after padded positions
    const grid = maskedLimits(Int32Array.of(0, 1, 2, 3, 4, 5, 0, 1, 2, 3, 4, 5), mask, 2);
    expect(Array.from(grid.subarray(6, 14))).toEqual([3, 3, -1, -1, -1, -1, 0, 0]);
    expectSameAsReference(B, 2 * T, T, 8, 2, grid, 71);
    expectSameAsReference(B, T, T, 16, 2, causal, 62);
    expectSameAsReference(B, 2 * T, T, 24, 3, grid, 72);
    mask.dispose();
  });

  it("AttNHP's 1 + sum exp normaliser: a null key of score 0 and value 0", () => {
    expectSameAsReference(3, 7, 7, 8, 2, causalLimits(7), 81, true);
    expectSameAsReference(3, 7, 7, 16, 2, causalLimits(7), 82, true);
    const mask = tf.tensor2d([1, 1, 1, 0, 1, 1, 1, 1], [2, 4]);
    // single keys of either sign: the largest score is sometimes the null key's 0
    expectSameAsReference(2, 8, 4, 8, 2, maskedLimits(Int32Array.of(0, 1, 2, 3, 0, 1, 2, 3), mask, 2), 91, true);
    expectSameAsReference(2, 8, 4, 16, 2, maskedLimits(Int32Array.of(0, 1, 2, 3, 0, 1, 2, 3), mask, 2), 92, true);
    mask.dispose();
  });

  it('rejects limits outside the keys or of the wrong length', () => {
    tf.tidy(() => {
      const x = rand([2, 3, 4], 1, 51);
      expect(() => fusedPrefixAttention(x, x, x, Int32Array.of(0, 1, 3), 2)).toThrow(/outside/);
      expect(() => fusedPrefixAttention(x, x, x, Int32Array.of(0, -2, 1), 2)).toThrow(/outside/);
      expect(() => fusedPrefixAttention(x, x, x, Int32Array.of(0, 1), 2)).toThrow(/limits/);
    });
  });
});
