import { throwIfCancelled, Unprocessable, WorkContext } from '@seqcast/core';
import type { CalibratorState } from '@seqcast/conformal';

export interface CalibrateInput {
  backend: string;
  artifactRoot: string;
  artifactRef: string;
  kind: string;
  config: Record<string, unknown>;
  method: string;
  alpha: number[];
  options: Record<string, unknown>;
  /** Horizon steps with their own residual series (later steps reuse the last). */
  steps: number;
  /** Horizon the model is trained for: refitted models see windows of lookback + this. */
  fitHorizon: number;
  /** Windows scored per series (held-out) or pooled (bootstrap), evenly spaced. */
  maxWindows: number;
  /** B of the bootstrap ensemble (EnbPI, SPCI). */
  bootstrapModels: number;
  seed: number;
  /**
   * Values on the data's scale; `heldOutFrom`: first row after the training split (a series
   * the model was not trained on is scaled by its rows before it, as training would have).
   */
  series: {
    key: string;
    values: Float32Array;
    heldOutFrom: number;
    /** A channel of a multi-target model: scaled as channel `channel` of series `key` was in training. */
    scaleOf?: { key: string; channel: number; channels: number };
  }[];
}

export interface CalibrateOutput {
  states: { seriesKey: string; state: CalibratorState; residuals: number }[];
  windows: number;
}

interface Win {
  s: number;
  start: number;
}

/** Evenly spaced subset of at most `max` items, keeping the newest. */
function spaced<T>(items: T[], max: number): T[] {
  if (items.length <= max) return items;
  const every = items.length / max;
  return Array.from({ length: max }, (_, i) => items[items.length - 1 - Math.floor(i * every)]).reverse();
}

/**
 * Runs in a worker thread. Computes residuals of the model as the conformal method defines
 * them and fits one calibrator per series on them:
 * - split and ACI: held-out residuals of the trained model on windows after its training split;
 * - EnbPI and SPCI: leave-one-out residuals of a bootstrap ensemble of fresh models of the same
 *   kind and config, each fitted on a bootstrap sample of the pooled windows (every window a
 *   short series of lookback + horizon rows, so any registered forecaster can be refitted).
 * Every forecast goes through the model's pipeline (its scaling), so residuals are in the
 * data's units: truth minus forecast.
 */
export async function calibrate(input: CalibrateInput, ctx: WorkContext): Promise<CalibrateOutput> {
  const { selectBackend } = await import('@seqcast/tensor');
  const { ArtifactStore } = await import('@seqcast/tensor');
  const { forecasterRegistry, loadScaledForecaster, ScaledForecaster, SeriesScaler } =
    await import('@seqcast/forecast');
  const { calibratorRegistry, bootstrapLooResiduals } = await import('@seqcast/conformal');
  await selectBackend(input.backend as never);
  const loaded = await loadScaledForecaster(
    new ArtifactStore(input.artifactRoot),
    input.artifactRef,
    forecasterRegistry,
  );
  // Channels of a multi-target model are calibrated one by one, each under its trained scale.
  const borrowed = input.series.flatMap((x) => {
    const s = x.scaleOf && loaded.model.scaler.scalesOf(x.scaleOf.key, x.scaleOf.channels);
    return s ? [[x.key, s[x.scaleOf!.channel]] as const] : [];
  });
  const model = borrowed.length
    ? new ScaledForecaster(
        loaded.model.model,
        SeriesScaler.fromJSON({
          kind: 'per-series-standard',
          series: { ...loaded.model.scaler.toJSON().series, ...Object.fromEntries(borrowed) },
        }),
      )
    : loaded.model;
  for (const x of input.series)
    if (!model.scaler.has(x.key)) model.scaler.fit(x.key, [x.values], x.heldOutFrom);
  const L = model.lookback;
  const H = input.steps;
  const heldOut =
    calibratorRegistry.describe().find((d) => d.method === input.method)?.residuals === 'held-out';
  // residuals[s][h]: residuals of series s at step h, oldest first
  const residuals: number[][][] = input.series.map(() => Array.from({ length: H }, () => [] as number[]));
  const forecastOf = (w: Win) => ({
    seriesKey: input.series[w.s].key,
    history: [input.series[w.s].values.subarray(w.start, w.start + L)],
    horizon: H,
  });
  const truth = (w: Win, h: number) => input.series[w.s].values[w.start + L + h];
  let windows = 0;
  try {
    if (heldOut) {
      for (let s = 0; s < input.series.length; s++) {
        const x = input.series[s];
        const all: Win[] = [];
        for (let start = Math.max(0, x.heldOutFrom - L); start + L + H <= x.values.length; start++)
          all.push({ s, start });
        const wins = spaced(all, input.maxWindows);
        windows += wins.length;
        for (let i = 0; i < wins.length; i += 256) {
          throwIfCancelled(ctx.signal);
          const chunk = wins.slice(i, i + 256);
          const f = model.predictSeriesBatch(chunk.map(forecastOf));
          chunk.forEach((w, j) => {
            for (let h = 0; h < H; h++) residuals[s][h].push(truth(w, h) - f[j].at(h));
          });
        }
        ctx.progress((s + 1) / input.series.length, `residuals of ${s + 1} of ${input.series.length} series`);
      }
    } else {
      const all: Win[] = [];
      const span = L + Math.max(H, input.fitHorizon);
      input.series.forEach((x, s) => {
        for (let start = 0; start + span <= x.values.length; start++) all.push({ s, start });
      });
      const rows = spaced(all, input.maxWindows);
      windows = rows.length;
      if (rows.length < 10) {
        throw new Unprocessable(
          `only ${rows.length} windows of lookback ${L} + ${span - L} steps: too few for a bootstrap ensemble`,
          [{ field: 'steps', reason: 'series too short for this lookback and horizon' }],
        );
      }
      // One ensemble serves every step: each bootstrap sample is fitted once, its predictions
      // for all steps kept, and the per-step passes below read them back.
      const memo = new Map<string, Float64Array[]>();
      let fitted = 0;
      const fitPredictAll = async (train: Int32Array): Promise<Float64Array[]> => {
        const key = `${train.length}:${Array.from(train.subarray(0, 32)).join(',')}:${train.reduce((a, b) => a + b, 0)}`;
        const hit = memo.get(key);
        if (hit) return hit;
        throwIfCancelled(ctx.signal);
        // a fresh model in a pipeline sharing the trained model's scales: each window is
        // scaled as its series is
        const m = new ScaledForecaster(forecasterRegistry.create(input.kind, input.config), model.scaler);
        try {
          const trainSeries = Array.from(train, (r) => ({
            key: input.series[rows[r].s].key,
            train: [input.series[rows[r].s].values.subarray(rows[r].start, rows[r].start + span)],
          }));
          await m.fitKnownSeries(trainSeries, { signal: ctx.signal, progress: () => undefined });
          const preds = Array.from({ length: H }, () => new Float64Array(rows.length));
          for (let i = 0; i < rows.length; i += 256) {
            const chunk = rows.slice(i, i + 256);
            const f = m.predictSeriesBatch(chunk.map(forecastOf));
            chunk.forEach((_, j) => {
              for (let h = 0; h < H; h++) preds[h][i + j] = f[j].at(h);
            });
          }
          memo.set(key, preds);
          fitted++;
          ctx.progress(
            fitted / input.bootstrapModels,
            `bootstrap model ${fitted} of ${input.bootstrapModels}`,
          );
          return preds;
        } finally {
          m.dispose();
        }
      };
      for (let h = 0; h < H; h++) {
        const targets = Float64Array.from(rows, (w) => truth(w, h));
        const r = await bootstrapLooResiduals(
          async (train, predict) => {
            const all = await fitPredictAll(train);
            return Float64Array.from(predict, (i) => all[h][i]);
          },
          { targets, models: input.bootstrapModels, seed: input.seed, ctx },
        );
        rows.forEach((w, i) => residuals[w.s][h].push(r.residuals[i]));
      }
    }
  } finally {
    model.dispose();
  }
  const states = input.series.map((x, s) => {
    const cal = calibratorRegistry.create(input.method, input.alpha, input.options);
    cal.fit(residuals[s]);
    return { seriesKey: x.key, state: cal.toState(), residuals: residuals[s][0].length };
  });
  return { states, windows };
}
