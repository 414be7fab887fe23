import * as tf from '@tensorflow/tfjs';
import { replaceKernel, sizeOf } from './tensor-io';

/**
 * Broadcasting binary ops, Neg, Slice, SplitV, PadV2, Transpose, Sum, Mean and Softmax for the cpu
 * backend as strided loops.
 *
 * Why: tfjs-backend-cpu computes every element of a broadcast binary op, of a
 * non-contiguous slice and of a transpose through index <-> location conversions that
 * allocate arrays per element (~100 ns each). The event models broadcast at every step
 * (masks, per-type weights, [B, P, G, K] grids) and their gradients reduce through
 * transposes; profiles of a training epoch spent most of their time there. These
 * kernels collapse the dims that are contiguous for all operands and walk the rest with
 * an odometer, so the cost is one multiply-add per element. Complex, string and other
 * dtypes they do not cover go to the original kernels, kept from before the override
 * (the spec checks both agree).
 */

interface CpuBackendLike {
  data: { get(dataId: tf.DataId): { values?: tf.backend_util.BackendValues } };
  makeTensorInfo(shape: number[], dtype: tf.DataType, values?: tf.backend_util.BackendValues): tf.TensorInfo;
}
interface KernelArgs {
  inputs: tf.NamedTensorInfoMap;
  backend: CpuBackendLike;
  attrs: Record<string, unknown>;
}
type Values = Float32Array | Int32Array | Uint8Array;
/** (outValues, dims, strides of a, strides of b, a values, b values): fills out. */
type StridedLoop = (out: Values, dims: number[], as: number[], bs: number[], av: Values, bv: Values) => void;

function contiguousStrides(shape: number[]): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    s[i] = acc;
    acc *= shape[i];
  }
  return s;
}

/**
 * Drops size-1 output dims and merges neighbours that every operand walks contiguously:
 * dims d and d+1 merge when each operand's stride[d] == stride[d+1] * dims[d+1].
 */
export function collapseDims(dims: number[], strides: number[][]): { dims: number[]; strides: number[][] } {
  const outDims: number[] = [];
  const outStr: number[][] = strides.map(() => []);
  for (let d = 0; d < dims.length; d++) {
    if (dims[d] === 1) continue;
    const last = outDims.length - 1;
    if (last >= 0 && strides.every((s, k) => outStr[k][last] === s[d] * dims[d])) {
      outDims[last] *= dims[d];
      strides.forEach((s, k) => (outStr[k][last] = s[d]));
    } else {
      outDims.push(dims[d]);
      strides.forEach((s, k) => outStr[k].push(s[d]));
    }
  }
  if (!outDims.length) {
    outDims.push(1);
    outStr.forEach((s) => s.push(0));
  }
  return { dims: outDims, strides: outStr };
}

/** A strided loop with `expr` (in a and b) inlined: one compiled function per op. */
function compileLoop(expr: string): StridedLoop {
  return new Function(
    'out',
    'dims',
    'as',
    'bs',
    'av',
    'bv',
    `
    const R = dims.length, n = dims[R - 1], sa = as[R - 1], sb = bs[R - 1], total = out.length;
    const idx = new Int32Array(R);
    let o = 0, ao = 0, bo = 0;
    while (o < total) {
      let ai = ao, bi = bo;
      for (let j = 0; j < n; j++) { const a = av[ai], b = bv[bi]; out[o++] = ${expr}; ai += sa; bi += sb; }
      let d = R - 2;
      while (d >= 0) {
        idx[d]++; ao += as[d]; bo += bs[d];
        if (idx[d] < dims[d]) break;
        ao -= as[d] * dims[d]; bo -= bs[d] * dims[d]; idx[d] = 0; d--;
      }
    }`,
  ) as StridedLoop;
}

/** Kernel name -> element expression and output dtype ('same' = the inputs' dtype). */
const BINARY: Record<string, { expr: string; out: 'same' | 'bool' | 'float32' }> = {
  Add: { expr: 'a + b', out: 'same' },
  Sub: { expr: 'a - b', out: 'same' },
  Multiply: { expr: 'a * b', out: 'same' },
  RealDiv: { expr: 'a / b', out: 'float32' },
  Maximum: { expr: 'Math.max(a, b)', out: 'same' },
  Minimum: { expr: 'Math.min(a, b)', out: 'same' },
  SquaredDifference: { expr: '(a - b) * (a - b)', out: 'same' },
  Pow: { expr: 'Math.pow(a, b)', out: 'same' },
  Less: { expr: 'a < b ? 1 : 0', out: 'bool' },
  LessEqual: { expr: 'a <= b ? 1 : 0', out: 'bool' },
  Greater: { expr: 'a > b ? 1 : 0', out: 'bool' },
  GreaterEqual: { expr: 'a >= b ? 1 : 0', out: 'bool' },
  Equal: { expr: 'a === b ? 1 : 0', out: 'bool' },
  NotEqual: { expr: 'a !== b ? 1 : 0', out: 'bool' },
};

function typedArray(dtype: tf.DataType, n: number): Values {
  return dtype === 'int32' ? new Int32Array(n) : dtype === 'bool' ? new Uint8Array(n) : new Float32Array(n);
}

/** Operand strides in the output's rank: 0 along broadcast (size-1 or missing) dims. */
function broadcastStrides(shape: number[], outShape: number[]): number[] {
  const pad = outShape.length - shape.length;
  const own = contiguousStrides(shape);
  return outShape.map((n, d) => (d < pad || shape[d - pad] === 1 ? 0 : own[d - pad]));
}

/** out = op(a, b) with numpy broadcasting; null when the dtypes are not ours to handle. */
export function stridedBinary(
  name: string,
  aShape: number[],
  bShape: number[],
  av: Values,
  bv: Values,
  dtype: tf.DataType,
): { values: Values; shape: number[]; dtype: tf.DataType } | null {
  const spec = BINARY[name];
  if (!spec || (dtype !== 'float32' && dtype !== 'int32')) return null;
  const outShape = tf.backend_util.assertAndGetBroadcastShape(aShape, bShape);
  const outDtype: tf.DataType = spec.out === 'same' ? dtype : spec.out;
  const values = typedArray(outDtype, sizeOf(outShape));
  if (values.length) {
    const c = collapseDims(outShape, [
      broadcastStrides(aShape, outShape),
      broadcastStrides(bShape, outShape),
    ]);
    loopFor(name)(values, c.dims, c.strides[0], c.strides[1], av, bv);
  }
  return { values, shape: outShape, dtype: outDtype };
}

const loops = new Map<string, StridedLoop>();
function loopFor(name: string): StridedLoop {
  let f = loops.get(name);
  if (!f) loops.set(name, (f = compileLoop(BINARY[name].expr)));
  return f;
}

/** Copies the view (dims, strides, offset) of src into a new contiguous array. */
function gatherStrided(
  src: Values,
  offset: number,
  dims: number[],
  strides: number[],
  dtype: tf.DataType,
): Values {
  const out = typedArray(dtype, sizeOf(dims));
  copyStrided(src, offset, strides, out, 0, contiguousStrides(dims), dims);
  return out;
}

/** dst[view] = src[view] for two strided views of the same dims. */
function copyStrided(
  src: Values,
  srcOffset: number,
  srcStrides: number[],
  dst: Values,
  dstOffset: number,
  dstStrides: number[],
  dims: number[],
): void {
  const total = sizeOf(dims);
  if (!total) return;
  const c = collapseDims(dims, [srcStrides, dstStrides]);
  const R = c.dims.length;
  const n = c.dims[R - 1];
  const [ss, ds] = c.strides;
  const si = ss[R - 1];
  const di = ds[R - 1];
  const idx = new Int32Array(R);
  let sBase = srcOffset;
  let dBase = dstOffset;
  for (let done = 0; done < total; done += n) {
    if (si === 1 && di === 1) dst.set(src.subarray(sBase, sBase + n), dBase);
    else for (let j = 0, a = sBase, b = dBase; j < n; j++, a += si, b += di) dst[b] = src[a];
    let d = R - 2;
    while (d >= 0) {
      idx[d]++;
      sBase += ss[d];
      dBase += ds[d];
      if (idx[d] < c.dims[d]) break;
      sBase -= ss[d] * c.dims[d];
      dBase -= ds[d] * c.dims[d];
      idx[d] = 0;
      d--;
    }
  }
}

/** x placed at offset `before` in a tensor of outShape filled with `fill` (Pad, and slice's gradient). */
export function stridedPad(
  values: Values,
  shape: number[],
  before: number[],
  outShape: number[],
  fill: number,
  dtype: tf.DataType,
): Values {
  const out = typedArray(dtype, sizeOf(outShape));
  if (fill !== 0) out.fill(fill);
  const os = contiguousStrides(outShape);
  const offset = before.reduce((acc, b, d) => acc + b * os[d], 0);
  copyStrided(values, 0, contiguousStrides(shape), out, offset, os, shape);
  return out;
}

/** Transposed copy: output dim d walks input dim perm[d]. */
export function stridedTranspose(
  values: Values,
  shape: number[],
  perm: number[],
  dtype: tf.DataType,
): Values {
  const own = contiguousStrides(shape);
  return gatherStrided(
    values,
    0,
    perm.map((p) => shape[p]),
    perm.map((p) => own[p]),
    dtype,
  );
}

/** The [begin, begin + size) block of a tensor, contiguous. */
export function stridedSlice(
  values: Values,
  shape: number[],
  begin: number[],
  size: number[],
  dtype: tf.DataType,
): Values {
  const own = contiguousStrides(shape);
  const offset = begin.reduce((acc, b, d) => acc + b * own[d], 0);
  return gatherStrided(values, offset, size, own, dtype);
}

/**
 * Sum over `axes` without transposing: walks x in storage order and adds each element
 * into its output cell (stride 0 along reduced dims). Float64 accumulators, added in the
 * same order as tfjs's transpose-then-sum, so results are identical.
 */
export function stridedSum(
  values: Values,
  shape: number[],
  axes: number[],
): { values: Float64Array; shape: number[] } {
  const outShape = shape.filter((_, d) => !axes.includes(d));
  const acc = new Float64Array(sizeOf(outShape));
  if (!values.length) return { values: acc, shape: outShape };
  const own = contiguousStrides(outShape);
  let k = 0;
  const outStrides = shape.map((_, d) => (axes.includes(d) ? 0 : own[k++]));
  // the loop walks dims in x's order with x contiguous: strides [x, out]
  const c = collapseDims(shape, [contiguousStrides(shape), outStrides]);
  const R = c.dims.length;
  const n = c.dims[R - 1];
  const so = c.strides[1];
  const inner = so[R - 1];
  const idx = new Int32Array(R);
  let i = 0;
  let base = 0;
  while (i < values.length) {
    for (let j = 0, o = base; j < n; j++, o += inner) acc[o] += values[i++];
    let d = R - 2;
    while (d >= 0) {
      idx[d]++;
      base += so[d];
      if (idx[d] < c.dims[d]) break;
      base -= so[d] * c.dims[d];
      idx[d] = 0;
      d--;
    }
  }
  return { values: acc, shape: outShape };
}

/** The original tfjs kernel for what these loops do not cover. */
function fallback(name: string, args: KernelArgs): tf.TensorInfo | tf.TensorInfo[] {
  return originals.get(name)!(args as unknown as Parameters<tf.KernelFunc>[0]) as
    tf.TensorInfo | tf.TensorInfo[];
}

const HANDLED_DTYPES = new Set<tf.DataType>(['float32', 'int32', 'bool']);
const originals = new Map<string, tf.KernelFunc>();

function binaryKernel(name: string): tf.KernelFunc {
  return ((args: KernelArgs) => {
    const { a, b } = args.inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
    if (a.dtype === b.dtype) {
      const r = stridedBinary(
        name,
        a.shape,
        b.shape,
        args.backend.data.get(a.dataId).values as Values,
        args.backend.data.get(b.dataId).values as Values,
        a.dtype,
      );
      if (r) return args.backend.makeTensorInfo(r.shape, r.dtype, r.values);
    }
    return fallback(name, args);
  }) as unknown as tf.KernelFunc;
}

function transposeKernel(args: KernelArgs): tf.TensorInfo {
  const x = args.inputs.x as tf.TensorInfo;
  if (!HANDLED_DTYPES.has(x.dtype)) return fallback('Transpose', args) as tf.TensorInfo;
  const perm = args.attrs.perm as number[];
  const values = stridedTranspose(args.backend.data.get(x.dataId).values as Values, x.shape, perm, x.dtype);
  return args.backend.makeTensorInfo(
    perm.map((p) => x.shape[p]),
    x.dtype,
    values,
  );
}

/**
 * Rows of x along `axis` picked by `indices` (batchDims 0): each index copies one run of the
 * inner dimensions, where tfjs-cpu works out every element's multi-index through a
 * TensorBuffer (the event models' samplers gather their contexts at each evaluation: half
 * of prediction's time went there). Out-of-range indices fail with tfjs's message.
 */
export function stridedGather(values: Values, shape: number[], axis: number, idx: ArrayLike<number>, dtype: tf.DataType): Values {
  const dim = shape[axis];
  const outer = sizeOf(shape.slice(0, axis));
  const inner = sizeOf(shape.slice(axis + 1));
  const n = idx.length;
  for (let j = 0; j < n; j++)
    if (!(idx[j] >= 0 && idx[j] <= dim - 1)) throw new Error(`GatherV2: the index value ${idx[j]} is not in [0, ${dim - 1}]`);
  const out = typedArray(dtype, outer * n * inner);
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < n; j++) {
      const from = (o * dim + idx[j]) * inner;
      const to = (o * n + j) * inner;
      if (inner >= 16) out.set(values.subarray(from, from + inner), to);
      else for (let e = 0; e < inner; e++) out[to + e] = values[from + e];
    }
  }
  return out;
}

function gatherKernel(args: KernelArgs): tf.TensorInfo {
  const { x, indices } = args.inputs as { x: tf.TensorInfo; indices: tf.TensorInfo };
  if (!HANDLED_DTYPES.has(x.dtype) || ((args.attrs.batchDims as number) ?? 0) !== 0) return fallback('GatherV2', args) as tf.TensorInfo;
  const rank = x.shape.length;
  const axis = (((args.attrs.axis as number) ?? 0) + rank) % Math.max(rank, 1);
  const idx = args.backend.data.get(indices.dataId).values as Values;
  const values = stridedGather(args.backend.data.get(x.dataId).values as Values, x.shape, axis, idx, x.dtype);
  return args.backend.makeTensorInfo([...x.shape.slice(0, axis), ...indices.shape, ...x.shape.slice(axis + 1)], x.dtype, values);
}

function sliceKernel(args: KernelArgs): tf.TensorInfo {
  const x = args.inputs.x as tf.TensorInfo;
  if (!HANDLED_DTYPES.has(x.dtype)) return fallback('Slice', args) as tf.TensorInfo;
  const [begin, size] = tf.slice_util.parseSliceParams(
    x as unknown as tf.Tensor,
    args.attrs.begin as number[],
    args.attrs.size as number[],
  );
  tf.slice_util.assertParamsValid(x as unknown as tf.Tensor, begin, size);
  const values = stridedSlice(
    args.backend.data.get(x.dataId).values as Values,
    x.shape,
    begin,
    size,
    x.dtype,
  );
  return args.backend.makeTensorInfo(size, x.dtype, values);
}

/**
 * Sum, or Mean as one strided sum and a division (tfjs's mean divides through the slow
 * broadcast path). Sum keeps int32 for int32/bool inputs as tfjs does.
 */
function reduceKernel(name: 'Sum' | 'Mean'): tf.KernelFunc {
  return ((args: KernelArgs) => {
    const x = args.inputs.x as tf.TensorInfo;
    if (!HANDLED_DTYPES.has(x.dtype)) return fallback(name, args) as tf.TensorInfo;
    const axes = tf.util.parseAxisParam(args.attrs.axis as number | number[], x.shape);
    const r = stridedSum(args.backend.data.get(x.dataId).values as Values, x.shape, axes);
    const shape = args.attrs.keepDims ? tf.backend_util.expandShapeToKeepDim(r.shape, axes) : r.shape;
    if (name === 'Sum' && x.dtype !== 'float32')
      return args.backend.makeTensorInfo(shape, 'int32', Int32Array.from(r.values));
    const n = name === 'Mean' ? sizeOf(x.shape) / Math.max(1, sizeOf(r.shape)) : 1;
    return args.backend.makeTensorInfo(
      shape,
      'float32',
      Float32Array.from(r.values, (v) => v / n),
    );
  }) as unknown as tf.KernelFunc;
}

/** Softmax over the last axis, row by row (tfjs's goes through broadcast sub and div). */
export function softmaxRows(x: Float32Array, n: number): Float32Array {
  const out = new Float32Array(x.length);
  for (let o = 0; o < x.length; o += n) {
    let m = -Infinity;
    for (let j = 0; j < n; j++) if (x[o + j] > m) m = x[o + j];
    let z = 0;
    for (let j = 0; j < n; j++) z += out[o + j] = Math.exp(x[o + j] - m);
    for (let j = 0; j < n; j++) out[o + j] /= z;
  }
  return out;
}

function softmaxKernel(args: KernelArgs): tf.TensorInfo {
  const x = args.inputs.logits as tf.TensorInfo;
  const dim = args.attrs.dim as number;
  if (x.dtype !== 'float32' || (dim !== -1 && dim !== x.shape.length - 1))
    return fallback('Softmax', args) as tf.TensorInfo;
  return args.backend.makeTensorInfo(
    x.shape,
    'float32',
    softmaxRows(args.backend.data.get(x.dataId).values as Float32Array, x.shape[x.shape.length - 1]),
  );
}

function padKernel(args: KernelArgs): tf.TensorInfo {
  const x = args.inputs.x as tf.TensorInfo;
  if (!HANDLED_DTYPES.has(x.dtype)) return fallback('PadV2', args) as tf.TensorInfo;
  const paddings = args.attrs.paddings as Array<[number, number]>;
  const outShape = paddings.map((p, d) => p[0] + x.shape[d] + p[1]);
  const values = stridedPad(
    args.backend.data.get(x.dataId).values as Values,
    x.shape,
    paddings.map((p) => p[0]),
    outShape,
    args.attrs.constantValue as number,
    x.dtype,
  );
  return args.backend.makeTensorInfo(outShape, x.dtype, values);
}

/** Neg as a loop (tfjs's multiplies by a broadcast -1 through the slow path). */
function negKernel(args: KernelArgs): tf.TensorInfo {
  const x = args.inputs.x as tf.TensorInfo;
  if (x.dtype !== 'float32' && x.dtype !== 'int32') return fallback('Neg', args) as tf.TensorInfo;
  const v = args.backend.data.get(x.dataId).values as Values;
  const out = typedArray(x.dtype, v.length);
  for (let i = 0; i < v.length; i++) out[i] = -v[i];
  return args.backend.makeTensorInfo(x.shape, x.dtype, out);
}

/** SplitV as strided slices (tfjs's calls its slow internal slice directly). */
function splitVKernel(args: KernelArgs): tf.TensorInfo[] {
  const x = args.inputs.x as tf.TensorInfo;
  if (!HANDLED_DTYPES.has(x.dtype)) return fallback('SplitV', args) as tf.TensorInfo[];
  const axis = tf.util.parseAxisParam(args.attrs.axis as number, x.shape)[0];
  const sizes = tf.backend_util.prepareSplitSize(
    x as unknown as tf.Tensor,
    args.attrs.numOrSizeSplits as number | number[],
    axis,
  );
  const values = args.backend.data.get(x.dataId).values as Values;
  const begin = x.shape.map(() => 0);
  return sizes.map((s) => {
    const size = x.shape.slice();
    size[axis] = s;
    const out = args.backend.makeTensorInfo(
      size,
      x.dtype,
      stridedSlice(values, x.shape, begin, size, x.dtype),
    );
    begin[axis] += s;
    return out;
  });
}

const OVERRIDES: Array<[string, tf.KernelFunc]> = [
  ...Object.keys(BINARY).map((n) => [n, binaryKernel(n)] as [string, tf.KernelFunc]),
  ['Transpose', transposeKernel as unknown as tf.KernelFunc],
  ['Slice', sliceKernel as unknown as tf.KernelFunc],
  ['SplitV', splitVKernel as unknown as tf.KernelFunc],
  ['PadV2', padKernel as unknown as tf.KernelFunc],
  ['Neg', negKernel as unknown as tf.KernelFunc],
  ['Sum', reduceKernel('Sum')],
  ['Mean', reduceKernel('Mean')],
  ['Softmax', softmaxKernel as unknown as tf.KernelFunc],
  ['GatherV2', gatherKernel as unknown as tf.KernelFunc],
];

export function registerCpuStridedKernels(): void {
  for (const [name, fn] of OVERRIDES) {
    if (!originals.has(name)) originals.set(name, tf.getKernel(name, 'cpu').kernelFunc);
    replaceKernel({ kernelName: name, backendName: 'cpu', kernelFunc: fn });
  }
}

/** Puts tfjs's own kernels back (the spec compares the two). */
export function restoreCpuStridedKernels(): void {
  for (const [name, fn] of originals) replaceKernel({ kernelName: name, backendName: 'cpu', kernelFunc: fn });
}
