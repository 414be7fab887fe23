import * as tf from '@tensorflow/tfjs';
import { sizeOf } from './tensor-io';
import { take } from './elementwise-pool';
import { ElementwiseArgs, FastKernel, valuesOf } from './elementwise-types';

/**
 * Unpack (tf.unstack), Pack (tf.stack), Concat and SplitV for the cpu backend as block
 * copies.
 *
 * Why: a recurrent model unstacks its [B, T, D] inputs into T steps and stacks the T
 * outputs back (rnnScan), splits its gates four ways per step and its gradients
 * concatenate the four slices back.
 * tfjs-backend-cpu unstacks through its generic slice (index arithmetic per element):
 * on the LSTM benchmark that was 40 ms per unstack of [32, 96, 16], a fifth of the step.
 * Here each output is runs of `inner` contiguous elements copied with TypedArray.set;
 * copies, so exact. Complex and string tensors, mixed dtypes and empty tensors go to the
 * kernel registered before (which also raises tfjs's errors for mismatched shapes).
 */
type Values = Float32Array | Int32Array | Uint8Array;
const COPYABLE = new Set<tf.DataType>(['float32', 'int32', 'bool']);

/** Every caller writes all n elements (float32 arrays may be recycled ones: elementwise-pool.ts). */
function allocate(dtype: tf.DataType, n: number): Values {
  return dtype === 'int32' ? new Int32Array(n) : dtype === 'bool' ? new Uint8Array(n) : take(n);
}

/** dst[to + j] = src[from + j] for j < n; runs up to 128 by hand (a subarray and set cost more). */
function copyRun(dst: Values, to: number, src: Values, from: number, n: number): void {
  if (n > 128) dst.set(src.subarray(from, from + n), to);
  else for (let j = 0; j < n; j++) dst[to + j] = src[from + j];
}

function normaliseAxis(axis: number, rank: number): number {
  return axis < 0 ? axis + rank : axis;
}

function unpack(args: ElementwiseArgs): tf.TensorInfo[] | null {
  const x = (args.inputs as { value: tf.TensorInfo }).value;
  if (!COPYABLE.has(x.dtype) || !sizeOf(x.shape)) return null;
  const axis = normaliseAxis(args.attrs.axis as number, x.shape.length);
  const count = x.shape[axis];
  const outer = sizeOf(x.shape.slice(0, axis));
  const inner = sizeOf(x.shape.slice(axis + 1));
  const outShape = x.shape.filter((_, d) => d !== axis);
  const src = valuesOf(args, x) as Values;
  const outs: tf.TensorInfo[] = [];
  for (let k = 0; k < count; k++) {
    const out = allocate(x.dtype, outer * inner);
    for (let o = 0; o < outer; o++) copyRun(out, o * inner, src, (o * count + k) * inner, inner);
    outs.push(args.backend.makeTensorInfo(outShape, x.dtype, out));
  }
  return outs;
}

/**
 * Pieces laid side by side along an axis: piece k contributes runs of widths[k] elements
 * to each of the `outer` rows of the result. Null where the kernel registered before
 * should answer (dtypes, empties, shapes it rejects).
 */
function interleave(
  args: ElementwiseArgs,
  pieces: tf.TensorInfo[],
  outer: number,
  widths: number[],
): Values | null {
  const dtype = pieces[0].dtype;
  if (!COPYABLE.has(dtype) || pieces.some((p) => p.dtype !== dtype)) return null;
  const rowWidth = widths.reduce((s, w) => s + w, 0);
  const out = allocate(dtype, outer * rowWidth);
  let offset = 0;
  pieces.forEach((p, k) => {
    const src = valuesOf(args, p) as Values;
    const w = widths[k];
    for (let o = 0; o < outer; o++) copyRun(out, o * rowWidth + offset, src, o * w, w);
    offset += w;
  });
  return out;
}

function sameShape(a: number[], b: number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

function pack(args: ElementwiseArgs): tf.TensorInfo | null {
  const pieces = args.inputs as tf.TensorInfo[];
  const shape = pieces[0].shape;
  if (pieces.length < 2 || !sizeOf(shape) || pieces.some((p) => !sameShape(p.shape, shape))) return null;
  const axis = normaliseAxis(args.attrs.axis as number, shape.length + 1);
  const inner = sizeOf(shape.slice(axis));
  const values = interleave(
    args,
    pieces,
    sizeOf(shape.slice(0, axis)),
    pieces.map(() => inner),
  );
  if (!values) return null;
  const outShape = [...shape.slice(0, axis), pieces.length, ...shape.slice(axis)];
  return args.backend.makeTensorInfo(outShape, pieces[0].dtype, values);
}

function concat(args: ElementwiseArgs): tf.TensorInfo | null {
  const pieces = args.inputs as tf.TensorInfo[];
  const first = pieces[0].shape;
  if (pieces.length < 2 || pieces.some((p) => !sizeOf(p.shape) || p.shape.length !== first.length))
    return null;
  const axis = tf.util.parseAxisParam(args.attrs.axis as number, first)[0];
  const agrees = (p: tf.TensorInfo) => p.shape.every((d, i) => i === axis || d === first[i]);
  if (!pieces.every(agrees)) return null;
  const values = interleave(
    args,
    pieces,
    sizeOf(first.slice(0, axis)),
    pieces.map((p) => sizeOf(p.shape.slice(axis))),
  );
  if (!values) return null;
  const outShape = first.slice();
  outShape[axis] = pieces.reduce((s, p) => s + p.shape[axis], 0);
  return args.backend.makeTensorInfo(outShape, pieces[0].dtype, values);
}

/** Pieces of x along an axis, each of widths[k] elements out of every one of `outer` rows. */
function deinterleave(x: tf.TensorInfo, src: Values, outer: number, widths: number[]): Values[] {
  const rowWidth = widths.reduce((s, w) => s + w, 0);
  let offset = 0;
  return widths.map((w) => {
    const out = allocate(x.dtype, outer * w);
    for (let o = 0; o < outer; o++) copyRun(out, o * w, src, o * rowWidth + offset, w);
    offset += w;
    return out;
  });
}

function splitV(args: ElementwiseArgs): tf.TensorInfo[] | null {
  const x = (args.inputs as { x: tf.TensorInfo }).x;
  if (!COPYABLE.has(x.dtype) || !sizeOf(x.shape)) return null;
  const axis = tf.util.parseAxisParam(args.attrs.axis as number, x.shape)[0];
  const sizes = tf.backend_util.prepareSplitSize(
    x as unknown as tf.Tensor,
    args.attrs.numOrSizeSplits as number | number[],
    axis,
  );
  const inner = sizeOf(x.shape.slice(axis + 1));
  const pieces = deinterleave(
    x,
    valuesOf(args, x) as Values,
    sizeOf(x.shape.slice(0, axis)),
    sizes.map((s) => s * inner),
  );
  return pieces.map((values, k) => {
    const shape = x.shape.slice();
    shape[axis] = sizes[k];
    return args.backend.makeTensorInfo(shape, x.dtype, values);
  });
}

export const PACK_KERNELS: Array<[string, FastKernel]> = [
  ['Unpack', unpack],
  ['Pack', pack],
  ['Concat', concat],
  ['SplitV', splitV],
];
