import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../backend/select-backend';
import { maxAbsDiff, randomArray, seededRandom } from '../testing/oracles';
import { registerCpuMatMulKernels, restoreCpuMatMulKernels } from './matmul-cpu';
import { kernelArena, kernelTier, kernelTiers, useKernels } from './wasm-kernels';
import { K_BLOCK, wasmMatMulArenaFloats } from './wasm-matmul';

/** C = op(A) op(B) by the definition, float64. */
function naiveMatMul(a: number[][], b: number[][]): number[] {
  const out: number[] = [];
  for (let i = 0; i < a.length; i++)
    for (let j = 0; j < b[0].length; j++) {
      let s = 0;
      for (let p = 0; p < b.length; p++) s += a[i][p] * b[p][j];
      out.push(s);
    }
  return out;
}
const transpose = (m: number[][]) => m[0].map((_, j) => m.map((row) => row[j]));

/** float32's unit roundoff. */
const U = 2 ** -24;

/** 0, step, 2 step, ... and the last of 0..size (all of them for step 1). */
function sample(size: number, step: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < size; i += step) out.push(i);
  if (size > 0 && out[out.length - 1] !== size - 1) out.push(size - 1);
  return out;
}

/**
 * Entries (i, j) of op(A) op(B) for flat operands by the definition in float64 (exact
 * products of float32s, float64 sums), with mag = sum_p |A(i, p)| |B(p, j)|, the scale of
 * float32 rounding errors. Every step-th row and column of the dimensions over 4096 (the
 * large cases sample).
 */
function reference(
  a: Float32Array,
  b: Float32Array,
  m: number,
  k: number,
  n: number,
  tA: boolean,
  tB: boolean,
  step = 1,
) {
  const [aRow, aCol] = tA ? [1, m] : [k, 1];
  const [bRow, bCol] = tB ? [1, k] : [n, 1];
  const at: number[] = [];
  const c: number[] = [];
  const mag: number[] = [];
  for (const i of sample(m, m > 4096 ? step : 1))
    for (const j of sample(n, n > 4096 ? step : 1)) {
      let s = 0;
      let t = 0;
      for (let p = 0; p < k; p++) {
        const x = a[i * aRow + p * aCol] * b[p * bRow + j * bCol];
        s += x;
        t += x < 0 ? -x : x; // not Math.abs: Math calls are slow under jest
      }
      at.push(i * n + j);
      c.push(s);
      mag.push(t);
    }
  return { at, c, mag };
}

/**
 * The worst entry's error over the bound the kernels promise for any k (wasm-matmul.ts):
 * |C - C_exact| <= (K_BLOCK + 1) u mag + u |C_exact| (float32 sums of at most K_BLOCK
 * products, blocks added in float64, one rounding to float32). <= 1 when all are within.
 */
function boundRatio(got: ArrayLike<number>, ref: ReturnType<typeof reference>): number {
  let worst = 0;
  ref.at.forEach((at, q) => {
    const c = ref.c[q];
    const err = Math.abs(got[at] - c);
    const ratio = err / ((K_BLOCK + 1) * U * ref.mag[q] + U * Math.abs(c) + 1e-30);
    if (!(ratio <= worst)) worst = ratio; // NaN sticks
  });
  return worst;
}

/** n floats uniform in [lo, hi) by xorshift32 (fast, and no Math calls: they are slow under jest). */
function uniform(n: number, seed: number, lo = -1, hi = 1): Float32Array {
  const out = new Float32Array(n);
  let s = seed | 1;
  for (let i = 0; i < n; i++) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    out[i] = lo + ((hi - lo) * (s >>> 0)) / 4294967296;
  }
  return out;
}

/** tf.matMul of flat operands, checked against the float64 reference within the bound. */
function checkFlat(
  m: number,
  k: number,
  n: number,
  tA: boolean,
  tB: boolean,
  a: Float32Array,
  b: Float32Array,
  step = 1,
) {
  const A = tf.tensor2d(a, tA ? [k, m] : [m, k]);
  const B = tf.tensor2d(b, tB ? [n, k] : [k, n]);
  const C = tf.matMul(A, B, tA, tB);
  const got = C.dataSync();
  tf.dispose([A, B, C]);
  expect(got.length).toBe(m * n);
  const ratio = boundRatio(got, reference(a, b, m, k, n, tA, tB, step));
  expect(ratio).toBeLessThanOrEqual(1);
  return ratio;
}

const TRANSPOSES = [
  [false, false],
  [true, false],
  [false, true],
  [true, true],
] as const;

// Every gemm this process has: native (native-matmul.ts, where the addon is built), WebAssembly
// SIMD (wasm-matmul.ts) and gemm.ts (engines without SIMD).
describe.each(kernelTiers())('cpu matMul kernels (%s gemm)', (gemmKind) => {
  const rand = seededRandom(4);
  beforeAll(async () => {
    await selectBackend('cpu');
    registerCpuMatMulKernels();
    useKernels(gemmKind);
  });
  afterAll(() => {
    useKernels('auto');
    restoreCpuMatMulKernels();
  });

  it('runs on the intended gemm', () => expect(kernelTier()).toBe(gemmKind));

  it("leaves the fused ops' shared arena alone (a tf op inside a fused op may reach these kernels)", () => {
    const held = kernelArena(1000);
    held.buf.fill(0.5, 0, 1000);
    const big = tf.matMul(tf.ones([300, 700]), tf.ones([700, 90]));
    expect(big.dataSync()[0]).toBe(700);
    expect(held.buf.subarray(0, 1000).every((v) => v === 0.5)).toBe(true);
  });

  it.each([
    [5, 7, 3, false, false],
    [9, 4, 6, true, false],
    [2, 13, 5, false, true],
    [6, 3, 7, true, true],
    [4, 600, 5, true, false], // long k is blocked
    [1, 1, 1, false, false],
    [37, 19, 45, false, false], // ragged around the 4 x 8 tiles
    [37, 19, 45, true, true],
    [300, 70, 530, false, true], // several row and column tiles
  ])('m=%i k=%i n=%i transposeA=%s transposeB=%s', (m, k, n, tA, tB) => {
    const A = tf.tensor2d(randomArray(m * k, rand), tA ? [k, m] : [m, k]);
    const B = tf.tensor2d(randomArray(k * n, rand), tB ? [n, k] : [k, n]);
    const a = A.arraySync();
    const b = B.arraySync();
    const expected = naiveMatMul(tA ? transpose(a) : a, tB ? transpose(b) : b);
    const got = tf.matMul(A, B, tA, tB);
    expect(got.shape).toEqual([m, n]);
    expect(maxAbsDiff(got.dataSync(), expected)).toBeLessThan(1e-4 * Math.sqrt(k));
  });

  it('broadcasts a single matrix over a batch, and falls back for general broadcasting', () => {
    const A = tf.tensor3d(randomArray(3 * 4 * 5, rand), [3, 4, 5]);
    const W = tf.tensor2d(randomArray(5 * 2, rand), [5, 2]);
    const got = tf.matMul(A, tf.expandDims(W, 0).tile([1, 1, 1]) as tf.Tensor3D);
    const perBatch = tf.unstack(A).map((a) => naiveMatMul(a.arraySync() as number[][], W.arraySync()));
    expect(maxAbsDiff(got.dataSync(), perBatch.flat())).toBeLessThan(1e-5);
    const general = tf.matMul(tf.ones([2, 1, 3, 4]), tf.ones([1, 5, 4, 2]));
    expect(general.shape).toEqual([2, 5, 3, 2]);
    expect(general.dataSync().every((v) => v === 4)).toBe(true);
  });

  it.each(TRANSPOSES)(
    'batches: [3] x [3], [3] x one and one x [3] (transposeA=%s transposeB=%s)',
    (tA, tB) => {
      const [m, k, n] = [6, 9, 10];
      const As = [0, 1, 2].map(() => tf.tensor2d(randomArray(m * k, rand), tA ? [k, m] : [m, k]));
      const Bs = [0, 1, 2].map(() => tf.tensor2d(randomArray(k * n, rand), tB ? [n, k] : [k, n]));
      const prod = (a: tf.Tensor2D, b: tf.Tensor2D) => {
        const x = a.arraySync();
        const y = b.arraySync();
        return naiveMatMul(tA ? transpose(x) : x, tB ? transpose(y) : y);
      };
      const both = tf.matMul(tf.stack(As) as tf.Tensor3D, tf.stack(Bs) as tf.Tensor3D, tA, tB);
      expect(maxAbsDiff(both.dataSync(), As.map((a, t) => prod(a, Bs[t])).flat())).toBeLessThan(1e-5);
      const sharedB = tf.matMul(tf.stack(As) as tf.Tensor3D, Bs[0], tA, tB);
      expect(maxAbsDiff(sharedB.dataSync(), As.map((a) => prod(a, Bs[0])).flat())).toBeLessThan(1e-5);
      const sharedA = tf.matMul(As[0], tf.stack(Bs) as tf.Tensor3D, tA, tB);
      expect(sharedA.shape).toEqual([3, m, n]);
      expect(maxAbsDiff(sharedA.dataSync(), Bs.map((b) => prod(As[0], b)).flat())).toBeLessThan(1e-5);
    },
  );

  it('fused matMul with bias and relu (what tf.layers.dense runs)', () => {
    const x = tf.tensor2d(randomArray(6 * 4, rand), [6, 4]);
    const w = tf.tensor2d(randomArray(4 * 3, rand), [4, 3]);
    const bias = tf.tensor1d(randomArray(3, rand));
    const got = tf.fused.matMul({ a: x, b: w, bias, activation: 'relu' });
    const expected = naiveMatMul(x.arraySync(), w.arraySync()).map((v, i) =>
      Math.max(0, v + bias.dataSync()[i % 3]),
    );
    expect(maxAbsDiff(got.dataSync(), expected)).toBeLessThan(1e-5);
  });

  it('gradients of matMul match the closed form (dA = G B^T, dB = A^T G)', () => {
    const A = tf.tensor2d(randomArray(5 * 3, rand), [5, 3]);
    const B = tf.tensor2d(randomArray(3 * 4, rand), [3, 4]);
    const G = tf.tensor2d(randomArray(5 * 4, rand), [5, 4]);
    const [dA, dB] = tf.grads((a, b) => tf.sum(tf.mul(tf.matMul(a, b), G)))([A, B]);
    const g = G.arraySync();
    expect(maxAbsDiff(dA.dataSync(), naiveMatMul(g, transpose(B.arraySync())))).toBeLessThan(1e-5);
    expect(maxAbsDiff(dB.dataSync(), naiveMatMul(transpose(A.arraySync()), g))).toBeLessThan(1e-5);
  });

  describe('long k (weight gradients: k = B L)', () => {
    it.each(TRANSPOSES)('k = 20011, mixed signs, transposeA=%s transposeB=%s: within the bound', (tA, tB) => {
      const [m, k, n] = [7, 20011, 9];
      checkFlat(m, k, n, tA, tB, uniform(m * k, 11), uniform(k * n, 12));
    });

    it.each(TRANSPOSES)(
      'k = 20011, all positive (no cancellation), transposeA=%s transposeB=%s',
      (tA, tB) => {
        const [m, k, n] = [5, 20011, 6];
        const a = uniform(m * k, 13, 0, 1);
        const b = uniform(k * n, 14, 0, 1);
        checkFlat(m, k, n, tA, tB, a, b);
        // and close to correctly rounded: an error of float32 sums over the whole k grows with k
        const got = tf.matMul(
          tf.tensor2d(a, tA ? [k, m] : [m, k]),
          tf.tensor2d(b, tB ? [n, k] : [k, n]),
          tA,
          tB,
        );
        const { at, c } = reference(a, b, m, k, n, tA, tB);
        const values = got.dataSync();
        at.forEach((i, q) => expect(Math.abs(values[i] - c[q]) / c[q]).toBeLessThan(1e-6));
      },
    );

    it('adds the k blocks in float64: 2^24 + 3 from one block of 2^24 and three of 1', () => {
      // block 0: K_BLOCK products of 2^24 / K_BLOCK (float32 partial sums exact); blocks 1-3:
      // products 1 / K_BLOCK summing to 1 each. One float32 sum loses the ones (2^24 + 1
      // rounds to 2^24); float64 blocks give 2^24 + 3, which rounds to 2^24 + 4 (or + 2).
      const k = 4 * K_BLOCK;
      const a = Float32Array.from({ length: k }, (_, p) => (p < K_BLOCK ? 2 ** 24 / K_BLOCK : 1 / K_BLOCK));
      const b = new Float32Array(k).fill(1);
      for (const tA of [false, true]) {
        const got = tf
          .matMul(tf.tensor2d(a, tA ? [k, 1] : [1, k]), tf.tensor2d(b, [k, 1]), tA, false)
          .dataSync();
        expect(Math.abs(got[0] - (2 ** 24 + 3))).toBeLessThanOrEqual(1);
      }
    });
  });

  describe('large operands (the wasm arena stays bounded: operands go through it in tiles)', () => {
    it('A of 105 MB: [3276800, 8] x [8, 8]', () => {
      const [m, k, n] = [3276800, 8, 8];
      checkFlat(m, k, n, false, false, uniform(m * k, 21), uniform(k * n, 22), 61);
    });

    it('B of 105 MB read transposed: [16, 16] x [1638400, 16]^T', () => {
      const [m, k, n] = [16, 16, 1638400];
      checkFlat(m, k, n, false, true, uniform(m * k, 23), uniform(k * n, 24), 61);
    });

    it('a weight gradient with k = 1.6M: [1600000, 8]^T x [1600000, 8] (51 MB each)', () => {
      const [m, k, n] = [8, 1600000, 8];
      checkFlat(m, k, n, true, false, uniform(m * k, 25), uniform(k * n, 26));
    });

    it('kept the arena under 5 MiB', () => {
      if (gemmKind === 'wasm') expect(wasmMatMulArenaFloats() * 4).toBeLessThanOrEqual(5 * 2 ** 20);
    });
  });
});
