import * as tf from '@tensorflow/tfjs';

/**
 * Backend-neutral access to kernel inputs and outputs. `readSync` and `write` are part
 * of every tfjs KernelBackend, so one implementation of a kernel serves cpu, wasm and
 * tfjs-node alike (on the cpu backend `readSync` returns the stored array, no copy).
 */
export type Backend = tf.KernelBackend;

export function readFloats(backend: Backend, info: tf.TensorInfo): Float32Array {
  // the cpu backend's own array, read in place: readSync would also mark it as escaped and
  // keep the buffer pool (elementwise-pool.ts) from recycling it; a kernel never keeps it
  const stored = (
    backend as unknown as { data?: { get(id: tf.DataId): { values?: unknown } | undefined } }
  ).data?.get(info.dataId)?.values;
  if (stored instanceof Float32Array) return stored;
  const values = backend.readSync(info.dataId);
  if (values instanceof Float32Array) return values;
  return Float32Array.from(values as ArrayLike<number>);
}

export function writeFloats(backend: Backend, shape: number[], values: Float32Array): tf.TensorInfo {
  const dataId = backend.write(values, shape, 'float32');
  return { dataId, shape, dtype: 'float32' };
}

export function sizeOf(shape: number[]): number {
  let s = 1;
  for (const d of shape) s *= d;
  return s;
}

/** Registers a kernel for a backend, replacing (without tfjs's warning) any earlier one. */
export function replaceKernel(config: tf.KernelConfig): void {
  if (tf.getKernel(config.kernelName, config.backendName))
    tf.unregisterKernel(config.kernelName, config.backendName);
  tf.registerKernel(config);
}
