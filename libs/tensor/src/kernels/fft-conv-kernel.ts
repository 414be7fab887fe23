import * as tf from '@tensorflow/tfjs';
import { convFftSize } from '../fft/conv-size';
import { realFftPlan } from '../fft/real-fft';
import { RowFft, wasmFftFor } from '../fft/wasm-fft';
import { nativeFft, nativeFftFor } from './native-fft';
import { Backend, readFloats, replaceKernel, sizeOf, writeFloats } from './tensor-io';

/**
 * Fused causal long convolution y[t] = sum_{s <= t} k[s] u[t - s], t < L, computed as
 * irfft(rfft(u, n) * rfft(k, n))[:L]; u is [..., L], k is [rows of u, K] or [C, K]
 * shared across the leading (batch) axes of u, whose second-to-last axis is C.
 *
 * Fused on Float64 spectra so that no complex intermediate is materialised as a tensor:
 * per row, one real FFT in and one out, and each kernel's spectrum is computed once and
 * shared by the whole batch. The backward kernel computes
 *   du = irfft(rfft(dy) * conj(rfft(k)))[:L]          (correlation of dy with k)
 *   dk = irfft(sum over batch of rfft(dy) * conj(rfft(u)))[:K]
 * On the native tier both directions are one call each (native/src/fft-impl.h: float32
 * mixed-radix transforms, VW rows per vector pass) at the cheapest fast length, which is
 * rarely a power of two (L = 720: 1440 rather than 2048); the wasm tier makes the same
 * calls on its WebAssembly SIMD FFT (fft/wasm-fft.ts, four rows per vector), and it and
 * the JS plans take their own cheapest (5-smooth) length.
 */
export const FFT_CONV_KERNEL = 'SeqcastFftConv';
export const FFT_CONV_GRAD_KERNEL = 'SeqcastFftConvGrad';

interface ConvGeometry {
  L: number;
  K: number;
  /** kernel taps that can reach an output (min(K, L)) */
  Ke: number;
  rows: number;
  kRows: number;
  n: number;
}

/**
 * The geometry and the row FFTs to run it on: the native FFT at its cheapest length where
 * that length suits it (native-fft.ts); else, on the wasm tier, the WebAssembly SIMD FFT
 * (fft/wasm-fft.ts) at the JS plans' cheapest (5-smooth) length, which it always takes;
 * else the JS plans at theirs (nk null).
 */
function plan(u: tf.TensorInfo, k: tf.TensorInfo): { g: ConvGeometry; nk: RowFft | null } {
  const native = nativeFft();
  if (native) {
    const g = geometry(u, k, true);
    if (nativeFftFor(g.n)) return { g, nk: native };
  }
  const g = geometry(u, k, false);
  return { g, nk: wasmFftFor(g.n, true) };
}

function geometry(u: tf.TensorInfo, k: tf.TensorInfo, mixedRadix: boolean): ConvGeometry {
  const L = u.shape[u.shape.length - 1];
  const K = k.shape[k.shape.length - 1];
  const rows = L === 0 ? 0 : sizeOf(u.shape) / L;
  const kRows = K === 0 ? 0 : sizeOf(k.shape) / K;
  if (kRows === 0 || rows % kRows !== 0) {
    throw new Error(`fftConv: kernel rows (${k.shape}) must divide signal rows (${u.shape})`);
  }
  return { L, K, Ke: Math.min(K, L), rows, kRows, n: convFftSize(L, K, mixedRadix) };
}

/** Spectra of all kernel rows, [kRows * bins] each for re and im. */
function kernelSpectra(
  kv: Float32Array,
  g: ConvGeometry,
): { re: Float64Array; im: Float64Array; bins: number } {
  const plan = realFftPlan(g.n);
  const bins = plan.bins;
  const re = new Float64Array(g.kRows * bins);
  const im = new Float64Array(g.kRows * bins);
  for (let c = 0; c < g.kRows; c++) {
    plan.forward(
      kv,
      c * g.K,
      g.Ke,
      re.subarray(c * bins, (c + 1) * bins),
      im.subarray(c * bins, (c + 1) * bins),
    );
  }
  return { re, im, bins };
}

function fftConvKernel(args: { inputs: tf.NamedTensorInfoMap; backend: Backend }): tf.TensorInfo {
  const u = args.inputs.u as tf.TensorInfo;
  const k = args.inputs.k as tf.TensorInfo;
  const { g, nk } = plan(u, k);
  const out = new Float32Array(g.rows * g.L);
  if (nk && g.rows > 0 && g.L > 0) {
    nk.fftConvForward(readFloats(args.backend, u), readFloats(args.backend, k), g.rows, g.L, g.kRows, g.K, g.n, out);
  } else if (g.rows > 0 && g.L > 0) {
    const uv = readFloats(args.backend, u);
    const kv = readFloats(args.backend, k);
    const plan = realFftPlan(g.n);
    const K = kernelSpectra(kv, g);
    const bins = K.bins;
    const re = new Float64Array(bins);
    const im = new Float64Array(bins);
    for (let r = 0; r < g.rows; r++) {
      const o = (r % g.kRows) * bins;
      plan.forward(uv, r * g.L, g.L, re, im);
      for (let j = 0; j < bins; j++) {
        const ar = re[j],
          ai = im[j],
          br = K.re[o + j],
          bi = K.im[o + j];
        re[j] = ar * br - ai * bi;
        im[j] = ar * bi + ai * br;
      }
      plan.inverse(re, im, out, r * g.L, g.L);
    }
  }
  return writeFloats(args.backend, u.shape.slice(), out);
}

function fftConvGradKernel(args: { inputs: tf.NamedTensorInfoMap; backend: Backend }): tf.TensorInfo[] {
  const dy = args.inputs.dy as tf.TensorInfo;
  const u = args.inputs.u as tf.TensorInfo;
  const k = args.inputs.k as tf.TensorInfo;
  const { g, nk } = plan(u, k);
  const du = new Float32Array(g.rows * g.L);
  const dk = new Float32Array(g.kRows * g.K);
  if (nk && g.rows > 0 && g.L > 0) {
    const [dyv, uv, kv] = [dy, u, k].map((t) => readFloats(args.backend, t));
    nk.fftConvBackward(dyv, uv, kv, g.rows, g.L, g.kRows, g.K, g.n, du, dk);
  } else if (g.rows > 0 && g.L > 0) {
    const dyv = readFloats(args.backend, dy);
    const uv = readFloats(args.backend, u);
    const kv = readFloats(args.backend, k);
    const plan = realFftPlan(g.n);
    const Ks = kernelSpectra(kv, g);
    const bins = Ks.bins;
    const accRe = new Float64Array(g.kRows * bins);
    const accIm = new Float64Array(g.kRows * bins);
    const dRe = new Float64Array(bins),
      dIm = new Float64Array(bins);
    const uRe = new Float64Array(bins),
      uIm = new Float64Array(bins);
    for (let r = 0; r < g.rows; r++) {
      const o = (r % g.kRows) * bins;
      plan.forward(dyv, r * g.L, g.L, dRe, dIm);
      plan.forward(uv, r * g.L, g.L, uRe, uIm);
      for (let j = 0; j < bins; j++) {
        const ar = dRe[j],
          ai = dIm[j];
        // dk spectrum: D * conj(U), summed over the rows sharing this kernel
        const br = uRe[j],
          bi = uIm[j];
        accRe[o + j] += ar * br + ai * bi;
        accIm[o + j] += ai * br - ar * bi;
        // du spectrum: D * conj(K)
        const cr = Ks.re[o + j],
          ci = Ks.im[o + j];
        dRe[j] = ar * cr + ai * ci;
        dIm[j] = ai * cr - ar * ci;
      }
      plan.inverse(dRe, dIm, du, r * g.L, g.L);
    }
    for (let c = 0; c < g.kRows; c++) {
      // Taps beyond L never touch an output: their gradient stays zero.
      plan.inverse(
        accRe.subarray(c * bins, (c + 1) * bins),
        accIm.subarray(c * bins, (c + 1) * bins),
        dk,
        c * g.K,
        g.Ke,
      );
    }
  }
  return [writeFloats(args.backend, u.shape.slice(), du), writeFloats(args.backend, k.shape.slice(), dk)];
}

export function registerFftConvKernels(backendName: string): void {
  replaceKernel({
    kernelName: FFT_CONV_KERNEL,
    backendName,
    kernelFunc: fftConvKernel as unknown as tf.KernelFunc,
  });
  replaceKernel({
    kernelName: FFT_CONV_GRAD_KERNEL,
    backendName,
    kernelFunc: fftConvGradKernel as unknown as tf.KernelFunc,
  });
}

let gradientRegistered = false;

export function registerFftConvGradient(): void {
  if (gradientRegistered) return;
  gradientRegistered = true;
  tf.registerGradient({
    kernelName: FFT_CONV_KERNEL,
    inputsToSave: ['u', 'k'],
    gradFunc: (dy, saved) => {
      const [u, k] = saved;
      const [du, dk] = tf
        .engine()
        .runKernel(FFT_CONV_GRAD_KERNEL, { dy: dy as tf.Tensor, u, k }) as tf.Tensor[];
      return { u: () => du, k: () => dk };
    },
  });
}
