export type BackendRequest = 'auto' | 'tensorflow' | 'webgpu' | 'wasm' | 'cpu';
export const BACKEND_REQUESTS: readonly BackendRequest[] = ['auto', 'tensorflow', 'webgpu', 'wasm', 'cpu'];

export interface BackendInfo {
  /** tfjs backend name in use: tensorflow, webgpu, wasm or cpu. */
  name: string;
  requested: BackendRequest;
  /** Whether the project's fast kernels replace tfjs's own on this backend. */
  kernels: 'seqcast-fast' | 'builtin';
  /** One line for /health and the CLI, e.g. which package or adapter is used. */
  details: string;
  /** Backends `auto` tried and why each was skipped. */
  skipped: string[];
}
