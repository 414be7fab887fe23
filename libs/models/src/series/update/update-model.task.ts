import { throwIfCancelled, WorkContext } from '@seqcast/core';
import type { UpdateReport } from '@seqcast/forecast';
import type { UpdateObservation } from './update-rows';

export interface UpdateModelInput {
  /** The tfjs backend to select (in a worker thread); null runs on the caller's (in process). */
  backend: string | null;
  artifactRoot: string;
  /** The model version's artifact the update starts from (left as it is). */
  artifactId: string;
  /** The new rows in the data's units, in the model's series order (see update-rows.ts). */
  observations: UpdateObservation[];
  /** The new artifact's data schema (with `seen`, what the updated model has learnt). */
  dataSchema: unknown;
}

export interface UpdateModelOutput {
  artifactId: string;
  backend: string | null;
  report: UpdateReport;
}

/**
 * Loads a model version's artifact with its pipeline, feeds it the new rows on the scales
 * fitted in training (a series it has not seen gets its scale from its own rows) and saves
 * the updated model as a new artifact. Trained kinds run it in a worker thread; closed-form
 * kinds in process. Nothing is written unless the update succeeds.
 */
export async function updateModel(input: UpdateModelInput, ctx: WorkContext): Promise<UpdateModelOutput> {
  const { selectBackend, ArtifactStore } = await import('@seqcast/tensor');
  const { forecasterRegistry, loadScaledForecaster, saveForecaster } = await import('@seqcast/forecast');
  const backend = input.backend ? (await selectBackend(input.backend as never)).name : null;
  const store = new ArtifactStore(input.artifactRoot);
  ctx.progress(0.05, 'loading the model');
  const { model: pipeline } = await loadScaledForecaster(store, input.artifactId, forecasterRegistry);
  try {
    // The pipeline's own update maps positions to the scaler's keys; the keys are given here,
    // so the positions are the model's whatever order the scales were stored in.
    const scaled = input.observations.map((o) => {
      if (!o.known && !pipeline.scaler.has(o.key)) pipeline.scaler.fit(o.key, o.channels);
      return pipeline.scaler.apply(o.key, o.channels);
    });
    ctx.progress(0.1, `updating ${pipeline.kind} (${pipeline.capabilities.update})`);
    const report = await pipeline.model.update(scaled, ctx);
    throwIfCancelled(ctx.signal);
    ctx.progress(0.95, 'saving the updated model');
    const manifest = await saveForecaster(store, pipeline, {
      dataSchema: input.dataSchema,
      metrics: {
        updateWindows: report.windows,
        updateSeconds: report.seconds,
        ...(report.steps !== undefined ? { updateSteps: report.steps } : {}),
      },
    });
    return { artifactId: manifest.id, backend, report };
  } finally {
    pipeline.dispose();
  }
}
