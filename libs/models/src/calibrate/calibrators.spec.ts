import { ForecastService } from '../series/forecast/forecast.service';
import { AR, ArFixture, bootWithArModel } from '../testing/ar-series-model';
import { CalibrationService } from './calibration.service';
import { CalibratorsModule } from './calibrators.module';

jest.setTimeout(60_000);

describe('CalibratorsModule on its own (SQLite in memory, in-process queue)', () => {
  let fx: ArFixture;
  beforeAll(async () => {
    fx = await bootWithArModel(CalibratorsModule);
  });
  afterAll(() => fx?.app.close());

  it('fits split conformal on held-out residuals: bounds are the hand-computed conformal quantile', async () => {
    const { app, modelId, seriesKey } = fx;
    const calibrators = app.get(CalibrationService);
    const { job } = await calibrators.create(modelId, { method: 'split', alpha: [0.1] });
    const done = await app.settle(job.id);
    expect(done.error).toBeNull();

    // Every window after the training split (its context may reach back into it), scored
    // with the least-squares AR's forecasts: residual = truth - forecast in the data's units.
    const residuals: number[][] = Array.from({ length: AR.horizon }, () => []);
    for (let start = AR.trainEnd - AR.order; start + AR.order + AR.horizon <= AR.rows; start++) {
      const f = AR.reference.forecast(start + AR.order, AR.horizon);
      for (let h = 0; h < AR.horizon; h++) residuals[h].push(AR.values[start + AR.order + h] - f[h]);
    }
    const n = residuals[0].length;
    expect(n).toBe(69);
    expect((done.result as { windows: number }).windows).toBe(n);
    // q: the ceil((n + 1)(1 - alpha)) = ceil(70 * 0.9) = 63rd smallest |residual|
    const q = residuals.map((r) => r.map(Math.abs).sort((a, b) => a - b)[62]);

    const point = AR.reference.forecast(AR.rows, AR.horizon);
    const served = await app.get(ForecastService).forecast(modelId, { seriesKey, horizon: AR.horizon });
    expect(served.interval?.method).toBe('split');
    served.steps.forEach((s, h) => {
      expect(s['lo-90']).toBeCloseTo(point[h] - q[h], 3);
      expect(s['hi-90']).toBeCloseTo(point[h] + q[h], 3);
    });

    // the truth of the served forecast arrives: its residual is truth minus the point
    const obs = await calibrators.observe(modelId, { seriesKey, values: [served.steps[0].value + 1.5] });
    expect(obs.residuals[0]).toBeCloseTo(1.5, 4);
  });

  it("fits EnbPI on the served model's held-out residuals at origins originEvery apart, centred on the served forecast", async () => {
    const { app, modelId, seriesKey } = fx;
    const calibrators = app.get(CalibrationService);
    const { calibrator, job } = await calibrators.create(modelId, {
      method: 'enbpi',
      alpha: [0.1],
      options: { symmetric: true },
      calibration: { originEvery: 2 },
    });
    expect((await app.settle(job.id)).error).toBeNull();
    // origins rows - horizon, rows - horizon - 2, ... down to the training split, oldest first
    const origins: number[] = [];
    for (let t = AR.rows - AR.horizon; t >= AR.trainEnd; t -= 2) origins.unshift(t);
    const residuals = Array.from({ length: AR.horizon }, (_, h) =>
      origins.map((t) => AR.values[t + h] - AR.reference.forecast(t, AR.horizon)[h]),
    );
    // EnbPI symmetric: the linear-interpolation 0.9 quantile of |e| (numpy's default), written here
    const q = residuals.map((r) => {
      const a = r.map(Math.abs).sort((x, y) => x - y);
      const pos = (a.length - 1) * 0.9;
      const i = Math.floor(pos);
      return a[i] + (pos - i) * (a[Math.min(i + 1, a.length - 1)] - a[i]);
    });
    const point = AR.reference.forecast(AR.rows, AR.horizon);
    const served = await app.get(ForecastService).forecast(modelId, { seriesKey, horizon: AR.horizon });
    expect(served.interval?.method).toBe('enbpi');
    served.steps.forEach((s, h) => {
      expect(s['lo-90']).toBeCloseTo(point[h] - q[h], 3);
      expect(s['hi-90']).toBeCloseTo(point[h] + q[h], 3);
    });
    const state = await calibrators.state(modelId, calibrator.id);
    expect(state.series[0].steps.map((s) => s.seen)).toEqual(Array(AR.horizon).fill(origins.length));
  });
});
