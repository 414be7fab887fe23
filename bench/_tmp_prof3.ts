import { selectBackend } from '@seqcast/tensor';
import * as tf from '@tensorflow/tfjs';
import { DEFAULT_HAWKES } from '../libs/events/src/hawkes/hawkes-params';
import { simulateHawkes } from '../libs/events/src/hawkes/simulate';
import { eventModelRegistry } from '../libs/events/src/registry';
async function main() {
  await selectBackend((process.env.BK as any) || 'cpu');
  const kind = process.argv[2] || 'nhp';
  const train = simulateHawkes(DEFAULT_HAWKES, Number(process.argv[3] || 64), 1, { endTime: 70 });
  const m: any = eventModelRegistry.create(kind, 3, { epochs: 1, batchSize: 64 });
  const batch = m.batchOf(train.sequences);
  const params = m.params.list();
  for (let r = 0; r < 2; r++) tf.tidy(() => { const { value, grads } = tf.variableGrads(() => m.lossOf(batch, true, 1), params); value.dataSync(); });
  const prof = await tf.profile(() => tf.tidy(() => { const { value, grads } = tf.variableGrads(() => m.lossOf(batch, true, 1), params); value.dataSync(); Object.values(grads).forEach((g: any) => g.dataSync()); }));
  const by: Record<string, { n: number; ms: number }> = {};
  for (const k of prof.kernels) { const e = (by[k.name] ??= { n: 0, ms: 0 }); e.n++; e.ms += k.kernelTimeMs as number; }
  const rows = Object.entries(by).sort((a, b) => b[1].ms - a[1].ms).slice(0, 12);
  console.log('kernels', prof.kernels.length, rows.map(([k, v]) => `${k}:${v.n}x ${v.ms.toFixed(0)}ms`).join(' | '));
  const t0 = performance.now();
  tf.tidy(() => { const { value, grads } = tf.variableGrads(() => m.lossOf(batch, true, 1), params); value.dataSync(); });
  console.log('step ms', (performance.now() - t0).toFixed(0));
}
main();
