import * as tf from '@tensorflow/tfjs';
import { complexTransformRows } from './spectral-kernels';
import { replaceKernel, sizeOf } from './tensor-io';

/**
 * Replaces the cpu backend's FFT and IFFT (complex64 in, complex64 out) with the cached
 * radix-2 / Bluestein plans. tfjs's own cpu FFT builds tensors per butterfly level and
 * takes about a second for [64, 1024]; tf.spectral.rfft/irfft are built on these two
 * kernels, so they speed up too. Forward only: see spectral-kernels.ts for gradients.
 */
interface CpuComplexData {
  values?: Float32Array;
  complexTensorInfos?: { real: tf.TensorInfo; imag: tf.TensorInfo };
}
interface CpuBackendLike {
  data: { get(dataId: tf.DataId): CpuComplexData };
  makeTensorInfo(shape: number[], dtype: tf.DataType, values?: Float32Array): tf.TensorInfo;
  disposeIntermediateTensorInfo(info: tf.TensorInfo): void;
}

function cpuFft(inverse: boolean) {
  return (args: { inputs: tf.NamedTensorInfoMap; backend: CpuBackendLike }): tf.TensorInfo => {
    const input = args.inputs.input as tf.TensorInfo;
    const backend = args.backend;
    const parts = backend.data.get(input.dataId).complexTensorInfos;
    if (!parts) throw new Error('FFT expects a complex64 tensor');
    const rv = backend.data.get(parts.real.dataId).values as Float32Array;
    const iv = backend.data.get(parts.imag.dataId).values as Float32Array;
    const n = input.shape[input.shape.length - 1];
    const rows = n === 0 ? 0 : sizeOf(input.shape) / n;
    const [re, im] = complexTransformRows(rv, iv, rows, n, inverse);
    const real = backend.makeTensorInfo(input.shape, 'float32', re);
    const imag = backend.makeTensorInfo(input.shape, 'float32', im);
    const complexKernel = tf.getKernel('Complex', 'cpu');
    const out = complexKernel.kernelFunc({
      inputs: { real, imag },
      backend: backend as unknown as tf.KernelBackend,
      attrs: {},
    }) as tf.TensorInfo;
    backend.disposeIntermediateTensorInfo(real);
    backend.disposeIntermediateTensorInfo(imag);
    return out;
  };
}

export function registerCpuFftKernels(): void {
  replaceKernel({
    kernelName: 'FFT',
    backendName: 'cpu',
    kernelFunc: cpuFft(false) as unknown as tf.KernelFunc,
  });
  replaceKernel({
    kernelName: 'IFFT',
    backendName: 'cpu',
    kernelFunc: cpuFft(true) as unknown as tf.KernelFunc,
  });
}
