import * as tf from '@tensorflow/tfjs';
import { borrowFloats, outputFloats } from '../kernels/borrowed-floats';
import { nativeKernels, NO_FLOATS } from '../kernels/native-kernels';
import { gemmInto } from '../kernels/strided-gemm';
import { kernelTier } from '../kernels/wasm-kernels';

/**
 * The position-wise linear map over channels of [B, H, L]: out[b] = W z[b] (+ bias [O] per
 * output channel), W [O, H], as one
 * differentiable op of B products on the strided gemm (native where built), reading and
 * writing the channels-first arrays where they lie. As tfjs ops it was a transpose to
 * [H, B L], one matMul and a transpose back, each way (HiSS's step spent 18% of its kernel
 * time in transposes). Backward: dz[b] = W^T dout[b] (W read transposed in place),
 * dW = sum_b dout[b] z[b]^T (z[b] transposed once into a scratch [L, H]). The native kernels
 * multiply groups of samples side by side instead (native/src/channel-ops-impl.h): at L = 10
 * (HiSS's chunks) a product per sample was mostly the gemm tile's padding.
 */
export function channelMix(z: tf.Tensor3D, w: tf.Tensor2D, bias?: tf.Tensor1D): tf.Tensor3D {
  const [B, H, L] = z.shape;
  const O = w.shape[0];
  const op = tf.customGrad((...args: unknown[]) => {
    const [zt, wt, bt] = args as tf.Tensor[];
    const save = args[bias ? 3 : 2] as tf.GradSaveFunc;
    save([zt, wt]);
    const zs = borrowFloats(zt);
    const ws = borrowFloats(wt);
    const out = outputFloats(B * O * L);
    const nk = kernelTier() === 'native' ? nativeKernels() : null;
    if (nk) nk.channelMixForward(zs, ws, bias ? borrowFloats(bt) : NO_FLOATS, B, H, L, O, out);
    else mixJs(zs, ws, bias ? borrowFloats(bt) : null, [B, H, L, O], out);
    const gradFunc = (gIn: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
      const g = borrowFloats(Array.isArray(gIn) ? gIn[0] : gIn);
      const zv = borrowFloats(saved[0]);
      const wv = borrowFloats(saved[1]);
      const dz = outputFloats(B * H * L);
      const dw = new Float32Array(O * H);
      const db = new Float64Array(bias ? O : 0);
      if (nk) nk.channelMixBackward(g, zv, wv, B, H, L, O, dz, dw, db);
      else mixBackwardJs(g, zv, wv, [B, H, L, O], dz, dw, bias ? db : null);
      const grads = [tf.tensor(dz, [B, H, L]), tf.tensor(dw, [O, H])];
      if (bias) grads.push(tf.tensor(Float32Array.from(db), [O]));
      return grads;
    };
    return { value: tf.tensor(out, [B, O, L]), gradFunc };
  });
  return (bias ? op(z, w, bias) : op(z, w)) as tf.Tensor3D;
}

/** The forward pass in JS: a product per sample on the strided gemm. */
function mixJs(
  zs: Float32Array,
  ws: Float32Array,
  bs: Float32Array | null,
  [B, H, L, O]: number[],
  out: Float32Array,
): void {
  // gemmInto accumulates: start from the bias (or zero)
  if (bs) {
    for (let b = 0; b < B; b++)
      for (let o = 0; o < O; o++) out.fill(bs[o], (b * O + o) * L, (b * O + o + 1) * L);
  } else out.fill(0);
  for (let b = 0; b < B; b++) gemmInto(O, L, H, ws, 0, H, 1, zs, b * H * L, L, out, b * O * L, L);
}

/** The backward pass in JS: dz written, dw and db accumulated. */
function mixBackwardJs(
  g: Float32Array,
  zv: Float32Array,
  wv: Float32Array,
  [B, H, L, O]: number[],
  dz: Float32Array,
  dw: Float32Array,
  db: Float64Array | null,
): void {
  dz.fill(0);
  const zT = new Float32Array(L * H);
  for (let b = 0; b < B; b++) {
    // dz[b] [H, L] = W^T [H, O] dout[b] [O, L]: A(i, p) = W[p H + i]
    gemmInto(H, L, O, wv, 0, 1, H, g, b * O * L, L, dz, b * H * L, L);
    for (let h = 0; h < H; h++) for (let l = 0; l < L; l++) zT[l * H + h] = zv[b * H * L + h * L + l];
    // dW [O, H] += dout[b] [O, L] z[b]^T [L, H]
    gemmInto(O, H, L, g, b * O * L, L, 1, zT, 0, H, dw, 0, H);
  }
  if (db)
    for (let b = 0; b < B; b++)
      for (let o = 0; o < O; o++) {
        let s = 0;
        for (let l = 0, at = (b * O + o) * L; l < L; l++) s += g[at + l];
        db[o] += s;
      }
}
