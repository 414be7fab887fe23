import * as tf from '@tensorflow/tfjs';
import { sizeOf } from './tensor-io';
import { take } from './elementwise-pool';
import { ElementwiseArgs, FastKernel, valuesOf } from './elementwise-types';

/**
 * Transpose for the cpu backend where the permutation keeps some leading axes and swaps
 * the two blocks after them ([B, C, L] -> [B, L, C], [M, N] -> [N, M], [B, T, H, D] ->
 * [B, H, D, T]): a batch of [M, N] -> [N, M] matrix transposes, done in 32 x 32 tiles.
 *
 * Why: the SSM block moves its [32, 64, 336] activations between channel-first (for the
 * convolution) and channel-last (for the channel mixing) and back in the gradient. An
 * untiled transpose writes one of the two arrays with a stride of M elements, touching a
 * new cache line per element; tiles keep both sides within 32 lines. A copy, so exact.
 * Other permutations go to the kernel registered before (the strided one).
 */
type Values = Float32Array | Int32Array | Uint8Array;
const TILE = 32;

export function transposeBatches(src: Values, out: Values, batches: number, M: number, N: number): void {
  for (let b = 0; b < batches; b++) {
    const base = b * M * N;
    for (let i0 = 0; i0 < M; i0 += TILE) {
      const i1 = Math.min(M, i0 + TILE);
      for (let j0 = 0; j0 < N; j0 += TILE) {
        const j1 = Math.min(N, j0 + TILE);
        for (let i = i0; i < i1; i++) {
          const from = base + i * N;
          for (let j = j0; j < j1; j++) out[base + j * M + i] = src[from + j];
        }
      }
    }
  }
}

/** The axis k where perm = [0, ..., p - 1, k, ..., r - 1, p, ..., k - 1], with p; or null. */
function blockSwap(perm: number[]): { p: number; k: number } | null {
  const r = perm.length;
  let p = 0;
  while (p < r && perm[p] === p) p++;
  if (p >= r - 1) return null;
  const k = perm[p];
  for (let d = p; d < r; d++) {
    const want = d - p < r - k ? k + (d - p) : p + (d - p - (r - k));
    if (perm[d] !== want) return null;
  }
  return { p, k };
}

function allocate(dtype: tf.DataType, n: number): Values {
  return dtype === 'int32' ? new Int32Array(n) : dtype === 'bool' ? new Uint8Array(n) : take(n);
}

function transpose(args: ElementwiseArgs): tf.TensorInfo | null {
  const x = (args.inputs as { x: tf.TensorInfo }).x;
  const perm = args.attrs.perm as number[];
  if (x.dtype !== 'float32' && x.dtype !== 'int32' && x.dtype !== 'bool') return null;
  const swap = blockSwap(perm);
  if (!swap) return null;
  const out = allocate(x.dtype, sizeOf(x.shape));
  transposeBatches(
    valuesOf(args, x) as Values,
    out,
    sizeOf(x.shape.slice(0, swap.p)),
    sizeOf(x.shape.slice(swap.p, swap.k)),
    sizeOf(x.shape.slice(swap.k)),
  );
  return args.backend.makeTensorInfo(
    perm.map((d) => x.shape[d]),
    x.dtype,
    out,
  );
}

export const TRANSPOSE_KERNELS: Array<[string, FastKernel]> = [['Transpose', transpose]];
