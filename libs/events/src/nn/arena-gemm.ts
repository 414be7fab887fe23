import { kernelArena, transposeInto } from '@seqcast/tensor';
import { pass } from './native-passes';

/**
 * c [m, n] += A b [k, n], A = a [m, k], or a^T when aT (a stored [k, m]). The native gemm
 * reads and writes the arrays where they lie, at any shape (native-products.ts). The wasm
 * and JS kernels go through the arena (operands copied in, result copied out), rows (of a
 * row-major A) padded to the kernel's tile height and columns to its width (zeros, results
 * dropped), so that thin outputs (a head with 3 types) run on the kernel too.
 */
export const multiply = pass('multiply', arenaMultiply);

function arenaMultiply(
  m: number,
  n: number,
  k: number,
  a: Float32Array,
  aT: boolean,
  b: Float32Array,
  c: Float32Array,
): void {
  const m4 = aT ? m : (m + 3) & ~3; // the kernel reads a transposed A in place (ragged rows in JS)
  const n8 = (n + 7) & ~7;
  const A = 0;
  const B = A + m4 * k;
  const C = B + k * n8;
  const arena = kernelArena(C + m4 * n8);
  const buf = arena.buf;
  buf.set(a, A);
  buf.fill(0, A + m * k, B);
  if (n8 === n) {
    buf.set(b, B);
    buf.set(c, C);
  } else {
    buf.fill(0, B, C + m4 * n8);
    for (let p = 0; p < k; p++) for (let j = 0; j < n; j++) buf[B + p * n8 + j] = b[p * n + j];
    for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) buf[C + i * n8 + j] = c[i * n + j];
  }
  if (aT) arena.gemm(m, n8, k, A, 1, B, n8, C, n8, m);
  else arena.gemm(m4, n8, k, A, k, B, n8, C, n8);
  if (n8 === n) c.set(buf.subarray(C, C + m * n));
  else for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) c[i * n + j] = buf[C + i * n8 + j];
}

/** m [rows, cols] -> a new [cols, rows]. */
export function transpose(m: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(rows * cols);
  transposeInto(m, 0, rows, cols, out, 0);
  return out;
}
