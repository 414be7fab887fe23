import { NativeKernels, nativeKernels } from './native-kernels';
import { kernelTier } from './wasm-kernels';

/**
 * The native kernels for the spectral and fftConv kernels when they are the tier in use
 * (built, allowed, and not overridden by useKernels('wasm' | 'js')); null otherwise, and
 * those kernels run the JS plans (libs/tensor/src/fft), which are also what the WebAssembly
 * tier runs: there is no WebAssembly FFT.
 */
export function nativeFft(): NativeKernels | null {
  return kernelTier() === 'native' ? nativeKernels() : null;
}
