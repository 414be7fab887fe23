import * as tf from '@tensorflow/tfjs';
import { take } from './elementwise-pool';

/**
 * A fused op's access to tensor memory without copies and without pinning it.
 *
 * `dataSync()` on the cpu backend hands out the tensor's own array and, since the caller may
 * keep it, marks it as escaped: the buffer pool (elementwise-pool.ts) then never recycles it,
 * and every step of a model built on fused ops allocates its large arrays afresh (page
 * faults, external memory, collections: SpaceTime's step spent ~18% in V8's collector).
 * `borrowFloats` reads the array in place for the length of the caller's call only (the
 * array may be recycled once the tensor is disposed: never keep it), and `outputFloats`
 * gives an array for a new tensor's values that the caller overwrites entirely (a recycled
 * one where the pool has one of that length).
 */
interface CpuData {
  data?: { get(dataId: tf.DataId): { values?: unknown } | undefined };
}

export function borrowFloats(t: tf.Tensor): Float32Array {
  if (t.dtype === 'float32') {
    const values = (tf.engine().backend as unknown as CpuData).data?.get(t.dataId)?.values;
    if (values instanceof Float32Array) return values;
  }
  return t.dataSync() as Float32Array;
}

export function outputFloats(n: number): Float32Array {
  return take(n);
}
