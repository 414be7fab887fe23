import { ProgressFn, throwIfCancelled, WorkContext } from '@seqcast/core';
import type { FitReport, ScaledForecaster, Series, TimedFitOptions } from '@seqcast/forecast';
import { PointErrorAccumulator } from '@seqcast/numeric';
import { TrainCheckpointInput, withTrainCheckpoints } from './train-checkpoint-port';

/**
 * One series in the data's units, one array per target channel, split in time order: its
 * train rows, its validation rows and its test rows (the later parts reaching back by the lookback).
 */
export interface TrainSeries {
  key: string;
  train: Series;
  valid: Series;
  test: Series;
  /** Every row (fitOn 'all'): the refit learns these, scales included. */
  all?: Series;
  /** The time of each row of each part, on the run's time axis (timed fits only: see nominalGap). */
  times?: { train: Float64Array; valid: Float64Array; test: Float64Array; all?: Float64Array };
}

export interface TrainModelInput {
  kind: string;
  config: Record<string, unknown>;
  backend: string;
  artifactRoot: string;
  /** The series as read (unscaled): the model's pipeline fits each one's scales on its train rows. */
  series: TrainSeries[];
  /** The data schema (kept in the manifest). */
  dataSchema: unknown;
  /** Cap on test windows scored (evenly spaced), to bound evaluation time on long series. */
  maxTestWindows: number;
  /** Horizon the model is scored at (the model's requested horizon). */
  horizon: number;
  /** Where the Trainer writes its checkpoints, and whether it resumes the one there. */
  checkpoint?: TrainCheckpointInput;
  /**
   * 'all': after the split fit (its validation picks the settings, its test part is scored)
   * the model is refitted on every row of each series (`all`) and that fit is saved.
   */
  fitOn?: 'split' | 'all';
  /**
   * Set when the rows are unevenly spaced and the kind reads times (series-timing.ts): the
   * time that is one step; every series then carries `times` and the model is fitted, scored
   * and refitted with each step's gap.
   */
  nominalGap?: number;
}

export interface TrainModelOutput {
  artifactId: string;
  backend: string;
  lookback: number;
  maxHorizon: number;
  report: FitReport;
  /** The refit on every row (fitOn 'all'): its config and report. */
  refit?: { config: Record<string, unknown>; report: FitReport };
  /** Test metrics on the model's (standardised) scale: comparable across series and datasets. */
  test: { mse: number; mae: number; windows: number; horizon: number } | null;
}

/**
 * Runs in a worker thread (off the HTTP event loop): builds the model from the registry
 * inside its scaling pipeline, which fits each series' scale on its train rows and the model
 * on the scaled rows; scores it on the test rows and saves the artifact (the scales in its
 * state). Only the artifact id and figures go back to the caller.
 */
export async function trainModel(input: TrainModelInput, ctx: WorkContext): Promise<TrainModelOutput> {
  const { selectBackend, ArtifactStore } = await import('@seqcast/tensor');
  const { saveForecaster, servedPipeline, refitConfig } = await import('@seqcast/forecast');
  const info = await selectBackend(input.backend as never);
  const refitting = input.fitOn === 'all';
  // the split fit takes the first part of the progress bar when a refit follows
  const splitCtx = refitting
    ? { ...ctx, progress: ((f, m, metrics) => ctx.progress(0.5 * f, m, metrics)) satisfies ProgressFn }
    : ctx;
  let pipeline = servedPipeline(input.kind, input.config);
  try {
    const { model } = pipeline;
    const timed = input.nominalGap !== undefined ? { nominalGap: input.nominalGap } : undefined;
    const fitCtx = withTrainCheckpoints(splitCtx, input.checkpoint);
    // a validation part shorter than one window plus a step has nothing to score
    const parts = input.series.map((s) => {
      const scored = s.valid[0]?.length >= model.lookback + 1;
      return {
        key: s.key,
        train: s.train,
        valid: scored ? s.valid : undefined,
        trainTimes: s.times?.train ?? new Float64Array(0),
        validTimes: scored ? s.times?.valid : undefined,
      };
    });
    const report = timed
      ? await pipeline.fitTimedSeries(parts, fitCtx, timed)
      : await pipeline.fitSeries(parts, fitCtx);
    throwIfCancelled(ctx.signal);
    // scored on the split fit, which has not seen the test rows (the refit has)
    const test = scoreTest(
      timed ? timedPredictions(pipeline, input.series, timed) : model,
      input.series.map((s) => pipeline.scaler.apply(s.key, s.test)),
      Math.min(model.maxHorizon, input.horizon),
      input.maxTestWindows,
    );
    let refit: TrainModelOutput['refit'];
    if (refitting) {
      const config = refitConfig(input.kind, input.config, report);
      const full = servedPipeline(input.kind, config);
      pipeline.dispose();
      pipeline = full;
      // no checkpoints: they belong to the split fit, which a resumed job takes up first
      // its epochs stay off the job's loss curve: that curve is the split fit's, whose
      // validation chose how many epochs this refit runs
      const refitCtx = { ...ctx, progress: (f: number, m?: string) => ctx.progress(0.5 + 0.5 * f, m) };
      const refitReport = timed
        ? await full.fitTimedSeries(
            input.series.map((s) => ({
              key: s.key,
              train: s.all ?? s.train,
              trainTimes: s.times?.all ?? s.times!.train,
            })),
            refitCtx,
            timed,
          )
        : await full.fitSeries(
            input.series.map((s) => ({ key: s.key, train: s.all ?? s.train })),
            refitCtx,
          );
      throwIfCancelled(ctx.signal);
      refit = { config, report: refitReport };
    }
    const manifest = await saveForecaster(new ArtifactStore(input.artifactRoot), pipeline, {
      // the manifest says what the weights learnt, as the version row does
      dataSchema: refitting
        ? { ...(input.dataSchema as Record<string, unknown>), fitOn: 'all' }
        : input.dataSchema,
      metrics: {
        ...(report.validMse !== undefined ? { validMse: report.validMse } : {}),
        ...(test ? { testMse: test.mse, testMae: test.mae } : {}),
        trainSeconds: report.seconds + (refit?.report.seconds ?? 0),
      },
    });
    return {
      artifactId: manifest.id,
      backend: info.name,
      lookback: model.lookback,
      maxHorizon: model.maxHorizon,
      report,
      ...(refit ? { refit } : {}),
      test,
    };
  } finally {
    pipeline.dispose();
  }
}

interface WindowPredictor {
  lookback: number;
  /** Forecasts of test windows (series `s`, first row `start`), `contexts[i]` their first `lookback` rows. */
  predictWindows?(
    refs: { s: number; start: number }[],
    contexts: Series[],
    h: number,
  ): { at(step: number, ch?: number): number }[];
  predictBatch(c: Series[], h: number): { at(step: number, ch?: number): number }[];
}

/**
 * A timed model's test forecasts: each window's context with the times of its rows, and the
 * horizon at the times of the rows it is scored on (the model forecasts the stamps it is scored at).
 */
function timedPredictions(
  pipeline: ScaledForecaster,
  series: TrainSeries[],
  options: TimedFitOptions,
): WindowPredictor {
  const model = pipeline.timed!;
  return {
    lookback: model.lookback,
    predictBatch: (c, h) => model.predictBatch(c, h),
    predictWindows: (refs, contexts, h) =>
      model.predictTimedBatch(
        refs.map((r, i) => ({
          values: contexts[i],
          times: series[r.s].times!.test.subarray(r.start, r.start + model.lookback),
        })),
        refs.map((r) =>
          series[r.s].times!.test.subarray(r.start + model.lookback, r.start + model.lookback + h),
        ),
        options,
      ),
  };
}

/** Point errors of the fitted model on test rows already on its scale, every channel. */
function scoreTest(
  model: WindowPredictor,
  test: Series[],
  H: number,
  maxWindows: number,
): TrainModelOutput['test'] {
  const L = model.lookback;
  const refs: { s: number; start: number }[] = [];
  test.forEach((x, s) => {
    for (let start = 0; start + L + H <= (x[0]?.length ?? 0); start++) refs.push({ s, start });
  });
  if (!refs.length) return null;
  const every = Math.max(1, Math.ceil(refs.length / maxWindows));
  const picked = refs.filter((_, i) => i % every === 0);
  const acc = new PointErrorAccumulator();
  for (let i = 0; i < picked.length; i += 256) {
    const chunk = picked.slice(i, i + 256);
    const contexts = chunk.map((r) => test[r.s].map((ch) => ch.subarray(r.start, r.start + L)));
    const forecasts = model.predictWindows
      ? model.predictWindows(chunk, contexts, H)
      : model.predictBatch(contexts, H);
    chunk.forEach((r, j) => {
      for (let h = 0; h < H; h++) {
        test[r.s].forEach((ch, c) => {
          const y = ch[r.start + L + h];
          if (Number.isFinite(y)) acc.addPoint(y, forecasts[j].at(h, c), NaN);
        });
      }
    });
  }
  const { count, mse, mae } = acc.result();
  return count ? { mse, mae, windows: picked.length, horizon: H } : null;
}
