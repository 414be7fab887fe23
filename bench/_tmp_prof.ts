import { selectBackend } from '@seqcast/tensor';
import * as tf from '@tensorflow/tfjs';
import { forecasterRegistry } from '@seqcast/forecast';
async function main() {
  await selectBackend('cpu');
  const cfg = JSON.parse(process.argv[2] ?? '{}');
  const m = forecasterRegistry.create('spacetime', cfg) as any;
  const N = 50, L = 336, H = 720;
  const batch = { x: tf.randomNormal([N, L]) as tf.Tensor2D, y: tf.randomNormal([N, H]) as tf.Tensor2D };
  const params = [...m.vars.values()];
  for (let rep = 0; rep < 2; rep++) {
    let t0 = Date.now();
    const l = tf.tidy(() => m.loss(batch, true)); l.dataSync(); l.dispose();
    const fwd = Date.now() - t0; t0 = Date.now();
    const { value, grads } = tf.variableGrads(() => m.loss(batch, true), params);
    value.dataSync(); tf.dispose([value, ...Object.values(grads)]);
    console.log('forward', fwd, 'ms; forward+backward', Date.now() - t0, 'ms');
  }
  const prof = await tf.profile(() => { const { value, grads } = tf.variableGrads(() => m.loss(batch, true), params); return [value, ...Object.values(grads)] as any; });
  const agg = new Map<string, { ms: number; n: number }>();
  for (const k of prof.kernels) { const ms = (await k.kernelTimeMs) as any; const e = agg.get(k.name) ?? { ms: 0, n: 0 }; e.ms += ms; e.n++; agg.set(k.name, e); }
  for (const [name, e] of [...agg.entries()].sort((a, b) => b[1].ms - a[1].ms).slice(0, 12)) console.log(name.padEnd(28), e.ms.toFixed(0).padStart(7), 'ms', e.n);
}
main();
