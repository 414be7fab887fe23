import * as tf from '@tensorflow/tfjs';
import { sizeOf } from './tensor-io';
import { ElementwiseArgs, FastKernel, valuesOf } from './elementwise-types';

/**
 * Float32 Sum and Mean for the cpu backend. Over one block of neighbouring axes x is
 * viewed as [outer, R, inner], out[o, i] = sum over r of x[o, r, i]; over any other set
 * of axes each output adds the elements at a table of offsets (the reduced positions in
 * row-major order) from its own base.
 *
 * Why: a bias's gradient sums [32, 256] over the batch at every LSTM step, and a
 * [B, C, L] activation's over B and L; the strided sum (strided-cpu.ts) walks an odometer
 * and converts through a mapping function, 8-20 ns an element. Here inner == 1 is a
 * running sum per row and inner > 1 adds whole rows into float64 accumulators. Each
 * output is summed in double in the order r = 0, 1, ..., as tfjs's kernel does after
 * moving the reduced axes last, and rounded once: bit for bit the stock Sum. Mean is the
 * same double sum divided by the count before that one rounding, as the strided Mean it
 * replaces computes (tfjs's own divides every element first). Other dtypes and empty
 * tensors go to the kernel registered before.
 */
export function sumBlock(x: Float32Array, outer: number, R: number, inner: number, n = 1): Float32Array {
  const out = new Float32Array(outer * inner);
  if (inner === 1) {
    for (let o = 0, p = 0; o < outer; o++) {
      let s = 0;
      for (let r = 0; r < R; r++) s += x[p++];
      out[o] = s / n;
    }
    return out;
  }
  const acc = new Float64Array(inner);
  for (let o = 0; o < outer; o++) {
    acc.fill(0);
    let p = o * R * inner;
    for (let r = 0; r < R; r++) for (let i = 0; i < inner; i++) acc[i] += x[p++];
    for (let i = 0; i < inner; i++) out[o * inner + i] = acc[i] / n;
  }
  return out;
}

/** Flat offsets of every index over `dims` (row-major order) with the given strides. */
function offsetTable(dims: number[], strides: number[]): Int32Array {
  const table = new Int32Array(sizeOf(dims));
  let n = 1;
  for (let d = dims.length - 1; d >= 0; d--) {
    // table[k * n + j] = k * strides[d] + table[j] for the dims after d already laid out
    for (let k = dims[d] - 1; k >= 0; k--)
      for (let j = 0; j < n; j++) table[k * n + j] = k * strides[d] + table[j];
    n *= dims[d];
  }
  return table;
}

/** Sum of x [shape] over `axes` (sorted, distinct) in tfjs's order, divided by n in double before rounding. */
export function sumAxes(x: Float32Array, shape: number[], axes: number[], n = 1): Float32Array {
  const first = axes[0];
  const last = axes[axes.length - 1] + 1;
  if (axes.every((a, k) => a === first + k)) {
    const [outer, R, inner] = [shape.slice(0, first), shape.slice(first, last), shape.slice(last)].map(
      sizeOf,
    );
    return sumBlock(x, outer, R, inner, n);
  }
  const strides = shape.map((_, d) => sizeOf(shape.slice(d + 1)));
  const keptDims = shape.map((_, d) => d).filter((d) => !axes.includes(d));
  const bases = offsetTable(
    keptDims.map((d) => shape[d]),
    keptDims.map((d) => strides[d]),
  );
  const offsets = offsetTable(
    axes.map((d) => shape[d]),
    axes.map((d) => strides[d]),
  );
  const out = new Float32Array(bases.length);
  for (let o = 0; o < bases.length; o++) {
    const base = bases[o];
    let s = 0;
    for (let r = 0; r < offsets.length; r++) s += x[base + offsets[r]];
    out[o] = s / n;
  }
  return out;
}

function reduceKernel(name: 'Sum' | 'Mean'): FastKernel {
  return (args: ElementwiseArgs) => {
    const x = (args.inputs as { x: tf.TensorInfo }).x;
    if (x.dtype !== 'float32' || !sizeOf(x.shape)) return null;
    const axes = tf.util.parseAxisParam(args.attrs.axis as number | number[], x.shape).sort((a, b) => a - b);
    if (!axes.length || axes.some((a, k) => k > 0 && a === axes[k - 1])) return null;
    const n = name === 'Mean' ? axes.reduce((p, a) => p * x.shape[a], 1) : 1;
    const values = sumAxes(valuesOf(args, x) as Float32Array, x.shape, axes, n);
    const kept = x.shape.filter((_, d) => !axes.includes(d));
    const shape = args.attrs.keepDims ? tf.backend_util.expandShapeToKeepDim(kept, axes) : kept;
    return args.backend.makeTensorInfo(shape, 'float32', values);
  };
}

export const REDUCE_KERNELS: Array<[string, FastKernel]> = [
  ['Sum', reduceKernel('Sum')],
  ['Mean', reduceKernel('Mean')],
];
