import * as tf from '@tensorflow/tfjs';
import { complexTransformRows } from './spectral-kernels';
import { replaceKernel, sizeOf } from './tensor-io';

/**
 * Complex64 support for the wasm backend, which ships no Complex, Real, Imag, FFT or
 * IFFT kernel. A complex64 tensor there is 8 bytes per element on the wasm heap; we
 * store it interleaved (re, im), the layout tfjs uses for complex values everywhere
 * else. With these five kernels tf.complex/real/imag and tf.spectral.* run on wasm.
 * (Reading a complex tensor's values directly still fails in tfjs-backend-wasm's
 * readSync; read tf.real / tf.imag instead.)
 */
interface WasmBackendLike {
  dataIdMap: { get(dataId: tf.DataId): { memoryOffset: number } };
  wasm: { HEAPF32: Float32Array };
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
}

function heap(backend: WasmBackendLike, info: tf.TensorInfo, floats: number): Float32Array {
  const offset = backend.dataIdMap.get(info.dataId).memoryOffset / 4;
  return backend.wasm.HEAPF32.subarray(offset, offset + floats);
}

type Args = { inputs: tf.NamedTensorInfoMap; backend: WasmBackendLike };

function complexKernel({ inputs, backend }: Args): tf.TensorInfo {
  const real = inputs.real as tf.TensorInfo;
  const imag = inputs.imag as tf.TensorInfo;
  const size = sizeOf(real.shape);
  const out = backend.makeOutput(real.shape.slice(), 'complex64');
  // Read inputs only after allocating: malloc may grow (and move) the heap.
  const re = heap(backend, real, size);
  const im = heap(backend, imag, size);
  const z = heap(backend, out, 2 * size);
  for (let i = 0; i < size; i++) {
    z[2 * i] = re[i];
    z[2 * i + 1] = im[i];
  }
  return out;
}

function partKernel(part: 0 | 1) {
  return ({ inputs, backend }: Args): tf.TensorInfo => {
    const input = inputs.input as tf.TensorInfo;
    const size = sizeOf(input.shape);
    const out = backend.makeOutput(input.shape.slice(), 'float32');
    const z = heap(backend, input, 2 * size);
    const o = heap(backend, out, size);
    for (let i = 0; i < size; i++) o[i] = z[2 * i + part];
    return out;
  };
}

function fftKernel(inverse: boolean) {
  return ({ inputs, backend }: Args): tf.TensorInfo => {
    const input = inputs.input as tf.TensorInfo;
    const size = sizeOf(input.shape);
    const n = input.shape[input.shape.length - 1];
    const rows = n === 0 ? 0 : size / n;
    const z = heap(backend, input, 2 * size);
    const re = new Float32Array(size);
    const im = new Float32Array(size);
    for (let i = 0; i < size; i++) {
      re[i] = z[2 * i];
      im[i] = z[2 * i + 1];
    }
    const [outRe, outIm] = complexTransformRows(re, im, rows, n, inverse);
    const out = backend.makeOutput(input.shape.slice(), 'complex64');
    const w = heap(backend, out, 2 * size);
    for (let i = 0; i < size; i++) {
      w[2 * i] = outRe[i];
      w[2 * i + 1] = outIm[i];
    }
    return out;
  };
}

export function registerWasmComplexKernels(): void {
  const k = (kernelName: string, fn: (a: Args) => tf.TensorInfo) =>
    replaceKernel({ kernelName, backendName: 'wasm', kernelFunc: fn as unknown as tf.KernelFunc });
  k('Complex', complexKernel);
  k('Real', partKernel(0));
  k('Imag', partKernel(1));
  k('FFT', fftKernel(false));
  k('IFFT', fftKernel(true));
}
