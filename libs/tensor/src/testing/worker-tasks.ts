import { throwIfCancelled, ValidationFailed, WorkContext } from '@seqcast/core';

/** Tasks for the worker-thread tests. */

/** Busy CPU work in slices, reporting progress and honouring cancellation between slices. */
export async function spin(
  input: { slices: number; sliceMs: number },
  ctx: WorkContext,
): Promise<{ done: number }> {
  for (let i = 0; i < input.slices; i++) {
    throwIfCancelled(ctx.signal);
    const end = Date.now() + input.sliceMs;
    while (Date.now() < end) {
      // burn CPU: this would freeze the caller's event loop if it ran there
    }
    ctx.progress((i + 1) / input.slices, `slice ${i + 1}`);
    await new Promise((r) => setImmediate(r));
  }
  return { done: input.slices };
}

/** Never yields, so only terminating the thread stops it. */
export function stuck(): never {
  for (;;) {
    // deliberately unresponsive
  }
}

export function fail(): never {
  throw new ValidationFailed('bad horizon', [{ field: 'horizon', reason: 'too long' }]);
}

/** A real training job in the thread: linear regression y = 2x - 1 through the Trainer. */
export async function trainLine(
  input: { epochs: number },
  ctx: WorkContext,
): Promise<{ w: number; b: number; backend: string }> {
  // Loaded here so that only the thread pays for tfjs.
  const tf = await import('@tensorflow/tfjs');
  const { Trainer, selectBackend } = await import('@seqcast/tensor');
  const info = await selectBackend('cpu');
  const xs = Array.from({ length: 64 }, (_, i) => i / 32 - 1);
  const w = tf.variable(tf.scalar(0));
  const b = tf.variable(tf.scalar(0));
  await new Trainer({
    epochs: input.epochs,
    batchSize: 16,
    learningRate: 0.1,
    seed: 1,
    stepEventIntervalMs: 0,
  }).fit(
    {
      params: [w, b],
      train: { size: xs.length, batch: (idx) => tf.tensor1d(idx.map((i) => xs[i])) },
      loss: (x) => tf.mean(tf.square(tf.sub(tf.add(tf.mul(x, w), b), tf.sub(tf.mul(x, 2), 1)))) as never,
    },
    ctx,
  );
  throwIfCancelled(ctx.signal);
  return { w: w.dataSync()[0], b: b.dataSync()[0], backend: info.name };
}

/** The kernel settings and tier the thread runs with (what it was handed, not its environment). */
export async function kernelsInThread(): Promise<{ native: boolean; isa: string; tier: string }> {
  const { configuredKernels, kernelTier } = await import('@seqcast/tensor');
  return { ...configuredKernels(), tier: kernelTier() };
}
