import * as tf from '@tensorflow/tfjs';
import { sizeOf } from './tensor-io';
import { ElementwiseArgs, FastKernel, valuesOf } from './elementwise-types';

/**
 * Float32 Sum over one block of neighbouring axes for the cpu backend: x viewed as
 * [outer, R, inner], out[o, i] = sum over r of x[o, r, i].
 *
 * Why: a bias's gradient sums [32, 256] over the batch at every LSTM step, and a
 * [B, C, L] activation's over B and L; the strided sum (strided-cpu.ts) walks an odometer
 * and converts through a mapping function, 8-20 ns an element. Here inner == 1 is a
 * running sum per row and inner > 1 adds whole rows into float64 accumulators. Each
 * output is summed in double in the order r = 0, 1, ..., as tfjs's kernel does after
 * moving the reduced axes last, and rounded once: bit for bit the stock result.
 * Non-neighbouring axes, other dtypes and empty tensors go to the kernel registered before.
 */
export function sumBlock(x: Float32Array, outer: number, R: number, inner: number): Float32Array {
  const out = new Float32Array(outer * inner);
  if (inner === 1) {
    for (let o = 0, p = 0; o < outer; o++) {
      let s = 0;
      for (let r = 0; r < R; r++) s += x[p++];
      out[o] = s;
    }
    return out;
  }
  const acc = new Float64Array(inner);
  for (let o = 0; o < outer; o++) {
    acc.fill(0);
    let p = o * R * inner;
    for (let r = 0; r < R; r++) for (let i = 0; i < inner; i++) acc[i] += x[p++];
    out.set(acc, o * inner);
  }
  return out;
}

function sum(args: ElementwiseArgs): tf.TensorInfo | null {
  const x = (args.inputs as { x: tf.TensorInfo }).x;
  if (x.dtype !== 'float32' || !sizeOf(x.shape)) return null;
  const axes = tf.util.parseAxisParam(args.attrs.axis as number | number[], x.shape).sort((a, b) => a - b);
  if (!axes.length || axes.some((a, k) => a !== axes[0] + k)) return null;
  const first = axes[0];
  const last = axes[axes.length - 1] + 1;
  const values = sumBlock(
    valuesOf(args, x) as Float32Array,
    sizeOf(x.shape.slice(0, first)),
    sizeOf(x.shape.slice(first, last)),
    sizeOf(x.shape.slice(last)),
  );
  const kept = x.shape.filter((_, d) => d < first || d >= last);
  const shape = args.attrs.keepDims ? tf.backend_util.expandShapeToKeepDim(kept, axes) : kept;
  return args.backend.makeTensorInfo(shape, 'float32', values);
}

export const REDUCE_KERNELS: Array<[string, FastKernel]> = [['Sum', sum]];
