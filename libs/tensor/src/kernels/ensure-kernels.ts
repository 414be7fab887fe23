import * as tf from '@tensorflow/tfjs';
import { FFT_CONV_KERNEL, registerFftConvGradient, registerFftConvKernels } from './fft-conv-kernel';
import {
  LINEAR_SCAN_KERNEL,
  registerLinearScanGradient,
  registerLinearScanKernel,
} from './linear-scan-kernel';
import { registerSpectralGradients } from './spectral-gradients';
import { registerSpectralKernels, RFFT_KERNEL } from './spectral-kernels';

/**
 * The project's own kernels (spectral pairs, fftConv, linear scan) have one
 * backend-neutral implementation; they are registered for whichever backend is active
 * the first time an op needs them, so ops work whether or not selectBackend() ran.
 */
const done = new Set<string>();

export function ensureSeqcastKernels(backendName: string = tf.getBackend()): void {
  if (done.has(backendName)) return;
  registerSpectralGradients();
  registerFftConvGradient();
  registerLinearScanGradient();
  if (!tf.getKernel(RFFT_KERNEL, backendName)) registerSpectralKernels(backendName);
  if (!tf.getKernel(FFT_CONV_KERNEL, backendName)) registerFftConvKernels(backendName);
  if (!tf.getKernel(LINEAR_SCAN_KERNEL, backendName)) registerLinearScanKernel(backendName);
  done.add(backendName);
}
