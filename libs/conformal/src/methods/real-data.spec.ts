import {
  arFitPredict,
  bootstrapLooResiduals,
  calibratorRegistry,
  coverage,
  predictAr,
  fitLeastSquaresAr,
} from '@seqcast/conformal';
import { sharedDataPath } from '@seqcast/core';
import { existsSync, readFileSync } from 'fs';

const file = sharedDataPath('forecasting', 'exchange_rate.csv');
const present = existsSync(file);
const describeWithData = present ? describe : describe.skip;
if (!present)
  console.warn(`libs/conformal real-data tests skipped: ${file} not found (set SEQCAST_SHARED_DATA)`);

describeWithData('on exchange_rate OT (../shared/data)', () => {
  const lines = present ? readFileSync(file, 'utf8').trim().split('\n') : [];
  const col = present ? lines[0].split(',').indexOf('OT') : 0;
  const y = Float64Array.from(lines.slice(1), (l) => Number(l.split(',')[col]));
  const order = 5;
  const tr = Math.floor(y.length * 0.7);
  const va = Math.floor(y.length * 0.8);

  it('split conformal and EnbPI cover near 0.9 out of sample (AR(5), alpha 0.1)', async () => {
    const model = fitLeastSquaresAr(
      y,
      order,
      Array.from({ length: tr - order }, (_, i) => order + i),
    );
    const split = calibratorRegistry.create('split', [0.1]);
    split.fit(Array.from({ length: va - tr }, (_, i) => y[tr + i] - predictAr(model, y, tr + i)));
    const rows = Array.from({ length: va - order }, (_, i) => order + i);
    const loo = await bootstrapLooResiduals(
      arFitPredict(y, order, (r) => rows[r]),
      { targets: Float64Array.from(rows, (t) => y[t]), models: 10, seed: 1 },
    );
    const enbpi = calibratorRegistry.create('enbpi', [0.1]);
    enbpi.fit(loo.residuals);
    const truth: number[] = [];
    const b = { split: [[], []] as number[][], enbpi: [[], []] as number[][] };
    for (let t = va; t < y.length; t++) {
      const p = predictAr(model, y, t);
      const s = split.interval([p])['90'];
      const e = enbpi.interval([p])['90'];
      b.split[0].push(s.lower[0]);
      b.split[1].push(s.upper[0]);
      b.enbpi[0].push(e.lower[0]);
      b.enbpi[1].push(e.upper[0]);
      truth.push(y[t]);
      enbpi.update([y[t]], [p]);
    }
    // Real data drift: a loose band around the target, not a sampling-error bound.
    expect(coverage(truth, b.split[0], b.split[1])).toBeGreaterThan(0.85);
    expect(Math.abs(coverage(truth, b.enbpi[0], b.enbpi[1]) - 0.9)).toBeLessThan(0.05);
  });
});
