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
  /** Horizon steps with their own residual series (by default the model's whole horizon). */
  steps: number;
  /** Most forecast origins whose residuals are computed per series (the latest ones). */
  maxWindows: number;
  /** Rows between consecutive forecast origins: the cadence the online truths will come at. */
  originEvery: number;
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
    /** Each row's time on the model's time axis (timed calibrations: see nominalGap). */
    times?: Float64Array;
  }[];
  /**
   * Set for a model trained with each step's gap (LS4 on unevenly spaced rows): its nominal
   * gap. Each origin's forecast then reads its context's times and is made at the times of the
   * truths it is scored against, as the train job's test figures are.
   */
  nominalGap?: number;
}

export interface CalibrateOutput {
  states: { seriesKey: string; state: CalibratorState; residuals: number }[];
  windows: number;
}

/**
 * The forecast origins a series is calibrated at: consecutive, `every` rows apart, the newest
 * whose whole horizon is in the data, none before the held-out rows; at most `max`, oldest
 * first. One cadence for the whole history: step h's residual series then has one time
 * spacing, the one the online truths continue it at.
 */
export function calibrationOrigins(
  length: number,
  heldOutFrom: number,
  horizon: number,
  every: number,
  max: number,
): number[] {
  const out: number[] = [];
  for (let t = length - horizon; t >= heldOutFrom && out.length < max; t -= every) out.push(t);
  return out.reverse();
}

/**
 * Runs in a worker thread. Computes the held-out residuals of the trained model, the one
 * forecasts are served from, and fits one calibrator per series on them. Every method, EnbPI
 * and SPCI included, is calibrated on the served model's residuals: its intervals are placed
 * around the served forecast, so the residuals must be of that forecast (a bootstrap
 * ensemble's leave-one-out residuals describe the ensemble aggregate, a different centre; see
 * README, "Conformal intervals"). Residuals: for each origin t from `calibrationOrigins` (after the
 * training split, `originEvery` apart) and each step h < steps, truth[t + h] minus the
 * forecast made from the `lookback` rows before t, through the model's pipeline (its
 * scaling), so in the data's units.
 */
export async function calibrate(input: CalibrateInput, ctx: WorkContext): Promise<CalibrateOutput> {
  const { selectBackend } = await import('@seqcast/tensor');
  const { ArtifactStore } = await import('@seqcast/tensor');
  const { forecasterRegistry, loadScaledForecaster, ScaledForecaster, SeriesScaler } =
    await import('@seqcast/forecast');
  const { calibratorRegistry } = await import('@seqcast/conformal');
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
  // residuals[s][h]: residuals of series s at step h, oldest origin first
  const residuals: number[][][] = input.series.map(() => Array.from({ length: H }, () => [] as number[]));
  let windows = 0;
  try {
    for (let s = 0; s < input.series.length; s++) {
      const x = input.series[s];
      const origins = calibrationOrigins(
        x.values.length,
        Math.max(L, x.heldOutFrom),
        H,
        input.originEvery,
        input.maxWindows,
      );
      if (!origins.length)
        throw new Unprocessable(
          `series '${x.key}' has no forecast origin after its training split with ${H} steps of truth`,
          [{ field: 'steps', reason: `series '${x.key}' too short for ${H} calibrated steps` }],
        );
      windows += origins.length;
      for (let i = 0; i < origins.length; i += 256) {
        throwIfCancelled(ctx.signal);
        const chunk = origins.slice(i, i + 256);
        const at = (t: number) => ({ seriesKey: x.key, history: [x.values.subarray(t - L, t)], horizon: H });
        const f =
          input.nominalGap !== undefined && x.times
            ? model.predictTimedSeriesBatch(
                chunk.map((t) => ({
                  ...at(t),
                  times: x.times!.subarray(t - L, t),
                  future: x.times!.subarray(t, t + H),
                })),
                { nominalGap: input.nominalGap },
              )
            : model.predictSeriesBatch(chunk.map(at));
        chunk.forEach((t, j) => {
          for (let h = 0; h < H; h++) residuals[s][h].push(x.values[t + h] - f[j].at(h));
        });
      }
      ctx.progress((s + 1) / input.series.length, `residuals of ${s + 1} of ${input.series.length} series`);
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
