import * as tf from '@tensorflow/tfjs';
import { replaceKernel } from './tensor-io';
import { BINARY_KERNELS } from './elementwise-binary';
import { registerCpuElementwiseGradients, restoreCpuElementwiseGradients } from './elementwise-gradients';
import { PACK_KERNELS } from './elementwise-pack';
import { disableCpuBufferPool, enableCpuBufferPool } from './elementwise-pool';
import { REDUCE_KERNELS } from './elementwise-reduce';
import { TRANSPOSE_KERNELS } from './elementwise-transpose';
import { ElementwiseArgs, FastKernel } from './elementwise-types';
import { UNARY_KERNELS } from './elementwise-unary';

/**
 * Float32 elementwise kernels for the cpu backend (binary arithmetic, unary functions),
 * the stack / unstack / concat / split copies, Sum over neighbouring axes and tiled
 * transposes: the elementwise part of an SSM block's or an
 * LSTM's training step (issue 20). Each is registered over whatever kernel the cpu
 * backend had before (the strided kernels for the binary ops, tfjs's own for the rest)
 * and hands it every call it declines, so registerCpuStridedKernels must run first. The
 * fused gradients (elementwise-gradients.ts) and the recycling of their output arrays
 * (elementwise-pool.ts) come with them.
 */
const KERNELS: Array<[string, FastKernel]> = [
  ...BINARY_KERNELS,
  ...UNARY_KERNELS,
  ...PACK_KERNELS,
  ...REDUCE_KERNELS,
  ...TRANSPOSE_KERNELS,
];

const previous = new Map<string, tf.KernelFunc>();

function withFallback(name: string, fast: FastKernel): tf.KernelFunc {
  return ((args: ElementwiseArgs) =>
    fast(args) ??
    previous.get(name)!(args as unknown as Parameters<tf.KernelFunc>[0])) as unknown as tf.KernelFunc;
}

const OVERRIDES = KERNELS.map(([name, fast]) => [name, withFallback(name, fast)] as const);

export function registerCpuElementwiseKernels(): void {
  for (const [name, fn] of OVERRIDES) {
    const current = tf.getKernel(name, 'cpu')?.kernelFunc;
    // registering twice must not make a kernel its own fallback
    if (current && current !== fn) previous.set(name, current);
    replaceKernel({ kernelName: name, backendName: 'cpu', kernelFunc: fn });
  }
  registerCpuElementwiseGradients();
  enableCpuBufferPool();
}

/** Puts back the kernels these replaced (the spec compares the two). */
export function restoreCpuElementwiseKernels(): void {
  for (const [name, fn] of previous) replaceKernel({ kernelName: name, backendName: 'cpu', kernelFunc: fn });
  restoreCpuElementwiseGradients();
  disableCpuBufferPool();
}
