import { selectBackend } from '@seqcast/tensor';
import * as tf from '@tensorflow/tfjs';
import { forecasterRegistry } from '@seqcast/forecast';
async function main() {
  await selectBackend('cpu');
  const m = forecasterRegistry.create('spacetime', {}) as any;
  const N = 50, L = 336, H = 720;
  const batch = { x: tf.randomNormal([N, L]) as tf.Tensor2D, y: tf.randomNormal([N, H]) as tf.Tensor2D };
  const params = [...m.vars.values()];
  const prof = await tf.profile(() => {
    const { value, grads } = tf.variableGrads(() => m.loss(batch, true), params);
    return [value, ...Object.values(grads)] as any;
  });
  const agg = new Map<string, { ms: number; n: number }>();
  for (const k of prof.kernels) {
    const ms = typeof k.kernelTimeMs === 'number' ? k.kernelTimeMs : (await k.kernelTimeMs as any);
    const e = agg.get(k.name) ?? { ms: 0, n: 0 };
    e.ms += ms; e.n++; agg.set(k.name, e);
  }
  const rows = [...agg.entries()].sort((a, b) => b[1].ms - a[1].ms).slice(0, 20);
  for (const [name, e] of rows) console.log(name.padEnd(28), e.ms.toFixed(0).padStart(7), 'ms', e.n);
}
main();
