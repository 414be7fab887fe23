import type { KernelSettings } from '@seqcast/core';
import { useNativeIsa, useNativeKernels, useNativeThreads } from './native-kernels';

/*
 * The kernel tier's settings, from the validated configuration (SEQCAST_NATIVE,
 * SEQCAST_NATIVE_ISA, SEQCAST_THREADS): each entry point (api, worker, CLI, benchmarks, jest's setup) calls
 * configureKernels once at boot, and runInWorkerThread hands the same settings to its
 * threads. Until then: the native kernels where built, on the widest instruction set.
 */
let settings: KernelSettings = { native: true, isa: 'auto', threads: 0 };

export function configureKernels(s: KernelSettings): void {
  settings = { native: s.native, isa: s.isa, threads: s.threads ?? 0 };
  useNativeKernels(s.native);
  useNativeIsa(s.isa === 'auto' ? '' : s.isa);
  useNativeThreads(settings.threads!);
}

/** The settings in force (what worker threads are given). */
export function configuredKernels(): KernelSettings {
  return { ...settings };
}
