import * as tf from '@tensorflow/tfjs';
import { complexFftPlan } from '../fft/complex-fft';
import { realFftPlan } from '../fft/real-fft';
import { wasmFftFor } from '../fft/wasm-fft';
import { nativeFftFor } from './native-fft';
import { Backend, readFloats, replaceKernel, sizeOf, writeFloats } from './tensor-io';

/**
 * Spectral kernels on (real, imaginary) pairs of float32 tensors.
 *
 * tfjs's tape rejects any gradient whose dtype is not float32 (tape.js), so no chain
 * through complex64 tensors can ever be differentiated, whatever gradients are
 * registered. These kernels keep spectra as two real tensors instead; their gradients
 * (spectral-gradients.ts) are again spectral kernels, so second derivatives work too.
 */
export const RFFT_KERNEL = 'SeqcastRfft';
export const IRFFT_KERNEL = 'SeqcastIrfft';
export const FFT_KERNEL = 'SeqcastFft';
export const IFFT_KERNEL = 'SeqcastIfft';

export interface RfftAttrs {
  /** Transform length; input rows are zero-padded or cropped to it. */
  n: number;
}

function rfftKernel(args: {
  inputs: tf.NamedTensorInfoMap;
  backend: Backend;
  attrs?: tf.NamedAttrMap;
}): tf.TensorInfo[] {
  const x = args.inputs.x as tf.TensorInfo;
  const n = (args.attrs as unknown as RfftAttrs).n;
  const len = x.shape[x.shape.length - 1];
  const rows = len === 0 ? 0 : sizeOf(x.shape) / len;
  const bins = Math.floor(n / 2) + 1;
  const shape = [...x.shape.slice(0, -1), bins];
  const xv = readFloats(args.backend, x);
  const outRe = new Float32Array(rows * bins);
  const outIm = new Float32Array(rows * bins);
  const nk = nativeFftFor(n) ?? wasmFftFor(n, true);
  if (nk) {
    nk.rfftRows(xv, rows, len, n, outRe, outIm);
    return [writeFloats(args.backend, shape, outRe), writeFloats(args.backend, shape, outIm)];
  }
  const plan = realFftPlan(n);
  const re = new Float64Array(bins);
  const im = new Float64Array(bins);
  for (let r = 0; r < rows; r++) {
    plan.forward(xv, r * len, len, re, im);
    outRe.set(re, r * bins);
    outIm.set(im, r * bins);
  }
  return [writeFloats(args.backend, shape, outRe), writeFloats(args.backend, shape, outIm)];
}

function irfftKernel(args: {
  inputs: tf.NamedTensorInfoMap;
  backend: Backend;
  attrs?: tf.NamedAttrMap;
}): tf.TensorInfo {
  const reInfo = args.inputs.re as tf.TensorInfo;
  const imInfo = args.inputs.im as tf.TensorInfo;
  const n = (args.attrs as unknown as RfftAttrs).n;
  const bins = Math.floor(n / 2) + 1;
  const given = reInfo.shape[reInfo.shape.length - 1];
  if (given !== bins) throw new Error(`irfft of length ${n} needs ${bins} bins, got ${given}`);
  const rows = sizeOf(reInfo.shape) / bins;
  const rv = readFloats(args.backend, reInfo);
  const iv = readFloats(args.backend, imInfo);
  const out = new Float32Array(rows * n);
  const nk = nativeFftFor(n) ?? wasmFftFor(n, true);
  if (nk) {
    nk.irfftRows(rv, iv, rows, n, out);
    return writeFloats(args.backend, [...reInfo.shape.slice(0, -1), n], out);
  }
  const plan = realFftPlan(n);
  const re = new Float64Array(bins);
  const im = new Float64Array(bins);
  for (let r = 0; r < rows; r++) {
    for (let k = 0; k < bins; k++) {
      re[k] = rv[r * bins + k];
      im[k] = iv[r * bins + k];
    }
    plan.inverse(re, im, out, r * n, n);
  }
  return writeFloats(args.backend, [...reInfo.shape.slice(0, -1), n], out);
}

function complexKernel(inverse: boolean) {
  return (args: { inputs: tf.NamedTensorInfoMap; backend: Backend }): tf.TensorInfo[] => {
    const reInfo = args.inputs.re as tf.TensorInfo;
    const imInfo = args.inputs.im as tf.TensorInfo;
    const n = reInfo.shape[reInfo.shape.length - 1];
    const rows = n === 0 ? 0 : sizeOf(reInfo.shape) / n;
    const [outRe, outIm] = complexTransformRows(
      readFloats(args.backend, reInfo),
      readFloats(args.backend, imInfo),
      rows,
      n,
      inverse,
    );
    return [writeFloats(args.backend, reInfo.shape, outRe), writeFloats(args.backend, imInfo.shape, outIm)];
  };
}

/** Row-wise complex FFT of split float32 data; shared with the builtin FFT/IFFT overrides. */
export function complexTransformRows(
  rv: ArrayLike<number>,
  iv: ArrayLike<number>,
  rows: number,
  n: number,
  inverse: boolean,
): [Float32Array, Float32Array] {
  const outRe = new Float32Array(rows * n);
  const outIm = new Float32Array(rows * n);
  if (n === 0) return [outRe, outIm];
  const nk = nativeFftFor(n) ?? wasmFftFor(n, false);
  if (nk) {
    nk.fftRows(asFloat32(rv), asFloat32(iv), rows, n, inverse, outRe, outIm);
    return [outRe, outIm];
  }
  const plan = complexFftPlan(n);
  const re = new Float64Array(n);
  const im = new Float64Array(n);
  for (let r = 0; r < rows; r++) {
    const o = r * n;
    for (let j = 0; j < n; j++) {
      re[j] = rv[o + j];
      im[j] = iv[o + j];
    }
    if (inverse) plan.inverse(re, im);
    else plan.forward(re, im);
    outRe.set(re, o);
    outIm.set(im, o);
  }
  return [outRe, outIm];
}

/** The values as a Float32Array (the native kernels read only those): themselves, or a copy. */
function asFloat32(v: ArrayLike<number>): Float32Array {
  return v instanceof Float32Array ? v : Float32Array.from(v);
}

export function registerSpectralKernels(backendName: string): void {
  replaceKernel({ kernelName: RFFT_KERNEL, backendName, kernelFunc: rfftKernel as unknown as tf.KernelFunc });
  replaceKernel({
    kernelName: IRFFT_KERNEL,
    backendName,
    kernelFunc: irfftKernel as unknown as tf.KernelFunc,
  });
  replaceKernel({
    kernelName: FFT_KERNEL,
    backendName,
    kernelFunc: complexKernel(false) as unknown as tf.KernelFunc,
  });
  replaceKernel({
    kernelName: IFFT_KERNEL,
    backendName,
    kernelFunc: complexKernel(true) as unknown as tf.KernelFunc,
  });
}
