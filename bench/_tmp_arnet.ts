import { selectBackend } from '@seqcast/tensor';
import { detachedContext } from '@seqcast/core';
import { ArNetForecaster, ClassicArForecaster, simulateAr, stpe, isStationary, forecasterRegistry } from '@seqcast/forecast';
async function main() {
  await selectBackend('cpu');
  const ctx = detachedContext();
  const truth = new Array(100).fill(0); truth[0] = 0.2; truth[2] = 0.3; truth[9] = -0.5;
  console.log('stationary', isStationary(truth));
  for (const cl of [0.1, 0.3, 1]) {
  const y = simulateAr({ coefficients: truth, length: 1100, noiseStd: 1, seed: 3 });
  const ar = forecasterRegistry.create('ar-net', { lags: 100, sparsity: 3 / 100, cLambda: cl, seed: 1 }) as ArNetForecaster;
  const t00 = Date.now();
  await ar.fit([[y]], undefined, ctx);
  const w = ar.coefficients().weights[0];
  const ca = new ClassicArForecaster({ order: 100, ridge: 0, maxHorizon: 10 });
  await ca.fit([[y]], undefined, ctx);
  const top = Array.from(w).map((v, i) => [Math.abs(v), i]).sort((a, b) => b[0] - a[0]).slice(0, 5);
  console.log(cl, 'arnet s', (Date.now() - t00) / 1000, "stpe", stpe(w, truth).toFixed(2), 'classic', stpe(ca.coefficients().lags, truth).toFixed(2), top.map(([v, i]) => `${i + 1}:${v.toFixed(3)}`).join(' '));
  }
  // dense AR(3)
  const t3 = [0.5, -0.3, 0.2];
  const y3 = simulateAr({ coefficients: t3, length: 2000, seed: 4 });
  const a3 = new ArNetForecaster({ ...forecasterRegistry.validate('ar-net', { lags: 3 }) } as never);
  await a3.fit([[y3]], undefined, ctx);
  const c3 = new ClassicArForecaster({ order: 3, ridge: 0, maxHorizon: 1 }); await c3.fit([[y3]], undefined, ctx);
  console.log('ar3', Array.from(a3.coefficients().weights[0]), stpe(a3.coefficients().weights[0], t3), stpe(c3.coefficients().lags, t3), stpe(a3.coefficients().weights[0], c3.coefficients().lags));
  // speed: 100k windows x 20 lags
  const t20 = new Array(20).fill(0).map((_, i) => (i < 3 ? [0.3, -0.2, 0.1][i] : 0));
  const big = simulateAr({ coefficients: t20, length: 100020, seed: 9 });
  const a20 = forecasterRegistry.create('ar-net', { lags: 20 }) as ArNetForecaster;
  const t0 = Date.now();
  const rep = await a20.fit([[big]], undefined, ctx);
  console.log('100k fit', (Date.now() - t0) / 1000, rep.epochs?.length, 'stpe', stpe(a20.coefficients().weights[0], t20));
}
main();
