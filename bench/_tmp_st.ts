import { selectBackend } from '@seqcast/tensor';
import { detachedContext } from '@seqcast/core';
import * as tf from '@tensorflow/tfjs';
import { forecasterRegistry, SpaceTimeForecaster } from '@seqcast/forecast';
import { ettSplits } from './forecast-data';
async function main() {
  await selectBackend('cpu');
  const d = ettSplits();
  const dims = JSON.parse(process.argv[2] ?? '{}');
  const m = forecasterRegistry.create('spacetime', { epochs: 1, maxWindowsPerEpoch: 500, patience: 0, ...dims }) as SpaceTimeForecaster;
  console.log('params', m.parameterCount, 'tensors', tf.memory().numTensors);
  const t0 = Date.now();
  const rep = await m.fit([[d.train]], undefined, { ...detachedContext(), onEvent: (e) => { if (e.type === 'step') console.log('step', e.step, e.loss.toFixed(3), ((Date.now() - t0) / e.step / 1000).toFixed(2), 's/step', (process.memoryUsage().rss / 2 ** 20).toFixed(0), 'MiB'); } });
  console.log('fit', rep.seconds, 's', rep.windows, 'windows;', (rep.seconds / Math.ceil(rep.windows / 50)).toFixed(2), 's/step; est epoch', ((rep.seconds / rep.windows) * 7585).toFixed(0), 's', 'tensors', tf.memory().numTensors);
}
main();
