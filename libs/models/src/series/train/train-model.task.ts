import { throwIfCancelled, WorkContext } from '@seqcast/core';
import type { FitReport, Series } from '@seqcast/forecast';
import { PointErrorAccumulator } from '@seqcast/numeric';
import { TrainCheckpointInput, trainCheckpointPort } from './train-checkpoint-port';

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
  const splitCtx = refitting ? { ...ctx, progress: (f: number, m?: string) => ctx.progress(0.5 * f, m) } : ctx;
  let pipeline = servedPipeline(input.kind, input.config);
  try {
    const { model } = pipeline;
    // a validation part shorter than one window plus a step has nothing to score
    const report = await pipeline.fitSeries(
      input.series.map((s) => ({
        key: s.key,
        train: s.train,
        valid: s.valid[0]?.length >= model.lookback + 1 ? s.valid : undefined,
      })),
      input.checkpoint ? { ...splitCtx, checkpoints: trainCheckpointPort(input.checkpoint) } : splitCtx,
    );
    throwIfCancelled(ctx.signal);
    // scored on the split fit, which has not seen the test rows (the refit has)
    const test = scoreTest(
      model,
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
      const refitReport = await full.fitSeries(
        input.series.map((s) => ({ key: s.key, train: s.all ?? s.train })),
        { ...ctx, progress: (f: number, m?: string) => ctx.progress(0.5 + 0.5 * f, m) },
      );
      throwIfCancelled(ctx.signal);
      refit = { config, report: refitReport };
    }
    const manifest = await saveForecaster(new ArtifactStore(input.artifactRoot), pipeline, {
      // the manifest says what the weights learnt, as the version row does
      dataSchema: refitting ? { ...(input.dataSchema as Record<string, unknown>), fitOn: 'all' } : input.dataSchema,
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

/** Point errors of the fitted model on test rows already on its scale, every channel. */
function scoreTest(
  model: {
    lookback: number;
    predictBatch(c: Series[], h: number): { at(step: number, ch?: number): number }[];
  },
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
    const forecasts = model.predictBatch(
      chunk.map((r) => test[r.s].map((ch) => ch.subarray(r.start, r.start + L))),
      H,
    );
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
