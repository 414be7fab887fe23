import { throwIfCancelled, WorkContext } from '@seqcast/core';
import type { EventSequence } from '@seqcast/events';
import type { ResumedFrom, TrainContext } from '@seqcast/tensor';
import type { EventTimeScale } from './event-artifacts';
import { TrainCheckpointInput, trainCheckpointPort } from '../series/train/train-checkpoint-port';

export interface TrainEventModelInput {
  backend: string;
  artifactRoot: string;
  kind: string;
  config: Record<string, unknown>;
  numTypes: number;
  timeScale: EventTimeScale;
  /** Sequences in model time (dataset time / scale, starting at 0). */
  train: EventSequence[];
  dev: EventSequence[];
  test: EventSequence[];
  seed: number;
  /** Where the Trainer writes its checkpoints, and whether it resumes the one there. */
  checkpoint?: TrainCheckpointInput;
}

export interface TrainEventModelOutput {
  artifactId: string;
  backend: string;
  secondsPerEpoch: number;
  epochs: number;
  /** Test log-likelihood per event (model time unit), RMSE of the predicted mean gap (dataset unit), type error rate. */
  test: { logLikelihoodPerEvent: number; rmse: number; errorRate: number; events: number } | null;
  /** Where training took up from a checkpoint: "resumed at epoch 3 of 20, step 41 of 152". */
  resumed?: ResumedFrom;
}

/** Runs in a worker thread: fits an event model, scores it on the test sequences, saves it. */
export async function trainEventModel(
  input: TrainEventModelInput,
  ctx: WorkContext,
): Promise<TrainEventModelOutput> {
  const { selectBackend, ArtifactStore } = await import('@seqcast/tensor');
  const { eventModelRegistry } = await import('@seqcast/events');
  const { saveEventModel } = await import('./event-artifacts');
  const info = await selectBackend(input.backend as never);
  const model = eventModelRegistry.create(input.kind, input.numTypes, input.config);
  // neural kinds hand the checkpoints to the Trainer; the closed-form ones (Poisson, Hawkes) have none
  const fitCtx: TrainContext = input.checkpoint ? { ...ctx, checkpoints: trainCheckpointPort(input.checkpoint) } : ctx;
  try {
    const fit = await model.fit(
      { numTypes: input.numTypes, sequences: input.train },
      input.dev.length ? { numTypes: input.numTypes, sequences: input.dev } : null,
      fitCtx,
    );
    throwIfCancelled(ctx.signal);
    let test: TrainEventModelOutput['test'] = null;
    const scored = input.test.filter((s) => s.times.length >= 2);
    if (scored.length) {
      const ll = model.logLikelihood({ numTypes: input.numTypes, sequences: scored }, { seed: input.seed });
      const each = model.predictEachNext(scored, { samples: 64, seed: input.seed });
      let se = 0;
      let wrong = 0;
      const n = each.trueGap.length;
      for (let i = 0; i < n; i++) {
        se += ((each.gapMean[i] - each.trueGap[i]) * input.timeScale.scale) ** 2;
        if (each.typePred[i] !== each.trueType[i]) wrong++;
      }
      test = {
        logLikelihoodPerEvent: ll.perEvent,
        rmse: n ? Math.sqrt(se / n) : NaN,
        errorRate: n ? wrong / n : NaN,
        events: ll.events,
      };
    }
    const artifactId = await saveEventModel(new ArtifactStore(input.artifactRoot), model, input.timeScale, {
      ...(test
        ? {
            testLogLikelihoodPerEvent: test.logLikelihoodPerEvent,
            testRmse: test.rmse,
            testErrorRate: test.errorRate,
          }
        : {}),
      secondsPerEpoch: fit.secondsPerEpoch,
    });
    return {
      artifactId,
      backend: info.name,
      secondsPerEpoch: fit.secondsPerEpoch,
      epochs: fit.epochs.length,
      test,
      ...(fit.resumedFrom ? { resumed: fit.resumedFrom } : {}),
    };
  } finally {
    model.dispose();
  }
}
