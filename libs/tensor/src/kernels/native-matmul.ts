import { nativeKernels } from './native-kernels';
import { transposeInto } from './small-gemm';
import type { MatMulProblem } from './wasm-matmul';
import { kernelTier } from './wasm-kernels';

/**
 * Batched C = op(A) op(B) on the native gemm, straight on the tensors' arrays (the wasm
 * path copies tiles through an arena). A transposed is read in place (its strides); a
 * transposed B is copied once per distinct matrix to [k, n], the layout the kernel's
 * register tile loads. False (nothing written) where the native kernels are not in use.
 */
export function nativeMatMul(problem: MatMulProblem): boolean {
  const nk = kernelTier() === 'native' ? nativeKernels() : null;
  if (!nk) return false;
  const { a, b, out, transposeA, transposeB, k, n } = problem;
  let { batch, batchA, m } = problem;
  const batchB = problem.batchB;
  out.fill(0, 0, batch * m * n);
  if (batch === 0 || m === 0 || n === 0 || k === 0) return true;
  if (batchB === 1 && batchA === batch && !transposeA) {
    // a stack of row-major A's times one B is one taller product
    m *= batch;
    batch = batchA = 1;
  }
  let rowMajorB: Float32Array | null = null;
  let held = -1;
  for (let t = 0; t < batch; t++) {
    const bIndex = batchB === 1 ? 0 : t;
    let bs = b;
    let bOff = bIndex * k * n;
    if (transposeB) {
      if (held !== bIndex) {
        rowMajorB ??= new Float32Array(k * n);
        transposeInto(b, bOff, n, k, rowMajorB, 0);
        held = bIndex;
      }
      bs = rowMajorB!;
      bOff = 0;
    }
    const aOff = (batchA === 1 ? 0 : t) * m * k;
    nk.gemm(m, n, k, a, aOff, transposeA ? 1 : k, transposeA ? m : 1, bs, bOff, n, out, t * m * n, n);
  }
  return true;
}
