import { selectBackend } from '@seqcast/tensor';
import { detachedContext } from '@seqcast/core';
import { forecasterRegistry, simulateAr, SpaceTimeForecaster, ErrorAccumulator, WindowSet } from '@seqcast/forecast';
async function main() {
  await selectBackend('cpu');
  const truth = [0.6, -0.3, 0.2, 0.1];
  const y = simulateAr({ coefficients: truth, length: 3000, noiseStd: 1, seed: 21 });
  const train = y.subarray(0, 2400), valid = y.subarray(2400 - 32);
  const cfg = JSON.parse(process.argv[2] ?? '{}');
  const m = forecasterRegistry.create('spacetime', { lookback: 32, horizon: 8, modelDim: 16, kernelDim: 8, encoderKernels: 4, decoderKernels: 4, maWindows: 4, diffOrders: 4, maxMaWindow: 16, dropout: 0, epochs: 10, batchSize: 32, learningRate: 1e-2, patience: 0, normalisation: 'none', ...cfg }) as SpaceTimeForecaster;
  const t0 = Date.now();
  const rep = await m.fit([[train]], [[valid]], { ...detachedContext() });
  console.log('fit', (Date.now() - t0) / 1000, rep.epochs?.map((e) => `${e.loss.toFixed(3)}/${e.valMetric?.toFixed(3)}`).join(' '));
  const w = new WindowSet([[valid]], 32, 8);
  const one = new ErrorAccumulator(), hor = new ErrorAccumulator();
  const ctxs = Array.from({ length: w.size }, (_, r) => [w.input(r)]);
  const f = m.predictBatch(ctxs, 8);
  f.forEach((fc, r) => { one.add(fc.channel(0), w.target(r), 1); hor.add(fc.channel(0), w.target(r)); });
  console.log('one-step MSE', one.mse.toFixed(3), 'horizon MSE', hor.mse.toFixed(3), 'params', m.parameterCount);
}
main();
