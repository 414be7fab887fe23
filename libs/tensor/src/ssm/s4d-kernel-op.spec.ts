import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../backend/select-backend';
import { maxAbsDiff, randomArray, seededRandom } from '../testing/oracles';
import { directKernel, S4DArrays, weightArrays } from './s4d-direct';
import { s4dKernel, s4dKernelOps } from './s4d-kernel';
import type { S4DWeights } from './s4d-params';
import { randomS4DWeights } from './s4d-test-weights';

// The fused kernel against the tf-ops kernel it replaces (autodiff through exp, cos, sin and
// the ZOH) and, for the values, against the float64 recurrence.

const NAMES = ['logAReal', 'aImag', 'bRe', 'bIm', 'cRe', 'cIm', 'logDt'] as const;

function relDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let scale = 0;
  for (let i = 0; i < b.length; i++) scale = Math.max(scale, Math.abs(b[i]));
  return maxAbsDiff(a, b) / scale;
}

/** Gradients of sum(K * dK) in the seven kernel weights. */
function kernelGrads(kernel: typeof s4dKernel, w: S4DWeights, L: number, dK: tf.Tensor): Float32Array[] {
  const g = tf.grads((...xs: tf.Tensor[]) => {
    const v = { ...w } as Record<string, tf.Tensor>;
    NAMES.forEach((n, i) => (v[n] = xs[i]));
    return tf.sum(tf.mul(kernel(v as unknown as S4DWeights, L), dK));
  });
  const out = g(NAMES.map((n) => w[n]));
  const values = out.map((t) => t.dataSync() as Float32Array);
  tf.dispose(out);
  return values;
}

/**
 * The exact gradients of sum(K * dK), float64, from the recurrence alone: each weight moved
 * both ways in the direct kernel of its own mode (or channel, for logDt), central differences
 * at steps e and e/2 combined by Richardson extrapolation (truncation O(e^4); ~1e-8 relative here).
 */
function recurrenceGrads(p: S4DArrays, dK: Float32Array, L: number): Float64Array[] {
  const { H, M } = p;
  const part = (h: number, n0: number, n1: number): S4DArrays => {
    const sl = (a: Float32Array) =>
      Float64Array.from(a.subarray(h * M + n0, h * M + n1)) as unknown as Float32Array;
    const one = (a: Float32Array) => Float64Array.of(a[h]) as unknown as Float32Array;
    return {
      H: 1,
      M: n1 - n0,
      logAReal: sl(p.logAReal),
      aImag: sl(p.aImag),
      bRe: sl(p.bRe),
      bIm: sl(p.bIm),
      cRe: sl(p.cRe),
      cIm: sl(p.cIm),
      logDt: one(p.logDt),
      d: one(p.d),
    };
  };
  const loss = (q: S4DArrays, h: number) => {
    const k = directKernel(q, L);
    let s = 0;
    for (let l = 0; l < L; l++) s += k[l] * dK[h * L + l];
    return s;
  };
  const derivative = (q: S4DArrays, name: (typeof NAMES)[number], h: number) => {
    const x = q[name][0];
    const central = (e: number) => {
      q[name][0] = x + e;
      const up = loss(q, h);
      q[name][0] = x - e;
      const down = loss(q, h);
      q[name][0] = x;
      return (up - down) / (2 * e);
    };
    // logDt scales every phase l dt Im A (thousands of radians at L 512): a shorter step
    const e = name === 'logDt' ? 1e-6 : 1e-5;
    return (4 * central(e / 2) - central(e)) / 3;
  };
  return NAMES.map((name) => {
    if (name === 'logDt')
      return Float64Array.from({ length: H }, (_, h) => derivative(part(h, 0, M), name, h));
    return Float64Array.from({ length: H * M }, (_, i) => {
      const h = Math.floor(i / M);
      const n = i % M;
      return derivative(part(h, n, n + 1), name, h);
    });
  });
}

describe('fused S4D kernel op', () => {
  beforeAll(async () => {
    await selectBackend('cpu');
  });
  const rand = seededRandom(71);

  // dt at both ends of [0.001, 0.1] (alternating channels), and log-uniform between
  it.each([
    [2, 2, 1, 'ends'],
    [3, 8, 37, 'ends'],
    [4, 16, 100, 'random'],
    [2, 64, 300, 'ends'],
    [4, 64, 512, 'random'],
    [3, 32, 129, 'ends'],
  ])(
    'values and gradients equal the tf-ops kernel and the recurrence (H=%i, N=%i, L=%i, dt %s)',
    (H, N, L, dts) => {
      const w = randomS4DWeights(H, N / 2, rand);
      if (dts === 'ends') {
        w.logDt.dispose();
        w.logDt = tf.tensor1d(Array.from({ length: H }, (_, h) => Math.log(h % 2 ? 0.1 : 0.001)));
      }
      const fused = s4dKernel(w, L);
      const ops = s4dKernelOps(w, L);
      expect(fused.shape).toEqual([H, L]);
      expect(relDiff(fused.dataSync(), ops.dataSync())).toBeLessThan(1e-5);
      // and the float64 recurrence itself
      expect(maxAbsDiff(fused.dataSync(), directKernel(weightArrays(w), L))).toBeLessThan(1e-5);
      const dKv = randomArray(H * L, rand);
      const dK = tf.tensor2d(dKv, [H, L]);
      const gf = kernelGrads(s4dKernel, w, L, dK);
      const go = kernelGrads(s4dKernelOps, w, L, dK);
      const truth = recurrenceGrads(weightArrays(w), dKv, L);
      NAMES.forEach((name, i) => {
        const fusedErr = relDiff(gf[i], truth[i]);
        const opsErr = relDiff(go[i], truth[i]);
        // float64 throughout but the float32 result: ~1e-7 of the largest entry
        expect({ name, fusedErr: fusedErr < 1e-6 }).toEqual({ name, fusedErr: true });
        // the tf-ops kernel's own float32 error (its phases l dt Im A are rounded in float32)
        // reaches ~7e-5 here (logDt, aImag, logAReal at long L or dt 0.1): the two agree to 1e-5
        // of the largest entry wherever that error allows, and otherwise differ by that error only
        expect({ name, agree: relDiff(gf[i], go[i]) < Math.max(1e-5, 1.2 * opsErr) }).toEqual({
          name,
          agree: true,
        });
      });
      tf.dispose([fused, ops, dK, ...Object.values(w)]);
    },
  );
});
