import { selectBackend } from '@seqcast/tensor';
import * as tf from '@tensorflow/tfjs';
import { fusedCtLstm, fusedRnn } from '../libs/events/src/nn/fused-recurrences';
async function main() {
  await selectBackend((process.env.BK as any) || 'cpu');
  const [B, T, H] = [64, 64, 32];
  const gaps = tf.randomUniform([B, T]) as tf.Tensor2D;
  const X = tf.randomNormal([B, T, 7 * H]) as tf.Tensor3D; const W = tf.randomNormal([H, 7 * H], 0, 0.2) as tf.Tensor2D;
  const E = tf.randomNormal([B * T, H]) as tf.Tensor2D;
  for (let r = 0; r < 4; r++) {
    let t0 = performance.now(); const y = fusedCtLstm(X, W, gaps); y.dataSync(); const f = performance.now() - t0; y.dispose();
    t0 = performance.now(); const mm = tf.matMul(E, W); mm.dataSync(); const m = performance.now() - t0; mm.dispose();
    const X1 = tf.randomNormal([B, T, 3 * H]) as tf.Tensor3D; const U = tf.randomNormal([H, 3 * H], 0, 0.2) as tf.Tensor2D;
    t0 = performance.now(); const g = fusedRnn(X1, U, 'gru'); g.dataSync(); const gr = performance.now() - t0;
    const big = tf.randomNormal([B, T, 6, H]);
    t0 = performance.now(); const q = tf.tanh(tf.exp(big)); q.dataSync(); const el = performance.now() - t0;
    console.log({ ctlstmFwd: f.toFixed(1), matMul: m.toFixed(1), gruFwd: gr.toFixed(1), twoElementwise786k: el.toFixed(1) });
  }
}
main();
