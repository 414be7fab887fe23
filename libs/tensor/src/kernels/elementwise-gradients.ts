import * as tf from '@tensorflow/tfjs';
import { take } from './elementwise-pool';
import { replaceKernel } from './tensor-io';
import { binaryRows } from './elementwise-binary';
import { sumAxes } from './elementwise-reduce';
import { ElementwiseArgs, valuesOf } from './elementwise-types';

/**
 * Fused gradients of Sigmoid, Tanh, Pow (scalar exponent), Square, Mean (to a scalar)
 * and Multiply on the cpu backend.
 *
 * Why: tfjs writes these gradients as chains of ops (sigmoid: 1 - y, y (1 - y), dy y (1 - y);
 * tanh: y^2, 1 - y^2, dy (1 - y^2); pow: a^(b-1), b a^(b-1), dy b a^(b-1)), each an engine
 * call with its own output array. An LSTM step's backward pass makes about 1,500 of
 * them for its gates (each call costs the engine several microseconds before any
 * arithmetic), and GELU's cube and tanh make six [B, C, L] arrays. Each fused kernel
 * does the chain in one loop, rounding to float32 after every step exactly where the
 * chain's ops round (Math.fround), so the gradient is bit for bit tfjs's. Multiply's
 * gradient casts the other operand to float32 before multiplying (for float32 operands an
 * Identity call, skipped here) and, for a broadcast operand, multiplies into a full-size
 * array only to sum it: here the product goes to a scratch array reused between calls
 * (fresh arrays cost more in page faults than in arithmetic: 2-4 ms per [32, 64, 336]
 * array on the development VM) and is summed in tfjs's order. A mean's gradient is
 * dy / n everywhere: one fill, where tfjs builds a ones tensor, multiplies and divides.
 *
 * Only the cpu backend with float32 tensors takes these paths: everywhere else (wasm,
 * other dtypes, second derivatives) the gradient is tfjs's own, kept from before the
 * override.
 */
const SIGMOID_GRAD = 'SeqcastSigmoidGrad';
const TANH_GRAD = 'SeqcastTanhGrad';
const POW_BASE_GRAD = 'SeqcastPowBaseGrad';
const SQUARE_GRAD = 'SeqcastSquareGrad';
const MUL_SUM = 'SeqcastMulSum';

type GradFunc = tf.GradConfig['gradFunc'];
const originals = new Map<string, tf.GradConfig>();

const f = Math.fround;

function fusedKernel(
  name: string,
  loop: (out: Float32Array, y: Float32Array, dy: Float32Array, attrs: Record<string, unknown>) => void,
): tf.KernelConfig {
  return {
    kernelName: name,
    backendName: 'cpu',
    kernelFunc: ((args: ElementwiseArgs) => {
      const { y, dy } = args.inputs as { y: tf.TensorInfo; dy: tf.TensorInfo };
      const yv = valuesOf(args, y) as Float32Array;
      const out = take(yv.length);
      loop(out, yv, valuesOf(args, dy) as Float32Array, args.attrs);
      return args.backend.makeTensorInfo(y.shape, 'float32', out);
    }) as unknown as tf.KernelFunc,
  };
}

/** tfjs: mul(dy, mul(y, sub(1, y))). */
function sigmoidGrad(out: Float32Array, y: Float32Array, dy: Float32Array): void {
  for (let i = 0; i < y.length; i++) {
    const v = y[i];
    out[i] = dy[i] * f(v * f(1 - v));
  }
}

/** tfjs: mul(sub(1, square(y)), dy). */
function tanhGrad(out: Float32Array, y: Float32Array, dy: Float32Array): void {
  for (let i = 0; i < y.length; i++) {
    const v = y[i];
    out[i] = f(1 - f(v * v)) * dy[i];
  }
}

/**
 * tfjs: mul(dy, mul(e, pow(a, sub(e, 1)))) for a scalar exponent e; a^2 and a^3 as
 * products (elementwise-binary.ts says why they equal Math.pow after rounding).
 */
function powBaseGrad(
  out: Float32Array,
  a: Float32Array,
  dy: Float32Array,
  attrs: Record<string, unknown>,
): void {
  const e = f(attrs.exponent as number);
  const em1 = f(e - 1);
  const power =
    em1 === 2 ? (x: number) => x * x : em1 === 3 ? (x: number) => x * x * x : (x: number) => Math.pow(x, em1);
  for (let i = 0; i < a.length; i++) out[i] = dy[i] * f(e * f(power(a[i])));
}

/** tfjs: mul(dy, mul(x, 2)). */
function squareGrad(out: Float32Array, x: Float32Array, dy: Float32Array): void {
  for (let i = 0; i < x.length; i++) out[i] = dy[i] * f(x[i] * 2);
}

let scratch = new Float32Array(0);

/** sum(mul(dy, b), axes) reshaped to attrs.shape, the product in the scratch array. */
function mulSumKernel(args: ElementwiseArgs): tf.TensorInfo {
  const { dy, b } = args.inputs as { dy: tf.TensorInfo; b: tf.TensorInfo };
  const dv = valuesOf(args, dy) as Float32Array;
  const bv = valuesOf(args, b) as Float32Array;
  const shape = tf.backend_util.assertAndGetBroadcastShape(dy.shape, b.shape);
  const n = shape.reduce((p, d) => p * d, 1);
  if (scratch.length < n) scratch = new Float32Array(n);
  let product = binaryRows('a * b', dy.shape, b.shape, dv, bv, scratch)?.values;
  if (!product) {
    // rows too short for the row loops: the registered Multiply kernel makes the product
    const info = tf.getKernel('Multiply', 'cpu').kernelFunc({
      inputs: { a: dy, b },
      backend: args.backend as unknown as tf.KernelBackend,
      attrs: {},
    }) as tf.TensorInfo;
    product = valuesOf(args, info) as Float32Array;
    (args.backend as unknown as tf.KernelBackend).disposeData(info.dataId);
  }
  const values = sumAxes(product, shape, args.attrs.axes as number[]);
  return args.backend.makeTensorInfo(args.attrs.shape as number[], 'float32', values);
}

const KERNELS: tf.KernelConfig[] = [
  fusedKernel(SIGMOID_GRAD, sigmoidGrad),
  fusedKernel(TANH_GRAD, tanhGrad),
  fusedKernel(POW_BASE_GRAD, powBaseGrad),
  fusedKernel(SQUARE_GRAD, squareGrad),
  { kernelName: MUL_SUM, backendName: 'cpu', kernelFunc: mulSumKernel as unknown as tf.KernelFunc },
];

/**
 * Whether the fused path applies: cpu, float32, and no outer gradient recording this
 * backward pass (the fused kernels have no gradients of their own; a second derivative
 * takes tfjs's op chain).
 */
function onCpu(...ts: tf.Tensor[]): boolean {
  const depth = (tf.engine() as unknown as { state: { gradientDepth: number } }).state.gradientDepth;
  return tf.getBackend() === 'cpu' && depth === 0 && ts.every((t) => t.dtype === 'float32');
}

function sameShape(a: tf.Tensor, b: tf.Tensor): boolean {
  return a.shape.length === b.shape.length && a.shape.every((d, i) => d === b.shape[i]);
}

function run(name: string, inputs: Record<string, tf.Tensor>, attrs: tf.NamedAttrMap = {}): tf.Tensor {
  return tf.engine().runKernel(name, inputs as unknown as tf.NamedTensorMap, attrs) as tf.Tensor;
}

/** The gradient of a one-output op whose backward pass reads its output y (Sigmoid, Tanh). */
function outputGrad(kernelName: string, fused: string): GradFunc {
  return (dy, saved, attrs) => {
    const [y] = saved;
    const d = dy as tf.Tensor;
    if (onCpu(y, d) && sameShape(y, d)) return { x: () => run(fused, { y, dy: d }) };
    return originals.get(kernelName)!.gradFunc(dy, saved, attrs);
  };
}

const powGrad: GradFunc = (dy, saved, attrs) => {
  const [a, b] = saved;
  const d = dy as tf.Tensor;
  const stock = originals.get('Pow')!.gradFunc(dy, saved, attrs);
  if (!onCpu(a, b, d) || b.size !== 1 || b.rank > a.rank || !sameShape(a, d)) return stock;
  return { ...stock, a: () => run(POW_BASE_GRAD, { y: a, dy: d }, { exponent: b.dataSync()[0] }) };
};

/** tfjs's Multiply gradient (dy times the other operand, summed over the broadcast axes). */
const multiplyGrad: GradFunc = (dy, saved, attrs) => {
  const [a, b] = saved;
  const d = dy as tf.Tensor;
  if (!onCpu(a, b, d)) return originals.get('Multiply')!.gradFunc(dy, saved, attrs);
  const outShape = tf.backend_util.assertAndGetBroadcastShape(a.shape, b.shape);
  const times = (other: tf.Tensor, shape: number[]) => {
    const axes = tf.backend_util.getReductionAxes(shape, outShape);
    return axes.length > 0 ? run(MUL_SUM, { dy: d, b: other }, { axes, shape }) : tf.mul(d, other);
  };
  return { a: () => times(b, a.shape), b: () => times(a, b.shape) };
};

const squareGradFunc: GradFunc = (dy, saved, attrs) => {
  const [x] = saved;
  const d = dy as tf.Tensor;
  if (onCpu(x, d) && sameShape(x, d)) return { x: () => run(SQUARE_GRAD, { y: x, dy: d }) };
  return originals.get('Square')!.gradFunc(dy, saved, attrs);
};

/** tfjs: div(mul(dy, ones(x.shape)), n) = fround(dy / fround(n)) everywhere, for a one-element dy. */
const meanGrad: GradFunc = (dy, saved, attrs) => {
  const [x] = saved;
  const d = dy as tf.Tensor;
  if (!onCpu(x, d) || d.size !== 1) return originals.get('Mean')!.gradFunc(dy, saved, attrs);
  const axes = tf.util.parseAxisParam(attrs.axis as number | number[], x.shape);
  const n = axes.reduce((p, a) => p * x.shape[a], 1);
  return { x: () => tf.fill(x.shape, f(d.dataSync()[0] / f(n))) };
};

const GRADIENTS: Array<[string, GradFunc]> = [
  ['Sigmoid', outputGrad('Sigmoid', SIGMOID_GRAD)],
  ['Tanh', outputGrad('Tanh', TANH_GRAD)],
  ['Pow', powGrad],
  ['Multiply', multiplyGrad],
  ['Square', squareGradFunc],
  ['Mean', meanGrad],
];

export function registerCpuElementwiseGradients(): void {
  for (const k of KERNELS) replaceKernel(k);
  for (const [name, gradFunc] of GRADIENTS) {
    const current = tf.getGradient(name);
    if (!current) continue;
    if (current.gradFunc !== gradFunc) originals.set(name, current);
    tf.registerGradient({ ...originals.get(name)!, gradFunc });
  }
}

/** tfjs's own gradients back (the spec compares the two). */
export function restoreCpuElementwiseGradients(): void {
  for (const config of originals.values()) tf.registerGradient(config);
}
