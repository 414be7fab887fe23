import { nativeKernels, nativeKernelsStatus } from '../kernels/native-kernels';
import { ConfigError } from '@seqcast/core';
import * as tf from '@tensorflow/tfjs';
import * as path from 'path';
import { registerCpuFftKernels } from '../kernels/fft-cpu';
import { registerWasmComplexKernels } from '../kernels/complex-wasm';
import { ensureSeqcastKernels } from '../kernels/ensure-kernels';
import { registerCpuElementwiseKernels } from '../kernels/elementwise-cpu';
import { registerCpuMatMulKernels } from '../kernels/matmul-cpu';
import { registerCpuStridedKernels } from '../kernels/strided-cpu';
import { BACKEND_REQUESTS, BackendInfo, BackendRequest } from './backend-info';

/**
 * Chooses the tfjs backend once per process (TF_BACKEND=auto|tensorflow|webgpu|wasm|cpu).
 *
 * `auto` order: tfjs-node-gpu, then tfjs-node (native TensorFlow; optional packages whose
 * install downloads a binary, so absent is normal), then WebGPU through the `webgpu` package
 * (Dawn) when it finds an adapter, then cpu where the native kernels are in use, else wasm
 * then cpu. With the addon, tfjs-backend-cpu carries the project's native gemm, FFTs and
 * elementwise kernels and reads tensors in place (no copies out of a wasm heap): a SpaceTime
 * step of the paper's widths 0.79 s on cpu against 1.50 s on wasm, the SSM and LSTM steps of
 * bench:tensor faster on cpu too (docs/benchmarks.md, "Training service"). Without it, wasm's
 * SIMD (XNNPACK) matMul and elementwise kernels beat the JS ones, and with the project's
 * kernels registered on it (complex/FFT in wasm SIMD, fftConv, scans) it lacks nothing; cpu
 * stays the fallback when wasm cannot start.
 */
let current: BackendInfo | null = null;

/** Optional packages are loaded by a computed name so bundlers and tsc leave them alone. */
function optionalRequire(name: string): unknown {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(name);
}

function message(e: unknown): string {
  return e instanceof Error ? e.message.split('\n')[0] : String(e);
}

class Unavailable extends Error {}

async function tryTensorflow(): Promise<string> {
  const failures: string[] = [];
  for (const pkg of ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node']) {
    try {
      optionalRequire(pkg);
      if (await tf.setBackend('tensorflow')) return `${pkg} (native TensorFlow)`;
      failures.push(`${pkg}: backend did not initialise`);
    } catch (e) {
      failures.push(`${pkg}: ${message(e)}`);
    }
  }
  throw new Unavailable(failures.join('; '));
}

async function tryWebgpu(): Promise<string> {
  let adapterName = 'unknown adapter';
  try {
    const dawn = optionalRequire('webgpu') as {
      create(options: string[]): unknown;
      globals: Record<string, unknown>;
    };
    Object.assign(globalThis, dawn.globals);
    const gpu = dawn.create([]) as { requestAdapter(): Promise<{ info?: { description?: string } } | null> };
    const adapter = await gpu.requestAdapter();
    if (!adapter) throw new Unavailable('webgpu: no GPU adapter found');
    adapterName = adapter.info?.description || adapterName;
    Object.defineProperty(globalThis, 'navigator', { value: { gpu }, configurable: true, writable: true });
    optionalRequire('@tensorflow/tfjs-backend-webgpu');
  } catch (e) {
    if (e instanceof Unavailable) throw e;
    throw new Unavailable(`webgpu: ${message(e)}`);
  }
  if (!(await tf.setBackend('webgpu'))) throw new Unavailable('webgpu: backend did not initialise');
  return `webgpu via Dawn (${adapterName})`;
}

async function useWasm(): Promise<string> {
  try {
    const wasm = optionalRequire('@tensorflow/tfjs-backend-wasm') as { setWasmPaths(prefix: string): void };
    const dir = path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json'));
    wasm.setWasmPaths(path.join(dir, 'dist') + path.sep);
  } catch (e) {
    throw new Unavailable(`wasm: ${message(e)}`);
  }
  if (!(await tf.setBackend('wasm'))) throw new Unavailable('wasm: backend did not initialise');
  registerWasmComplexKernels();
  return `tfjs-backend-wasm (XNNPACK, one thread) + seqcast complex/FFT kernels; fused ops: ${nativeKernelsStatus()}`;
}

async function useCpu(): Promise<string> {
  if (!(await tf.setBackend('cpu'))) throw new Unavailable('cpu: backend did not initialise');
  registerCpuFftKernels();
  registerCpuMatMulKernels();
  registerCpuStridedKernels();
  registerCpuElementwiseKernels();
  // tfjs-backend-cpu prints an advert for tfjs-node on first use; the choice is deliberate here.
  (tf.backend() as unknown as { firstUse?: boolean }).firstUse = false;
  return `tfjs-backend-cpu + seqcast FFT/matMul/strided kernels; ${nativeKernelsStatus()}`;
}

/** `requested` comes from the validated configuration (AppConfig.TF_BACKEND) or the caller. */
export async function selectBackend(requested: string): Promise<BackendInfo> {
  const req = requested.trim().toLowerCase() as BackendRequest;
  if (!BACKEND_REQUESTS.includes(req)) {
    throw new ConfigError([
      { field: 'TF_BACKEND', reason: `'${requested}' is not one of ${BACKEND_REQUESTS.join(', ')}` },
    ]);
  }
  const attempts: Record<Exclude<BackendRequest, 'auto'>, () => Promise<string>> = {
    tensorflow: tryTensorflow,
    webgpu: tryWebgpu,
    wasm: useWasm,
    cpu: useCpu,
  };
  const order: Exclude<BackendRequest, 'auto'>[] =
    req !== 'auto'
      ? [req]
      : nativeKernels()
        ? ['tensorflow', 'webgpu', 'cpu']
        : ['tensorflow', 'webgpu', 'wasm', 'cpu'];
  const skipped: string[] = [];
  for (const name of order) {
    try {
      const details = await attempts[name]();
      ensureSeqcastKernels(tf.getBackend());
      current = {
        name: tf.getBackend(),
        requested: req,
        kernels: name === 'cpu' || name === 'wasm' ? 'seqcast-fast' : 'builtin',
        details,
        skipped,
      };
      return current;
    } catch (e) {
      if (req !== 'auto') {
        throw new ConfigError([
          { field: 'TF_BACKEND', reason: `backend '${name}' is not available: ${message(e)}` },
        ]);
      }
      skipped.push(message(e));
    }
  }
  throw new ConfigError([{ field: 'TF_BACKEND', reason: `no backend could start: ${skipped.join('; ')}` }]);
}

/** The backend chosen by selectBackend, or what tfjs runs on if it was never called. */
export function getBackendInfo(): BackendInfo {
  if (current && current.name === tf.getBackend()) return current;
  return {
    name: tf.getBackend(),
    requested: 'auto',
    kernels: 'builtin',
    details: 'tfjs default (selectBackend not called)',
    skipped: [],
  };
}
