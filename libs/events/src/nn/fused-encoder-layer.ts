import * as tf from '@tensorflow/tfjs';
import { multiply, transpose } from './arena-gemm';
import { addRows, columnSums, rowsOf } from './row-ops';
import { prefixAttentionCore } from './prefix-attention-core';
import { PrefixLimits } from './prefix-limits';
import { geluBackward, geluForward, layerNormBackward, layerNormForward } from './fused-norms';
import { pass } from './native-passes';

/** The weights of one post-norm encoder layer, in the order the op takes them. */
export interface EncoderLayerWeights {
  q: { W: tf.Tensor; b?: tf.Tensor };
  k: { W: tf.Tensor; b?: tf.Tensor };
  v: { W: tf.Tensor; b?: tf.Tensor };
  o: { W: tf.Tensor; b?: tf.Tensor };
  ln1: [tf.Tensor, tf.Tensor];
  ff1: { W: tf.Tensor; b?: tf.Tensor };
  ff2: { W: tf.Tensor; b?: tf.Tensor };
  ln2: [tf.Tensor, tf.Tensor];
  heads: number;
}

/**
 * A whole post-norm Transformer encoder layer as ONE tfjs op with a hand-written backward:
 *   a = LN1(x + attn(x) Wo + bo),  y = LN2(a + gelu(a W1 + b1) W2 + b2),
 * attn the multi-head prefix attention of an AttentionCore over q, k, v = x W + b.
 *
 * Why: as tfjs ops the layer is ~25 ops forward and ~60 backward (projections, bias adds,
 * reshapes, residuals and their gradient sums), each carrying tens of microseconds of
 * tfjs-cpu overhead on tensors of a few thousand rows of 32; THP and SAHP spend most of
 * their step there. Here the six products (q, k, v together) run on the wasm gemm and the
 * rest is one pass of JS loops each. Where the native kernels are in use the whole layer is
 * one native call each way instead (native-encoder-layer.ts). Checked against the layer in
 * tfjs ops in the spec, on every kernel tier.
 */
export function fusedEncoderLayer(l: EncoderLayerWeights, x: tf.Tensor3D, limits: PrefixLimits): tf.Tensor3D {
  const biases = [l.q, l.k, l.v, l.o, l.ff1, l.ff2].map((p) => p.b ?? tf.zeros([p.W.shape[1]!]));
  return encoderLayer([x, l.q.W, l.k.W, l.v.W, l.o.W, l.ff1.W, l.ff2.W, ...biases, ...l.ln1, ...l.ln2], l.heads, limits);
}

/**
 * The layer on x [B, T, d] and then its weights in the addon's order (Wq, Wk, Wv, Wo, W1, W2,
 * bq, bk, bv, bo, b1, b2, g1, be1, g2, be2): native-encoder-layer.ts where the native kernels
 * are in use, else the passes below.
 */
const encoderLayer = pass('encoderLayer', (inputs, heads, limits) => {
  const [B, T, d] = inputs[0].shape;
  const F = inputs[5].shape[1]!;
  const N = B * T;
  const core = prefixAttentionCore(B, T, T, d, heads, limits);
  const op = tf.customGrad(((...args: tf.Tensor[]) => {
    const ts = args.slice(0, inputs.length); // customGrad appends its save function
    const [xs, Wq, Wk, Wv, Wo, W1, W2, bq, bk, bv, bo, b1, b2, g1, be1, g2, be2] = ts.map((t) => t.dataSync() as Float32Array);
    // q, k and v in one product: x [N, d] times [Wq | Wk | Wv] [d, 3d]
    const Wqkv = sideBySide([Wq, Wk, Wv], d, d);
    const qkv = rowsOf(sideBySide([bq, bk, bv], 1, d), N);
    multiply(N, 3 * d, d, xs, false, Wqkv, qkv);
    const [qs, ks, vs] = columnBlocks(qkv, N, d, 3);
    const att = core.forward(qs, ks, vs);
    // r1 = x + bo + att Wo
    const r1 = addRows(xs, bo, d);
    multiply(N, d, d, att, false, Wo, r1);
    const ln1 = layerNormForward(r1, g1, be1, d);
    const a = ln1.y;
    const f1 = rowsOf(b1, N);
    multiply(N, F, d, a, false, W1, f1);
    const gelu = geluForward(f1);
    const r2 = addRows(a, b2, d);
    multiply(N, d, F, gelu.y, false, W2, r2);
    const ln2 = layerNormForward(r2, g2, be2, d);

    const gradFunc = (dy: tf.Tensor) => {
      const gy = dy.dataSync() as Float32Array;
      const back2 = layerNormBackward(gy, g2, ln2.saved, d);
      const dr2 = back2.dx;
      // r2 = a + b2 + G W2
      const dW2 = new Float32Array(F * d);
      multiply(F, d, N, gelu.y, true, dr2, dW2);
      const dG = new Float32Array(N * F);
      multiply(N, F, d, dr2, false, transpose(W2, F, d), dG);
      const dF1 = geluBackward(f1, gelu.th, dG);
      const dW1 = new Float32Array(d * F);
      multiply(d, F, N, a, true, dF1, dW1);
      const da = Float32Array.from(dr2);
      multiply(N, d, F, dF1, false, transpose(W1, d, F), da);
      const back1 = layerNormBackward(da, g1, ln1.saved, d);
      const dr1 = back1.dx;
      // r1 = x + bo + att Wo
      const dWo = new Float32Array(d * d);
      multiply(d, d, N, att, true, dr1, dWo);
      const dAtt = new Float32Array(N * d);
      multiply(N, d, d, dr1, false, transpose(Wo, d, d), dAtt);
      const { dq, dk, dv } = core.backward(dAtt);
      const dqkv = sideBySide([dq, dk, dv], N, d);
      const dWqkv = new Float32Array(d * 3 * d);
      multiply(d, 3 * d, N, xs, true, dqkv, dWqkv);
      const [dWq, dWk, dWv] = columnBlocks(dWqkv, d, d, 3);
      const dx = Float32Array.from(dr1);
      multiply(N, d, 3 * d, dqkv, false, transpose(Wqkv, d, 3 * d), dx);
      const t2 = (v: Float32Array, r: number, c: number) => tf.tensor2d(v, [r, c]);
      const t1 = (v: Float32Array) => tf.tensor1d(v);
      return [
        tf.tensor3d(dx, [B, T, d]),
        t2(dWq, d, d),
        t2(dWk, d, d),
        t2(dWv, d, d),
        t2(dWo, d, d),
        t2(dW1, d, F),
        t2(dW2, F, d),
        t1(columnSums(dq, d)),
        t1(columnSums(dk, d)),
        t1(columnSums(dv, d)),
        t1(columnSums(dr1, d)),
        t1(columnSums(dF1, F)),
        t1(columnSums(dr2, d)),
        t1(back1.dg),
        t1(back1.db),
        t1(back2.dg),
        t1(back2.db),
      ];
    };
    return { value: tf.tensor3d(ln2.y, [B, T, d]), gradFunc };
  }) as never); // customGrad's typing wants (Tensor | GradSaveFunc)[] parameters
  return op(...inputs) as tf.Tensor3D;
});

/** Row-major blocks [rows, c] side by side -> [rows, blocks.length * c]. */
function sideBySide(blocks: Float32Array[], rows: number, c: number): Float32Array {
  const n = blocks.length;
  const out = new Float32Array(rows * n * c);
  for (let r = 0; r < rows; r++)
    for (let k = 0; k < n; k++) out.set(blocks[k].subarray(r * c, (r + 1) * c), (r * n + k) * c);
  return out;
}

/** The inverse of sideBySide: [rows, n * c] -> n blocks [rows, c]. */
function columnBlocks(m: Float32Array, rows: number, c: number, n: number): Float32Array[] {
  return Array.from({ length: n }, (_, k) => {
    const out = new Float32Array(rows * c);
    for (let r = 0; r < rows; r++) out.set(m.subarray((r * n + k) * c, (r * n + k + 1) * c), r * c);
    return out;
  });
}
