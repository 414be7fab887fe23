import * as tf from '@tensorflow/tfjs';
import type { S4DWeights } from './s4d-params';

/**
 * Random S4D weights for the specs, away from the initialisation's special values: random
 * decay rates, frequencies, complex B and C, log-uniform steps in [0.001, 0.1].
 */
export function randomS4DWeights(H: number, M: number, rand: () => number): S4DWeights {
  const n = H * M;
  const normal = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
  const arr = (len: number, f: () => number) => Float32Array.from({ length: len }, f);
  return {
    logAReal: tf.tensor2d(
      arr(n, () => Math.log(0.05 + 1.45 * rand())),
      [H, M],
    ),
    aImag: tf.tensor2d(
      arr(n, () => Math.PI * M * rand()),
      [H, M],
    ),
    bRe: tf.tensor2d(
      arr(n, () => 1 + 0.5 * normal()),
      [H, M],
    ),
    bIm: tf.tensor2d(
      arr(n, () => 0.5 * normal()),
      [H, M],
    ),
    cRe: tf.tensor2d(
      arr(n, () => Math.SQRT1_2 * normal()),
      [H, M],
    ),
    cIm: tf.tensor2d(
      arr(n, () => Math.SQRT1_2 * normal()),
      [H, M],
    ),
    logDt: tf.tensor1d(arr(H, () => Math.log(0.001) + Math.log(100) * rand())),
    d: tf.tensor1d(arr(H, normal)),
  };
}

/** The weights with some replaced (for gradient checks that vary one at a time). */
export function withWeights(w: S4DWeights, replace: Partial<S4DWeights>): S4DWeights {
  return { ...w, ...replace };
}
