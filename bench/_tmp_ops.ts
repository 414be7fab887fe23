import { selectBackend, fftConv } from '@seqcast/tensor';
import * as tf from '@tensorflow/tfjs';
import { addScaledSkip, closedLoopForecast, geluHead, mlpResidual, shiftedMse } from '../libs/forecast/src/spacetime/fused-ops';
import { companionKrylov, closedLoopRows } from '../libs/forecast/src/spacetime/companion-ssm';
async function main() {
  await selectBackend('cpu');
  const D = Number(process.argv[2] ?? 128), d = Number(process.argv[3] ?? 64), N = 50, L = 336, H = 720, K = D / 4;
  const t = (name: string, f: () => tf.Tensor | tf.Tensor[]) => { const t0 = Date.now(); const r = f(); (Array.isArray(r) ? r[0] : r).dataSync(); console.log(name.padEnd(30), Date.now() - t0, 'ms'); tf.dispose(r); };
  const z = tf.randomNormal([N, D, L]) as tf.Tensor3D;
  const W = tf.randomNormal([D, D]) as tf.Tensor2D; const b = tf.randomNormal([D]) as tf.Tensor1D;
  t('mlp fwd', () => mlpResidual(z, W, b));
  t('mlp fwd+bwd', () => tf.grads((a: tf.Tensor, w: tf.Tensor) => tf.sum(mlpResidual(a as any, w as any, b)))([z, W]));
  const kr = tf.randomNormal([K, L, d]) as tf.Tensor3D; const rows = tf.randomNormal([K, H, d]) as tf.Tensor3D;
  t('decoder fwd', () => closedLoopForecast(z, kr, rows, 4));
  t('decoder fwd+bwd', () => tf.grads((a: tf.Tensor, k: tf.Tensor, r: tf.Tensor) => tf.sum(closedLoopForecast(a as any, k as any, r as any, 4)))([z, kr, rows]));
  const y = tf.randomNormal([N, D, H]) as tf.Tensor3D; const w = tf.randomNormal([D, 1]); const hb = tf.randomNormal([1]);
  t('head fwd+bwd', () => tf.grads((a: tf.Tensor) => tf.sum(geluHead(a as any, w, hb)))([y]));
  const kk = tf.randomNormal([D, L]);
  t('fftConv fwd+bwd', () => tf.grads((a: tf.Tensor, k: tf.Tensor) => tf.sum(fftConv(a, k)))([z, kk]));
  t('skip fwd+bwd', () => tf.grads((a: tf.Tensor) => tf.sum(addScaledSkip(a as any, z, b)))([z]));
  t('shiftedMse fwd+bwd', () => tf.grads((a: tf.Tensor) => shiftedMse(a as any, z))([z]));
  const a2 = tf.randomNormal([K, d]) as tf.Tensor2D;
  t('krylov+rows fwd+bwd', () => tf.grads((a: tf.Tensor) => tf.add(tf.sum(companionKrylov(a as any, a2, L, true)), tf.sum(closedLoopRows(a as any, a2, a2, a2, H))))([a2]));
  t('dropout', () => tf.dropout(z, 0.25, undefined, 3));
}
main();
