import * as tf from '@tensorflow/tfjs';
import { collapseDims } from './strided-cpu';
import { sizeOf } from './tensor-io';
import { take } from './elementwise-pool';
import { ElementwiseArgs, FastKernel, valuesOf } from './elementwise-types';

/**
 * Float32 binary arithmetic for the cpu backend, one tight loop per row.
 *
 * Why: the strided kernels (strided-cpu.ts) serve every dtype from one compiled loop, so
 * their element reads and writes see Float32Array, Int32Array and Uint8Array alike and
 * V8 cannot specialise them (about 7 ns an element). The training steps are float32 and
 * broadcast in few ways: same shapes, a scalar, a row vector ([N, C] + [C]), a column
 * ([C, 1] x [B, C, L]). After collapsing dims (collapseDims), every such call is rows of
 * one of three kinds: both operands walk (vv), a walks and b stays (vs), or the reverse
 * (sv); each kind has its own loop per op, reading and writing Float32Arrays only. The
 * arithmetic is the stock kernels' expression in double, rounded once on the store, so
 * results are bit for bit tfjs's. Other dtypes, and rows shorter than MIN_ROW (where a
 * call per row costs more than the strided odometer), go to the kernel registered before.
 */
type RowLoop = (
  out: Float32Array,
  o: number,
  av: Float32Array,
  ai: number,
  bv: Float32Array,
  bi: number,
  n: number,
) => void;
interface Loops {
  vv: RowLoop;
  vs: RowLoop;
  sv: RowLoop;
}

const MIN_ROW = 8;

/** Element expressions in a and b: tfjs-backend-cpu's own for these kernels. */
export const BINARY_EXPRESSIONS: Record<string, string> = {
  Add: 'a + b',
  Sub: 'a - b',
  Multiply: 'a * b',
  RealDiv: 'a / b',
  SquaredDifference: '(a - b) * (a - b)',
  Maximum: 'Math.max(a, b)',
  Minimum: 'Math.min(a, b)',
  Pow: 'Math.pow(a, b)',
};

/**
 * x^2 and x^3 as products (GELU's tanh form cubes, and its gradient squares, 700k
 * elements a step): for a float32 x, x * x is exact in double and x * x * x is the cube
 * rounded once, where Math.pow is within an ulp of it in double; both then round to the
 * same float32 (the spec checks this against Math.pow on millions of values).
 */
const POWER_EXPRESSIONS: Record<number, string> = { 2: 'a * a', 3: 'a * a * a' };

function compileRows(expr: string): Loops {
  const body = (a: string, b: string, hoist: string) =>
    new Function(
      'out',
      'o',
      'av',
      'ai',
      'bv',
      'bi',
      'n',
      `${hoist}\nfor (let j = 0; j < n; j++) { const a = ${a}, b = ${b}; out[o + j] = ${expr}; }`,
    ) as RowLoop;
  return {
    vv: body('av[ai + j]', 'bv[bi + j]', ''),
    vs: body('av[ai + j]', 'bs', 'const bs = bv[bi];'),
    sv: body('as', 'bv[bi + j]', 'const as = av[ai];'),
  };
}

const compiled = new Map<string, Loops>();
function loopsFor(expr: string): Loops {
  let l = compiled.get(expr);
  if (!l) compiled.set(expr, (l = compileRows(expr)));
  return l;
}

function sameShape(a: number[], b: number[]): boolean {
  if (a.length !== b.length) return false;
  for (let d = 0; d < a.length; d++) if (a[d] !== b[d]) return false;
  return true;
}

/** Whether short is long's trailing dims (no broadcasting within them). */
function isSuffix(short: number[], long: number[]): boolean {
  if (short.length > long.length) return false;
  const pad = long.length - short.length;
  for (let d = 0; d < short.length; d++) if (short[d] !== long[d + pad]) return false;
  return true;
}

/** One row over all of out. */
function row(loop: RowLoop, av: Float32Array, bv: Float32Array, out: Float32Array): Float32Array {
  loop(out, 0, av, 0, bv, 0, out.length);
  return out;
}

/** Strides of an operand in the output's rank: 0 along the dims it is broadcast over. */
function stridesIn(shape: number[], outShape: number[]): number[] {
  const pad = outShape.length - shape.length;
  const strides = new Array<number>(outShape.length).fill(0);
  let acc = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    if (shape[d] !== 1) strides[d + pad] = acc;
    acc *= shape[d];
  }
  return strides;
}

/**
 * out = a op b with numpy broadcasting over float32 arrays, or null where the rows would
 * be too short for the row loops to pay. Written into the leading elements of `into`
 * when given (a fused kernel's scratch), else into a new array.
 */
export function binaryRows(
  expr: string,
  aShape: number[],
  bShape: number[],
  av: Float32Array,
  bv: Float32Array,
  into?: Float32Array,
): { values: Float32Array; shape: number[] } | null {
  const loops = loopsFor(expr);
  const target = (n: number) => (into ? into.subarray(0, n) : take(n));
  // the common cases first, without working out strides (LSTM steps make thousands of small calls)
  if (sameShape(aShape, bShape)) return { values: row(loops.vv, av, bv, target(av.length)), shape: aShape };
  if (bv.length === 1 && aShape.length >= bShape.length)
    return { values: row(loops.vs, av, bv, target(av.length)), shape: aShape };
  if (av.length === 1 && bShape.length >= aShape.length)
    return { values: row(loops.sv, av, bv, target(bv.length)), shape: bShape };
  // a bias row: b is a's trailing dims ([N, C] + [C])
  if (bv.length >= MIN_ROW && isSuffix(bShape, aShape)) {
    const out = target(av.length);
    for (let o = 0; o < out.length; o += bv.length) loops.vv(out, o, av, o, bv, 0, bv.length);
    return { values: out, shape: aShape };
  }
  const shape = tf.backend_util.assertAndGetBroadcastShape(aShape, bShape);
  const out = target(sizeOf(shape));
  if (out.length <= 1) {
    if (out.length) loops.vv(out, 0, av, 0, bv, 0, 1);
    return { values: out, shape };
  }
  const c = collapseDims(shape, [stridesIn(aShape, shape), stridesIn(bShape, shape)]);
  const R = c.dims.length;
  const n = c.dims[R - 1];
  const [as, bs] = c.strides;
  if (n < MIN_ROW && out.length > n) return null;
  // the innermost dim is walked by at least one operand, with stride 1 (contiguous inputs)
  const loop = as[R - 1] && bs[R - 1] ? loops.vv : as[R - 1] ? loops.vs : loops.sv;
  const idx = new Int32Array(R);
  let ai = 0;
  let bi = 0;
  for (let o = 0; o < out.length; o += n) {
    loop(out, o, av, ai, bv, bi, n);
    for (let d = R - 2; d >= 0; d--) {
      ai += as[d];
      bi += bs[d];
      if (++idx[d] < c.dims[d]) break;
      ai -= as[d] * c.dims[d];
      bi -= bs[d] * c.dims[d];
      idx[d] = 0;
    }
  }
  return { values: out, shape };
}

/** The expression for a call, or null: Pow by a scalar 2 or 3 is a product. */
function expressionFor(name: string, b: tf.TensorInfo, bv: Float32Array): string {
  if (name === 'Pow' && bv.length === 1 && POWER_EXPRESSIONS[bv[0]]) return POWER_EXPRESSIONS[bv[0]];
  return BINARY_EXPRESSIONS[name];
}

function binaryKernel(name: string): FastKernel {
  return (args: ElementwiseArgs) => {
    const { a, b } = args.inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
    if (a.dtype !== 'float32' || b.dtype !== 'float32') return null;
    const av = valuesOf(args, a) as Float32Array;
    const bv = valuesOf(args, b) as Float32Array;
    const r = binaryRows(expressionFor(name, b, bv), a.shape, b.shape, av, bv);
    return r && args.backend.makeTensorInfo(r.shape, 'float32', r.values);
  };
}

export const BINARY_KERNELS: Array<[string, FastKernel]> = Object.keys(BINARY_EXPRESSIONS).map((n) => [
  n,
  binaryKernel(n),
]);
