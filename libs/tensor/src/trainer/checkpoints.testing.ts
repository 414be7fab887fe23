import { detachedContext } from '@seqcast/core';
import type { TrainContext, TrainerCheckpoint } from './checkpoint';

/**
 * For specs of resumable training: a work context whose checkpoints are kept in memory, one
 * every step, and whose signal cancels the run right after the one at `globalStep` (as a
 * cancelled job is stopped). The last of `saved` is where the run stopped.
 */
export function stoppingAfterStep(globalStep: number): { ctx: TrainContext; saved: TrainerCheckpoint[] } {
  const controller = new AbortController();
  const saved: TrainerCheckpoint[] = [];
  const ctx: TrainContext = {
    ...detachedContext(),
    signal: controller.signal,
    checkpoints: {
      everySteps: 1,
      load: async () => null,
      save: async (c) => {
        saved.push(c);
        if (c.position.globalStep === globalStep) controller.abort('cancelled');
      },
    },
  };
  return { ctx, saved };
}

/** A work context that resumes from `checkpoint` and writes no more. */
export function resumingFrom(checkpoint: TrainerCheckpoint): TrainContext {
  return {
    ...detachedContext(),
    checkpoints: { everySteps: 0, load: async () => checkpoint, save: async () => undefined },
  };
}
