import { selectBackend } from '@seqcast/tensor';
import * as tf from '@tensorflow/tfjs';
import { DEFAULT_HAWKES } from '../libs/events/src/hawkes/hawkes-params';
import { simulateHawkes } from '../libs/events/src/hawkes/simulate';
import { eventModelRegistry } from '../libs/events/src/registry';
import { fusedCtLstm } from '../libs/events/src/nn/fused-recurrences';
async function main() {
  await selectBackend((process.env.BK as any) || 'cpu');
  const kind = process.argv[2] || 'nhp';
  const train = simulateHawkes(DEFAULT_HAWKES, 64, 1, { endTime: 70 });
  const m: any = eventModelRegistry.create(kind, 3, { epochs: 1, batchSize: 64 });
  m.state.timeScale = 1;
  const batch = m.batchOf(train.sequences);
  console.log('T', batch.gaps.shape);
  const params = m.params.list();
  for (let r = 0; r < 3; r++) {
    let t0 = Date.now();
    tf.tidy(() => { const { value, grads } = tf.variableGrads(() => m.lossOf(batch, true, 1), params); value.dataSync(); Object.values(grads).forEach((g: any) => g.dataSync()); });
    const full = Date.now() - t0;
    t0 = Date.now();
    tf.tidy(() => { const ctx = m.encode(batch, true); ctx.perPos[0].dataSync(); });
    const enc = Date.now() - t0;
    t0 = Date.now();
    tf.tidy(() => { m.lossOf(batch, true, 1).dataSync(); });
    const fwd = Date.now() - t0;
    console.log({ full, enc, fwd });
  }
  const [B, T] = batch.gaps.shape; const H = 32;
  const X = tf.randomNormal([B, T, 7 * H]) as tf.Tensor3D; const W = tf.randomNormal([H, 7 * H], 0, 0.2) as tf.Tensor2D;
  let t0 = Date.now();
  const g = tf.grads((x: tf.Tensor, w: tf.Tensor) => tf.sum(fusedCtLstm(x as any, w as any, batch.gaps)));
  for (let r = 0; r < 3; r++) { t0 = Date.now(); tf.tidy(() => g([X, W]).forEach((q) => q.dataSync())); console.log('fused fwd+bwd ms', Date.now() - t0); }
}
main();
