import * as tf from '@tensorflow/tfjs';
import { gemm, packB } from './gemm';
import { replaceKernel, sizeOf } from './tensor-io';
import { nativeMatMul } from './native-matmul';
import { wasmMatMul } from './wasm-matmul';

/**
 * BatchMatMul and _FusedMatMul for the cpu backend: on the WebAssembly SIMD gemm
 * (wasm-matmul.ts) where the engine has it, else on gemm.ts (plain JS). Batch axes
 * broadcast when they are equal or one side has a single matrix (all the models need);
 * anything else goes to the original tfjs kernel, kept from before the override.
 */
interface CpuBackendLike {
  data: { get(dataId: tf.DataId): { values?: tf.backend_util.BackendValues } };
  makeTensorInfo(shape: number[], dtype: tf.DataType, values?: Float32Array): tf.TensorInfo;
  disposeIntermediateTensorInfo(info: tf.TensorInfo): void;
}
interface MatMulArgs {
  inputs: tf.NamedTensorInfoMap;
  backend: CpuBackendLike;
  attrs: { transposeA: boolean; transposeB: boolean; activation?: string; leakyreluAlpha?: number };
}

let originalBatchMatMul: tf.KernelFunc | undefined;
let originalFusedMatMul: tf.KernelFunc | undefined;

function sameShape(a: number[], b: number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** Our matmul, or null when the shapes need tfjs's general broadcasting. */
function fastBatchMatMul(
  a: tf.TensorInfo,
  b: tf.TensorInfo,
  transposeA: boolean,
  transposeB: boolean,
  backend: CpuBackendLike,
): tf.TensorInfo | null {
  if (a.dtype !== 'float32' || b.dtype !== 'float32' || a.shape.length < 2 || b.shape.length < 2) return null;
  const aOuter = a.shape.slice(0, -2);
  const bOuter = b.shape.slice(0, -2);
  const batchA = sizeOf(aOuter);
  const batchB = sizeOf(bOuter);
  let outOuter: number[];
  if (sameShape(aOuter, bOuter)) outOuter = aOuter;
  else if (batchB === 1 && bOuter.length <= aOuter.length) outOuter = aOuter;
  else if (batchA === 1 && aOuter.length <= bOuter.length) outOuter = bOuter;
  else return null;
  const ar = a.shape.length,
    br = b.shape.length;
  const m = transposeA ? a.shape[ar - 1] : a.shape[ar - 2];
  const k = transposeA ? a.shape[ar - 2] : a.shape[ar - 1];
  const kB = transposeB ? b.shape[br - 1] : b.shape[br - 2];
  const n = transposeB ? b.shape[br - 2] : b.shape[br - 1];
  if (k !== kB) return null; // let tfjs raise its own shape error
  const av = backend.data.get(a.dataId).values as Float32Array;
  const bv = backend.data.get(b.dataId).values as Float32Array;
  const batch = Math.max(batchA, batchB);
  const out = new Float32Array(batch * m * n);
  const problem = { a: av, b: bv, out, batch, batchA, batchB, m, k, n, transposeA, transposeB };
  if (nativeMatMul(problem) || wasmMatMul(problem))
    return backend.makeTensorInfo([...outOuter, m, n], 'float32', out);
  const sharedB = batchB === 1 && m * n > 0 ? packB(bv, 0, k, n, transposeB) : undefined;
  for (let t = 0; t < batch; t++) {
    gemm(
      {
        a: av,
        aOffset: (batchA === 1 ? 0 : t) * m * k,
        b: bv,
        bOffset: (batchB === 1 ? 0 : t) * k * n,
        m,
        k,
        n,
        transposeA,
        transposeB,
        out,
        outOffset: t * m * n,
      },
      sharedB,
    );
  }
  return backend.makeTensorInfo([...outOuter, m, n], 'float32', out);
}

function batchMatMul(args: MatMulArgs): tf.TensorInfo {
  const { a, b } = args.inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
  const fast = fastBatchMatMul(a, b, !!args.attrs.transposeA, !!args.attrs.transposeB, args.backend);
  if (fast) return fast;
  return originalBatchMatMul!(args as unknown as Parameters<tf.KernelFunc>[0]) as tf.TensorInfo;
}

const ACTIVATION_KERNELS: Record<string, string> = {
  relu: 'Relu',
  relu6: 'Relu6',
  elu: 'Elu',
  sigmoid: 'Sigmoid',
};

function fusedMatMul(args: MatMulArgs): tf.TensorInfo {
  const { a, b, bias, preluActivationWeights } = args.inputs as Record<string, tf.TensorInfo | undefined>;
  const { transposeA, transposeB, activation, leakyreluAlpha } = args.attrs;
  const act = activation ?? 'linear';
  const known = act === 'linear' || act === 'prelu' || act === 'leakyrelu' || act in ACTIVATION_KERNELS;
  const product = known ? fastBatchMatMul(a!, b!, !!transposeA, !!transposeB, args.backend) : null;
  if (!product) return originalFusedMatMul!(args as unknown as Parameters<tf.KernelFunc>[0]) as tf.TensorInfo;
  const backend = args.backend as unknown as tf.KernelBackend;
  const run = (name: string, inputs: tf.NamedTensorInfoMap, attrs: tf.NamedAttrMap = {}): tf.TensorInfo =>
    tf.getKernel(name, 'cpu').kernelFunc({ inputs, backend, attrs }) as tf.TensorInfo;
  let current = product;
  const step = (next: tf.TensorInfo) => {
    args.backend.disposeIntermediateTensorInfo(current);
    current = next;
  };
  if (bias) step(run('Add', { a: current, b: bias }));
  if (act === 'prelu') step(run('Prelu', { x: current, alpha: preluActivationWeights! }));
  else if (act === 'leakyrelu') step(run('LeakyRelu', { x: current }, { alpha: leakyreluAlpha ?? 0.2 }));
  else if (act !== 'linear') step(run(ACTIVATION_KERNELS[act], { x: current }));
  return current;
}

export function registerCpuMatMulKernels(): void {
  if (!originalBatchMatMul) originalBatchMatMul = tf.getKernel('BatchMatMul', 'cpu').kernelFunc;
  if (!originalFusedMatMul) originalFusedMatMul = tf.getKernel('_FusedMatMul', 'cpu').kernelFunc;
  replaceKernel({
    kernelName: 'BatchMatMul',
    backendName: 'cpu',
    kernelFunc: batchMatMul as unknown as tf.KernelFunc,
  });
  replaceKernel({
    kernelName: '_FusedMatMul',
    backendName: 'cpu',
    kernelFunc: fusedMatMul as unknown as tf.KernelFunc,
  });
}

/** Puts tfjs's own cpu matmul back (benchmarks compare the two). */
export function restoreCpuMatMulKernels(): void {
  if (originalBatchMatMul)
    replaceKernel({ kernelName: 'BatchMatMul', backendName: 'cpu', kernelFunc: originalBatchMatMul });
  if (originalFusedMatMul)
    replaceKernel({ kernelName: '_FusedMatMul', backendName: 'cpu', kernelFunc: originalFusedMatMul });
}
