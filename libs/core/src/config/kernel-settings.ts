import { AppConfig, NativeIsa } from './app-config';
import { loadConfig } from './load-config';

/** How the tensor kernels run, from the configuration: handed to `configureKernels` at boot. */
export interface KernelSettings {
  /** Whether the native kernels may run (where they are built). */
  native: boolean;
  /** Their widest instruction set ('auto': the widest the CPU has). */
  isa: NativeIsa;
  /**
   * Threads the native kernels split large calls over (one pool per process, its worker
   * threads included); 0 or absent: every CPU the process may run on.
   */
  threads?: number;
}

/** The variables behind KernelSettings. */
const KERNEL_VARIABLES = ['SEQCAST_NATIVE', 'SEQCAST_NATIVE_ISA', 'SEQCAST_THREADS'] as const;

export function kernelSettings(config: AppConfig): KernelSettings {
  return { native: config.SEQCAST_NATIVE, isa: config.SEQCAST_NATIVE_ISA, threads: config.SEQCAST_THREADS };
}

/**
 * The kernel settings alone from an environment, validated as loadConfig validates them:
 * for processes that run models without being a server (tests, benchmarks), where the rest
 * of the configuration does not apply and must not stop them.
 */
export function loadKernelSettings(env: NodeJS.ProcessEnv = process.env): KernelSettings {
  const only: NodeJS.ProcessEnv = {};
  for (const k of KERNEL_VARIABLES) if (env[k] !== undefined) only[k] = env[k];
  return kernelSettings(loadConfig(only));
}
