import { throwIfCancelled, WorkContext } from '@seqcast/core';
import type { FitReport } from '@seqcast/forecast';
import { PointErrorAccumulator } from '@seqcast/numeric';

export interface TrainModelInput {
  kind: string;
  config: Record<string, unknown>;
  backend: string;
  artifactRoot: string;
  /** Standardised series: train rows, validation rows (reaching back by lookback), test rows likewise. */
  train: Float32Array[];
  valid: Float32Array[];
  test: Float32Array[];
  /** The pipeline's per-series scales (saved in the model's state), and the data schema (in the manifest). */
  scaler: unknown;
  dataSchema: unknown;
  /** Cap on test windows scored (evenly spaced), to bound evaluation time on long series. */
  maxTestWindows: number;
  /** Horizon the model is scored at (the model's requested horizon). */
  horizon: number;
}

export interface TrainModelOutput {
  artifactId: string;
  backend: string;
  lookback: number;
  maxHorizon: number;
  report: FitReport;
  /** Test metrics on the standardised scale (comparable across series and datasets). */
  test: { mse: number; mae: number; windows: number; horizon: number } | null;
}

/**
 * Runs in a worker thread (off the HTTP event loop): builds the model from the
 * registry, fits it, scores it on the test rows and saves the artifact. Only the
 * artifact id and figures go back to the caller.
 */
export async function trainModel(input: TrainModelInput, ctx: WorkContext): Promise<TrainModelOutput> {
  const { selectBackend, ArtifactStore } = await import('@seqcast/tensor');
  const { forecasterRegistry, saveForecaster, ScaledForecaster, SeriesScaler } =
    await import('@seqcast/forecast');
  const info = await selectBackend(input.backend as never);
  const model = forecasterRegistry.create(input.kind, input.config);
  try {
    const asSeries = (xs: Float32Array[]) => xs.filter((x) => x.length > 0).map((x) => [x]);
    const valid = asSeries(input.valid).filter((s) => s[0].length >= model.lookback + 1);
    const report = await model.fit(asSeries(input.train), valid.length ? valid : undefined, ctx);
    throwIfCancelled(ctx.signal);
    const test = scoreTest(
      model,
      input.test,
      Math.min(model.maxHorizon, input.horizon),
      input.maxTestWindows,
    );
    const pipeline = new ScaledForecaster(model, SeriesScaler.fromJSON(input.scaler));
    const manifest = await saveForecaster(new ArtifactStore(input.artifactRoot), pipeline, {
      dataSchema: input.dataSchema,
      metrics: {
        ...(report.validMse !== undefined ? { validMse: report.validMse } : {}),
        ...(test ? { testMse: test.mse, testMae: test.mae } : {}),
        trainSeconds: report.seconds,
      },
    });
    return {
      artifactId: manifest.id,
      backend: info.name,
      lookback: model.lookback,
      maxHorizon: model.maxHorizon,
      report,
      test,
    };
  } finally {
    model.dispose();
  }
}

function scoreTest(
  model: {
    lookback: number;
    predictBatch(c: Float32Array[][], h: number): { at(step: number, ch?: number): number }[];
  },
  test: Float32Array[],
  H: number,
  maxWindows: number,
): TrainModelOutput['test'] {
  const L = model.lookback;
  const refs: { s: number; start: number }[] = [];
  test.forEach((x, s) => {
    for (let start = 0; start + L + H <= x.length; start++) refs.push({ s, start });
  });
  if (!refs.length) return null;
  const every = Math.max(1, Math.ceil(refs.length / maxWindows));
  const picked = refs.filter((_, i) => i % every === 0);
  const acc = new PointErrorAccumulator();
  for (let i = 0; i < picked.length; i += 256) {
    const chunk = picked.slice(i, i + 256);
    const forecasts = model.predictBatch(
      chunk.map((r) => [test[r.s].subarray(r.start, r.start + L)]),
      H,
    );
    chunk.forEach((r, j) => {
      for (let h = 0; h < H; h++) {
        const y = test[r.s][r.start + L + h];
        if (Number.isFinite(y)) acc.addPoint(y, forecasts[j].at(h), NaN);
      }
    });
  }
  const { count, mse, mae } = acc.result();
  return count ? { mse, mae, windows: picked.length, horizon: H } : null;
}
