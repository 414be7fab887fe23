import { selectBackend } from '@seqcast/tensor';
import { detachedContext } from '@seqcast/core';
import { ArNetForecaster, simulateAr, stpe, forecasterRegistry } from '@seqcast/forecast';
async function main() {
  await selectBackend('cpu');
  const ctx = detachedContext();
  const truth = new Array(100).fill(0); truth[0] = 0.2; truth[2] = 0.3; truth[9] = -0.5;
  const y = simulateAr({ coefficients: truth, length: 1100, noiseStd: 1, seed: 3 });
  for (const [cl, bs, ep, lr] of [[0, 0, 0, 0]]) {
    const ar = forecasterRegistry.create('ar-net', { lags: 100, sparsity: 3 / 100, cLambda: cl, seed: 1, batchSize: bs, epochs: ep, learningRate: lr }) as ArNetForecaster;
    const t00 = Date.now();
    await ar.fit([[y]], undefined, ctx);
    const w = ar.coefficients().weights[0];
    const top = Array.from(w).map((v, i) => [Math.abs(v), i]).sort((a, b) => b[0] - a[0]).slice(0, 5);
    console.log(cl, bs, ep, lr, 's', (Date.now() - t00) / 1000, 'stpe', stpe(w, truth).toFixed(2), top.map(([v, i]) => `${i + 1}:${v.toFixed(3)}`).join(' '));
  }
}
main();
