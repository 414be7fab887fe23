import { Rng } from '@seqcast/numeric';
import * as tf from '@tensorflow/tfjs';

/**
 * Independent references for the tests: definitions computed in float64 JavaScript,
 * sharing no code with the kernels they check.
 */
export function seededRandom(seed: number): () => number {
  const rng = new Rng(seed);
  return () => rng.next();
}

export function randomArray(n: number, rand: () => number): Float32Array {
  return Float32Array.from({ length: n }, () => 2 * rand() - 1);
}

/** X_k = sum_t x_t e^{-2 pi i k t / n}, straight from the definition. */
export function naiveDft(
  re: ArrayLike<number>,
  im: ArrayLike<number>,
  inverse = false,
): [number[], number[]] {
  const n = re.length;
  const sign = inverse ? 1 : -1;
  const outRe: number[] = [];
  const outIm: number[] = [];
  for (let k = 0; k < n; k++) {
    let sr = 0;
    let si = 0;
    for (let t = 0; t < n; t++) {
      const a = (sign * 2 * Math.PI * ((k * t) % n)) / n;
      sr += re[t] * Math.cos(a) - im[t] * Math.sin(a);
      si += re[t] * Math.sin(a) + im[t] * Math.cos(a);
    }
    outRe.push(inverse ? sr / n : sr);
    outIm.push(inverse ? si / n : si);
  }
  return [outRe, outIm];
}

/** y[t] = sum_{s <= t} k[s] u[t - s] for one row. */
export function directConvRow(u: ArrayLike<number>, k: ArrayLike<number>): number[] {
  const y: number[] = [];
  for (let t = 0; t < u.length; t++) {
    let s = 0;
    for (let j = 0; j <= t && j < k.length; j++) s += k[j] * u[t - j];
    y.push(s);
  }
  return y;
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

/**
 * Central-difference check of d/dx sum(w * f(x)) along random directions, loss summed in
 * float64. Returns the largest error relative to |grad| |v|, per input.
 */
export function gradientCheck(
  f: (...xs: tf.Tensor[]) => tf.Tensor,
  inputs: tf.Tensor[],
  options: { eps?: number; directions?: number; seed?: number } = {},
): number[] {
  const eps = options.eps ?? 1e-2;
  const rand = seededRandom(options.seed ?? 7);
  const outShape = tf.tidy(() => f(...inputs).shape);
  const w = randomArray(
    outShape.reduce((a, b) => a * b, 1),
    rand,
  );
  const wT = tf.tensor(w, outShape);
  const loss64 = (xs: tf.Tensor[]): number => {
    const y = tf.tidy(() => f(...xs).dataSync());
    let s = 0;
    for (let i = 0; i < y.length; i++) s += w[i] * y[i];
    return s;
  };
  const grads = tf.grads((...xs: tf.Tensor[]) => tf.sum(tf.mul(f(...xs), wT)))(inputs);
  const errors = inputs.map((x, i) => {
    const g = grads[i].dataSync();
    let worst = 0;
    for (let d = 0; d < (options.directions ?? 3); d++) {
      const v = randomArray(x.size, rand);
      const xv = x.dataSync();
      const plus = tf.tensor(
        xv.map((val, j) => val + eps * v[j]),
        x.shape,
      );
      const minus = tf.tensor(
        xv.map((val, j) => val - eps * v[j]),
        x.shape,
      );
      const others = (t: tf.Tensor) => inputs.map((y, j) => (j === i ? t : y));
      const numeric = (loss64(others(plus)) - loss64(others(minus))) / (2 * eps);
      tf.dispose([plus, minus]);
      let analytic = 0;
      let gn = 0;
      let vn = 0;
      for (let j = 0; j < v.length; j++) {
        analytic += g[j] * v[j];
        gn += g[j] * g[j];
        vn += v[j] * v[j];
      }
      worst = Math.max(worst, Math.abs(numeric - analytic) / (Math.sqrt(gn * vn) + 1e-12));
    }
    return worst;
  });
  tf.dispose([wT, ...grads]);
  return errors;
}
