import * as tf from '@tensorflow/tfjs';
import { Backend, readFloats, replaceKernel, sizeOf, writeFloats } from './tensor-io';

/**
 * First-order linear recurrence along the last axis, h_t = a_t * h_{t-1} + b_t (h_{-1} = 0),
 * or right to left (h_t = a_t * h_{t+1} + b_t) with `reverse`. The diagonal state-space
 * layers and the decaying TPP states are this recurrence; as one kernel it is one pass
 * over memory instead of T tiny tensor ops, and its gradient is the same kernel reversed.
 */
export const LINEAR_SCAN_KERNEL = 'SeqcastLinearScan';

export interface LinearScanAttrs {
  reverse: boolean;
}

function linearScanKernel(args: {
  inputs: tf.NamedTensorInfoMap;
  backend: Backend;
  attrs?: tf.NamedAttrMap;
}): tf.TensorInfo {
  const a = args.inputs.a as tf.TensorInfo;
  const b = args.inputs.b as tf.TensorInfo;
  const reverse = !!(args.attrs as unknown as LinearScanAttrs | undefined)?.reverse;
  const T = b.shape[b.shape.length - 1];
  const rows = T === 0 ? 0 : sizeOf(b.shape) / T;
  const av = readFloats(args.backend, a);
  const bv = readFloats(args.backend, b);
  const out = new Float32Array(rows * T);
  for (let r = 0; r < rows; r++) {
    const o = r * T;
    let h = 0;
    if (reverse) {
      for (let t = T - 1; t >= 0; t--) {
        h = av[o + t] * h + bv[o + t];
        out[o + t] = h;
      }
    } else {
      for (let t = 0; t < T; t++) {
        h = av[o + t] * h + bv[o + t];
        out[o + t] = h;
      }
    }
  }
  return writeFloats(args.backend, b.shape.slice(), out);
}

export function registerLinearScanKernel(backendName: string): void {
  replaceKernel({
    kernelName: LINEAR_SCAN_KERNEL,
    backendName,
    kernelFunc: linearScanKernel as unknown as tf.KernelFunc,
  });
}

/** Shifts the last axis by one step, filling with zero: `toLater` gives x_{t-1} at t. */
function shiftLastAxis(x: tf.Tensor, toLater: boolean): tf.Tensor {
  const T = x.shape[x.shape.length - 1];
  const begin = x.shape.map(() => 0);
  const size = [...x.shape.slice(0, -1), T - 1];
  const pad = x.shape.map(() => [0, 0] as [number, number]);
  if (toLater) {
    pad[pad.length - 1] = [1, 0];
    return tf.pad(tf.slice(x, begin, size), pad);
  }
  begin[begin.length - 1] = 1;
  pad[pad.length - 1] = [0, 1];
  return tf.pad(tf.slice(x, begin, size), pad);
}

let gradientRegistered = false;

export function registerLinearScanGradient(): void {
  if (gradientRegistered) return;
  gradientRegistered = true;
  tf.registerGradient({
    kernelName: LINEAR_SCAN_KERNEL,
    inputsToSave: ['a'],
    outputsToSave: [true],
    gradFunc: (dy, saved, attrs) => {
      const [a, h] = saved;
      const reverse = !!(attrs as unknown as LinearScanAttrs | undefined)?.reverse;
      const T = h.shape[h.shape.length - 1];
      if (T === 0) return { a: () => tf.zerosLike(a), b: () => tf.zerosLike(h) };
      // g_t = dy_t + a_{next} g_{next}: the adjoint runs the other way with a shifted.
      const aNext = shiftLastAxis(a, reverse);
      const g = tf
        .engine()
        .runKernel(LINEAR_SCAN_KERNEL, { a: aNext, b: dy as tf.Tensor }, { reverse: !reverse }) as tf.Tensor;
      const hPrev = shiftLastAxis(h, !reverse);
      return { a: () => tf.mul(g, hPrev), b: () => g };
    },
  });
}
