import * as tf from '@tensorflow/tfjs';
import { take } from './elementwise-pool';
import { ElementwiseArgs, FastKernel, valuesOf } from './elementwise-types';
import { nativeKernels } from './native-kernels';

/**
 * Float32 unary kernels for the cpu backend: one compiled loop per op, Tanh and Sigmoid
 * on the native kernels where they are in use.
 *
 * Why: tfjs-backend-cpu runs every unary op through one shared loop that calls the op's
 * function per element and writes an array whose type depends on the dtype; neither
 * call nor store can be specialised, so Tanh over an SSM block's [32, 64, 336]
 * activations cost 3-4x what the same Math.tanh loop costs on its own. Each loop here
 * inlines tfjs's own element formula (the same Math functions, evaluated in double and
 * rounded once on the store), so results are bit for bit the stock kernels'.
 *
 * Math.tanh and Math.exp still cost 20-30 ns an element (a C call each), the largest
 * part of an LSTM step's gates and of GELU; the native kernels' vector tanh and sigmoid
 * (native/src/kernels-impl.h: float32 polynomials) take about 1 ns. They differ from the
 * double formulas rounded to float32 by a few float32 ulps (the spec bounds it: 4 ulps,
 * or 2^-24 absolute near zero, where the result's ulp shrinks faster than the error), far
 * below the float32 rounding the next op applies anyway. Where the vector formula leaves
 * its range (NaN, and sigmoid below -80, where its exp clamps) the element is recomputed
 * with the double formula, so NaN propagates and tiny sigmoids are not raised to 1e-38.
 * Without the native kernels (SEQCAST_NATIVE=0, no addon) every op is the exact loop.
 * Only float32 inputs; other dtypes go to the kernel registered before.
 */
type UnaryLoop = (out: Float32Array, x: Float32Array) => void;

/** tfjs's softplus thresholds (Softplus.ts): log(2^-23) + 2 either side of zero. */
const SOFTPLUS_THRESHOLD = Math.log(1.1920928955078125e-7) + 2.0;
const E = tf.backend_util;

/** Element formulas in x, as tfjs-backend-cpu writes them. */
export const UNARY_EXPRESSIONS: Record<string, string> = {
  Tanh: 'Math.tanh(x)',
  Sigmoid: '1 / (1 + Math.exp(-x))',
  Exp: 'Math.exp(x)',
  Log: 'Math.log(x)',
  Sqrt: 'Math.sqrt(x)',
  Rsqrt: '1 / Math.sqrt(x)',
  Square: 'x * x',
  Abs: 'Math.abs(x)',
  Relu: 'Math.max(0, x)',
  Sin: 'Math.sin(x)',
  Cos: 'Math.cos(x)',
  Reciprocal: '1 / x',
  Softplus: `x < ${SOFTPLUS_THRESHOLD} ? Math.exp(x) : x > ${-SOFTPLUS_THRESHOLD} ? x : Math.log(1.0 + Math.exp(x))`,
  Erf: 'erf(x)',
};

/** Helpers an expression may call, defined once per compiled loop (V8 inlines them). */
const PRELUDES: Record<string, string> = {
  Erf:
    `const erf = (x) => { const v = Math.abs(x), t = 1.0 / (1.0 + ${E.ERF_P} * v); return Math.sign(x) * (1.0 - ` +
    `(((((${E.ERF_A5} * t + ${E.ERF_A4}) * t) + ${E.ERF_A3}) * t + ${E.ERF_A2}) * t + ${E.ERF_A1}) * t * ` +
    'Math.exp(-v * v)); };',
};

function compile(expr: string, prelude = ''): UnaryLoop {
  return new Function(
    'out',
    'v',
    `${prelude}\nfor (let i = 0; i < v.length; i++) { const x = v[i]; out[i] = ${expr}; }`,
  ) as UnaryLoop;
}

type NativeUnary = 'tanh' | 'sigmoid';
/** Ops with a native vector kernel, and the inputs below which it must not be trusted. */
const NATIVE: Record<string, { fn: NativeUnary; below: number }> = {
  Tanh: { fn: 'tanh', below: -Infinity },
  Sigmoid: { fn: 'sigmoid', below: -80 },
};

/** The native kernel in place over a copy of v; elements it cannot serve redone by `exact`. */
function nativeUnary(fn: NativeUnary, below: number, v: Float32Array, exact: UnaryLoop): Float32Array | null {
  const nk = nativeKernels();
  if (!nk || v.length < 8) return null;
  const out = take(v.length);
  out.set(v);
  nk[fn](out, 0, out.length);
  const one = new Float32Array(1);
  for (let i = 0; i < v.length; i++) {
    const x = v[i];
    if (!(x >= below)) {
      exact(one, v.subarray(i, i + 1));
      out[i] = one[0];
    }
  }
  return out;
}

function unaryKernel(name: string, expr: string): FastKernel {
  let loop: UnaryLoop | undefined;
  const native = NATIVE[name];
  return (args: ElementwiseArgs) => {
    const x = (args.inputs as { x: tf.TensorInfo }).x;
    if (x.dtype !== 'float32') return null;
    const v = valuesOf(args, x) as Float32Array;
    loop ??= compile(expr, PRELUDES[name]);
    let out = native ? nativeUnary(native.fn, native.below, v, loop) : null;
    if (!out) {
      out = take(v.length);
      loop(out, v);
    }
    return args.backend.makeTensorInfo(x.shape, 'float32', out);
  };
}

/** The exact (Math-based) loop alone, for the spec's comparison with the native path. */
export function exactUnary(name: string, v: Float32Array): Float32Array {
  const out = new Float32Array(v.length);
  compile(UNARY_EXPRESSIONS[name], PRELUDES[name])(out, v);
  return out;
}

export const UNARY_KERNELS: Array<[string, FastKernel]> = Object.entries(UNARY_EXPRESSIONS).map(([n, e]) => [
  n,
  unaryKernel(n, e),
]);
