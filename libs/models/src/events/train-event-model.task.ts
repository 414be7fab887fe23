import { throwIfCancelled, WorkContext } from '@seqcast/core';
import type { EventSequence } from '@seqcast/events';
import type { ResumedFrom, TrainContext } from '@seqcast/tensor';
import type { EventTimeScale } from './event-artifacts';
import { TrainCheckpointInput, withTrainCheckpoints } from '../series/train/train-checkpoint-port';

export interface TrainEventModelInput {
  backend: string;
  artifactRoot: string;
  kind: string;
  config: Record<string, unknown>;
  numTypes: number;
  timeScale: EventTimeScale;
  /** Sequences in the dataset's unit (dataset time / timeScale.scale, each from its first event at 0). */
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
  /** The epoch whose weights were kept by early stopping; 0: the untrained start (the Poisson fit at init 'baseline'). */
  bestEpoch?: number;
  /**
   * Test log-likelihood per event in `unit` over the window `window` (LL_WINDOW), RMSE of the
   * predicted mean gap and of one draw in the same unit, type error rate: scored as the TPP
   * evaluation scores (scoreOnTest, its default points and draws, the job's seed).
   */
  test: {
    logLikelihoodPerEvent: number;
    unit: string;
    window: string;
    rmse: number;
    rmseDraw: number;
    errorRate: number;
    events: number;
  } | null;
  /** Where training took up from a checkpoint: "resumed at epoch 3 of 20, step 41 of 152". */
  resumed?: ResumedFrom;
}

/** Runs in a worker thread: fits an event model, scores it on the test sequences, saves it. */
export async function trainEventModel(
  input: TrainEventModelInput,
  ctx: WorkContext,
): Promise<TrainEventModelOutput> {
  const { selectBackend, ArtifactStore } = await import('@seqcast/tensor');
  const { eventModelRegistry, LL_WINDOW } = await import('@seqcast/events');
  const { scoreOnTest } = await import('@seqcast/eval');
  const { saveEventModel } = await import('./event-artifacts');
  const info = await selectBackend(input.backend as never);
  // the job's seed splits the data and seeds the model, as an evaluation's seed does
  const model = eventModelRegistry.create(
    input.kind,
    input.numTypes,
    eventModelRegistry.withSeed(input.kind, input.config, input.seed),
  );
  // neural kinds hand the checkpoints to the Trainer; the closed-form ones (Poisson, Hawkes) have none
  const fitCtx: TrainContext = withTrainCheckpoints(ctx, input.checkpoint);
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
      const { ll, metrics } = scoreOnTest(
        model,
        { numTypes: input.numTypes, sequences: scored },
        { seed: input.seed },
      );
      test = {
        logLikelihoodPerEvent: ll.perEvent,
        unit: input.timeScale.unit ?? 'as given',
        window: LL_WINDOW,
        rmse: metrics.rmse,
        rmseDraw: metrics.rmseDraw,
        errorRate: metrics.errorRate,
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
      ...(fit.bestEpoch !== undefined ? { bestEpoch: fit.bestEpoch } : {}),
      test,
      ...(fit.resumedFrom ? { resumed: fit.resumedFrom } : {}),
    };
  } finally {
    model.dispose();
  }
}
