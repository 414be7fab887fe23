import { ValidationFailed } from '@seqcast/core';
import { Rng } from '@seqcast/numeric';
import * as tf from '@tensorflow/tfjs';

/**
 * S4D's parameters (Gu et al., "On the Parameterization and Initialization of Diagonal
 * State Space Models", 2022) for H independent channels of N/2 complex modes each (the
 * other N/2 are their conjugates, hence the factor 2 in the kernel). tfjs has little
 * complex support, so every complex quantity is a pair of real tensors.
 *
 *   A[h, n] = -exp(logAReal[h, n]) + i aImag[h, n]   (real part kept negative: a stable SSM)
 *   B[h, n] = bRe + i bIm                             (ones, as S4D: C absorbs any scale)
 *   C[h, n] = cRe + i cIm
 *   dt[h]   = exp(logDt[h]),  D[h] the skip
 */
export interface S4DWeights {
  logAReal: tf.Tensor2D;
  aImag: tf.Tensor2D;
  bRe: tf.Tensor2D;
  bIm: tf.Tensor2D;
  cRe: tf.Tensor2D;
  cIm: tf.Tensor2D;
  logDt: tf.Tensor1D;
  d: tf.Tensor1D;
}

export type S4DWeightName = keyof S4DWeights;

/** The names in the order initS4DValues draws them. */
export const S4D_WEIGHT_NAMES: readonly S4DWeightName[] = [
  'logAReal',
  'aImag',
  'bRe',
  'bIm',
  'cRe',
  'cIm',
  'logDt',
  'd',
];

export type S4DInit = 'lin' | 'inv';

export interface S4DOptions {
  /** Channels (the model width). */
  channels: number;
  /** State size N: N/2 complex modes per channel (even). S4D's default 64. */
  stateSize?: number;
  /** 'lin' (S4D-Lin, A_n = -1/2 + i pi n, the default) or 'inv' (S4D-Inv). */
  init?: S4DInit;
  /** log dt is drawn uniformly in [log dtMin, log dtMax]: [0.001, 0.1] by default. */
  dtMin?: number;
  dtMax?: number;
  seed?: number;
}

export interface ResolvedS4DOptions {
  channels: number;
  stateSize: number;
  modes: number;
  init: S4DInit;
  dtMin: number;
  dtMax: number;
  seed: number;
}

export function resolveS4DOptions(o: S4DOptions): ResolvedS4DOptions {
  const stateSize = o.stateSize ?? 64;
  const dtMin = o.dtMin ?? 0.001;
  const dtMax = o.dtMax ?? 0.1;
  const init = o.init ?? 'lin';
  const bad: { field: string; reason: string }[] = [];
  if (!Number.isInteger(o.channels) || o.channels < 1)
    bad.push({ field: 'channels', reason: 'must be a positive integer' });
  if (!Number.isInteger(stateSize) || stateSize < 2 || stateSize % 2 !== 0)
    bad.push({ field: 'stateSize', reason: 'must be an even integer >= 2 (modes come in conjugate pairs)' });
  if (!(dtMin > 0) || !(dtMax >= dtMin)) bad.push({ field: 'dtMin', reason: 'need 0 < dtMin <= dtMax' });
  if (init !== 'lin' && init !== 'inv') bad.push({ field: 'init', reason: "must be 'lin' or 'inv'" });
  if (bad.length) throw new ValidationFailed('Invalid S4D options', bad);
  return { channels: o.channels, stateSize, modes: stateSize / 2, init, dtMin, dtMax, seed: o.seed ?? 0 };
}

export interface S4DInitValue {
  values: Float32Array;
  shape: number[];
}

/**
 * Initial values, drawn in S4D_WEIGHT_NAMES order from one seeded Rng (so a seed gives the
 * same weights), as plain arrays: a caller that declares its own parameters (a model's
 * DeclaredParams) can take them as they are.
 *
 * S4D-Lin: A_n = -1/2 + i pi n. S4D-Inv: A_n = -1/2 + i (N/pi) (N/(2n+1) - 1), the
 * asymptotics of HiPPO-LegS's eigenvalues; N is the full state size. C ~ complex normal with
 * E|C|^2 = 1 (each part N(0, 1/2), as torch.randn(cfloat)), D ~ N(0, 1), B = 1.
 */
export function initS4DValues(options: S4DOptions): Record<S4DWeightName, S4DInitValue> {
  const o = resolveS4DOptions(options);
  const H = o.channels;
  const M = o.modes;
  const N = o.stateSize;
  const rng = new Rng(o.seed);
  const logAReal = new Float32Array(H * M).fill(Math.log(0.5));
  const aImag = new Float32Array(H * M);
  for (let h = 0; h < H; h++)
    for (let n = 0; n < M; n++)
      aImag[h * M + n] = o.init === 'lin' ? Math.PI * n : (N / Math.PI) * (N / (2 * n + 1) - 1);
  const bRe = new Float32Array(H * M).fill(1);
  const bIm = new Float32Array(H * M);
  const cRe = new Float32Array(H * M);
  const cIm = new Float32Array(H * M);
  for (let i = 0; i < H * M; i++) {
    cRe[i] = Math.SQRT1_2 * rng.normal();
    cIm[i] = Math.SQRT1_2 * rng.normal();
  }
  const logDt = new Float32Array(H);
  const lo = Math.log(o.dtMin);
  const hi = Math.log(o.dtMax);
  for (let h = 0; h < H; h++) logDt[h] = lo + (hi - lo) * rng.next();
  const d = new Float32Array(H);
  for (let h = 0; h < H; h++) d[h] = rng.normal();
  const m = (values: Float32Array) => ({ values, shape: [H, M] });
  return {
    logAReal: m(logAReal),
    aImag: m(aImag),
    bRe: m(bRe),
    bIm: m(bIm),
    cRe: m(cRe),
    cIm: m(cIm),
    logDt: { values: logDt, shape: [H] },
    d: { values: d, shape: [H] },
  };
}

/** The initial values as tensors (the caller owns and disposes them). */
export function initS4DWeights(options: S4DOptions): S4DWeights {
  const v = initS4DValues(options);
  const t = (name: S4DWeightName) => tf.tensor(v[name].values, v[name].shape);
  return {
    logAReal: t('logAReal') as tf.Tensor2D,
    aImag: t('aImag') as tf.Tensor2D,
    bRe: t('bRe') as tf.Tensor2D,
    bIm: t('bIm') as tf.Tensor2D,
    cRe: t('cRe') as tf.Tensor2D,
    cIm: t('cIm') as tf.Tensor2D,
    logDt: t('logDt') as tf.Tensor1D,
    d: t('d') as tf.Tensor1D,
  };
}
