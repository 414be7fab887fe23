import * as tf from '@tensorflow/tfjs';

/**
 * What the elementwise cpu kernels see of a kernel call: the cpu backend's stored arrays
 * (read without a copy) and its tensor factory. The stock kernel a call falls back to
 * receives the same arguments unchanged.
 */
export interface CpuBackendLike {
  data: { get(dataId: tf.DataId): { values?: tf.backend_util.BackendValues } };
  makeTensorInfo(shape: number[], dtype: tf.DataType, values?: tf.backend_util.BackendValues): tf.TensorInfo;
}

export interface ElementwiseArgs {
  inputs: tf.NamedTensorInfoMap | tf.TensorInfo[];
  backend: CpuBackendLike;
  attrs: Record<string, unknown>;
}

/** A kernel that may decline a call (null): the kernel registered before it then runs. */
export type FastKernel = (args: ElementwiseArgs) => tf.TensorInfo | tf.TensorInfo[] | null;

export function valuesOf(args: ElementwiseArgs, t: tf.TensorInfo): tf.backend_util.BackendValues {
  return args.backend.data.get(t.dataId).values as tf.backend_util.BackendValues;
}
