import { detachedContext } from '@seqcast/core';
import { selectBackend } from '@seqcast/tensor';
import * as tf from '@tensorflow/tfjs';
import { Forecast } from '../forecast';
import type { Forecaster } from '../forecaster';
import { NaiveForecaster } from '../baselines/naive';
import type { Series } from '../types';
import { ScaledForecaster } from './scaled-forecaster';
import { SeriesScaler } from './series-scaler';

/** Answers fixed scaled paths, whatever the context: point 1, quantiles +-2, two sample paths. */
function probabilisticStub(seen: Series[]): Forecaster {
  const stub = {
    kind: 'stub',
    config: {},
    lookback: 2,
    maxHorizon: 3,
    fitted: true,
    fit: async () => ({ windows: 0, seconds: 0 }),
    predict: (context: Series, h: number) => {
      seen.push(context);
      const c = (v: number) => Float32Array.from({ length: h }, () => v);
      return new Forecast({
        point: [c(1)],
        quantiles: new Map([
          [0.1, [c(-2)]],
          [0.9, [c(2)]],
        ]),
        samples: [[c(0)], [c(4)]],
      });
    },
    predictBatch: (cs: Series[], h: number) => cs.map((c) => stub.predict(c, h)),
    capabilities: { differentiable: false, update: 'none' as const },
    forward: () => {
      throw new Error('not differentiable');
    },
    update: async () => ({ windows: 0, seconds: 0 }),
    toArtifact: () => ({ kind: 'stub', config: {}, state: { own: 1 }, tensors: {} }),
    dispose: () => undefined,
  };
  return stub;
}

describe('ScaledForecaster', () => {
  beforeAll(() => selectBackend('cpu'));
  it('scales the context with the series scale and inverts point, quantiles and samples', () => {
    const seen: Series[] = [];
    const scaler = SeriesScaler.fromJSON({
      kind: 'per-series-standard',
      series: { a: { mean: 100, std: 10 } },
    });
    const p = new ScaledForecaster(probabilisticStub(seen), scaler);
    const f = p.predictSeries({
      seriesKey: 'a',
      history: [[0, 90, 120]],
      horizon: 3,
      meta: { modelVersion: 'v1' },
    });
    // Only the lookback's tail is read: (90 - 100) / 10 and (120 - 100) / 10.
    expect(seen[0].map((c) => Array.from(c))).toEqual([[-1, 2]]);
    expect(Array.from(f.channel(0))).toEqual([110, 110, 110]);
    expect(Array.from(f.quantile(0.1)[0])).toEqual([80, 80, 80]);
    expect(Array.from(f.quantile(0.9)[0])).toEqual([120, 120, 120]);
    expect(f.samples()!.map((s) => Array.from(s[0]))).toEqual([
      [100, 100, 100],
      [140, 140, 140],
    ]);
    expect(f.meta).toMatchObject({ seriesKey: 'a', modelVersion: 'v1' });
  });

  it('scales a series it never saw by its own history, and keeps its scales in the artifact', () => {
    const p = new ScaledForecaster(probabilisticStub([]), new SeriesScaler());
    // history 1, 3: mean 2, std 1, so scaled point 1 is 3.
    expect(Array.from(p.predict([Float32Array.from([1, 3])], 2).channel(0))).toEqual([3, 3]);
    p.scaler.fit('k', [Float32Array.from([0, 4])]);
    const a = p.toArtifact();
    expect(a.state).toEqual({
      own: 1,
      pipeline: { scaler: { kind: 'per-series-standard', series: { k: { mean: 2, std: 2 } } } },
    });
    let built: unknown;
    const back = ScaledForecaster.fromArtifact(a, (x) => ((built = x.state), probabilisticStub([])));
    expect(built).toEqual({ own: 1 });
    expect(back.scaler.scalesOf('k')).toEqual([{ mean: 2, std: 2 }]);
  });

  it('fits the scale on training rows and the model on the scaled rows', async () => {
    const p = new ScaledForecaster(new NaiveForecaster({ maxHorizon: 4 } as never));
    await p.fitSeries([{ key: 's', train: [Float32Array.from([2, 4, 6, 8])] }], detachedContext());
    // mean 5, population std sqrt(5); the naive forecast repeats the last value in data units.
    expect(p.scaler.scalesOf('s')).toEqual([{ mean: 5, std: Math.sqrt(5) }]);
    const f = p.predictSeries({ seriesKey: 's', history: [[1, 2, 3, 7]], horizon: 2 });
    // The model reads float32: 7 comes back up to that rounding.
    const back = Math.fround(Math.fround(2 / Math.sqrt(5)) * Math.sqrt(5) + 5);
    expect(Array.from(f.channel(0))).toEqual([back, back]);
    expect(back).toBeCloseTo(7, 5);
  });

  it('fits the model on known series under the scales it already holds', async () => {
    const seen: Series[][] = [];
    const model = {
      ...probabilisticStub([]),
      fit: async (train: Series[]) => (seen.push(train), { windows: 0, seconds: 0 }),
    };
    const scaler = SeriesScaler.fromJSON({
      kind: 'per-series-standard',
      series: { a: { mean: 10, std: 2 } },
    });
    const p = new ScaledForecaster(model, scaler);
    await p.fitKnownSeries([{ key: 'a', train: [Float32Array.from([8, 14])] }], detachedContext());
    // (8 - 10) / 2 and (14 - 10) / 2: the held scale, not one refitted on these rows
    expect(seen[0].map((s) => s.map((c) => Array.from(c)))).toEqual([[[-1, 2]]]);
    expect(p.scaler.scalesOf('a')).toEqual([{ mean: 10, std: 2 }]);
    await expect(
      p.fitKnownSeries([{ key: 'b', train: [Float32Array.from([1])] }], detachedContext()),
    ).rejects.toThrow("No scale for series 'b'");
  });
  it('has a forward on tensors that scales each context by itself, as predict does', () => {
    const p = new ScaledForecaster(new NaiveForecaster({ maxHorizon: 4 } as never));
    const ctx = [Float32Array.from([3, 5, 10]), Float32Array.from([1, 1, 1])];
    const expected = p.predict(ctx, 2);
    const out = tf.tidy(() =>
      p.forward(
        tf.tensor3d([
          [
            [3, 1],
            [5, 1],
            [10, 1],
          ],
        ]),
        2,
      ),
    );
    const v = out.arraySync();
    out.dispose();
    // [batch][step][channel]; the naive forecast repeats the last value, a constant channel stays itself.
    for (let h = 0; h < 2; h++) {
      expect(v[0][h][0]).toBeCloseTo(expected.at(h, 0), 4);
      expect(v[0][h][1]).toBe(1);
    }
    expect(expected.at(0, 0)).toBeCloseTo(10, 5);
  });
});
