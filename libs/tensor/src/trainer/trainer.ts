import { EpochMetrics, throwIfCancelled, ValidationFailed } from '@seqcast/core';
import * as tf from '@tensorflow/tfjs';
import { Rng } from '@seqcast/numeric';
import { AdamW } from './adamw';
import { clipByGlobalNorm } from './clip';
import { bucketByLength } from './length-buckets';
import { WeightEma } from './ema';
import { createSchedule } from './schedules';
import { resumedFrom, TrainContext, TrainerCheckpoint } from './checkpoint';
import {
  EpochRecord,
  FitSpec,
  TrainableParams,
  TrainerOptions,
  TrainingEvent,
  TrainingHistory,
} from './types';

export function resolveParams(params: TrainableParams): tf.Variable[] {
  if (Array.isArray(params)) return params;
  return params.trainableWeights.map((w) => w.read() as tf.Variable);
}

function assignAll(params: tf.Variable[], values: tf.Tensor[]): void {
  params.forEach((p, i) => p.assign(values[i]));
}

/** An ended epoch as progress reports it (the validation metric only when there is one). */
function epochMetrics(e: { epoch: number; epochs: number; loss: number; valMetric?: number }): EpochMetrics {
  return {
    epoch: e.epoch,
    epochs: e.epochs,
    loss: e.loss,
    ...(e.valMetric !== undefined ? { valLoss: e.valMetric } : {}),
  };
}

/** Lets queued messages (cancellation, HTTP in the same thread) through between steps. */
const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * The one training loop of the platform: seeded mini-batches, AdamW, a learning-rate
 * schedule, gradient clipping, optional weight EMA, early stopping with best-weights
 * restore, progress events and cancellation. Every tensor it makes is disposed by the
 * end of its step; the only tensors that persist are the optimiser's moments (freed
 * when fit returns) and the caller's parameters.
 *
 * Given checkpoints (ctx.checkpoints), it writes one every `everySteps` steps, at every epoch
 * end and when cancelled, and resumes from the one `load` returns: the resumed run takes the
 * same steps with the same batches and random draws as one that never stopped, so it ends
 * with the same weights (see checkpoint.ts for what is kept).
 */
export class Trainer {
  constructor(private readonly options: TrainerOptions) {
    const problems = [];
    if (!(options.epochs >= 1)) problems.push({ field: 'epochs', reason: 'must be at least 1' });
    if (!(options.batchSize >= 1)) problems.push({ field: 'batchSize', reason: 'must be at least 1' });
    if (!(options.learningRate > 0)) problems.push({ field: 'learningRate', reason: 'must be positive' });
    if (problems.length) throw new ValidationFailed('Invalid training options', problems);
  }

  async fit<B>(spec: FitSpec<B>, ctx: TrainContext): Promise<TrainingHistory> {
    const o = this.options;
    const params = resolveParams(spec.params);
    const n = spec.train.size;
    if (n < 1)
      throw new ValidationFailed('No training rows', [{ field: 'train', reason: 'dataset is empty' }]);
    const fullBatches = Math.floor(n / o.batchSize);
    const steps = o.dropLast && fullBatches > 0 ? fullBatches : Math.ceil(n / o.batchSize);
    const totalSteps = steps * o.epochs;
    const schedule = createSchedule(o.schedule ?? { kind: 'constant' }, o.learningRate, totalSteps);
    const optimizer = new AdamW({
      beta1: o.beta1,
      beta2: o.beta2,
      epsilon: o.epsilon,
      weightDecay: o.weightDecay,
    });
    const ema = o.emaDecay ? new WeightEma(params, o.emaDecay) : null;
    const rng = new Rng(o.seed ?? 0);
    const es = o.earlyStopping;
    const sign = es?.mode === 'max' ? -1 : 1;
    const started = Date.now();
    let history: TrainingHistory = { epochs: [], stoppedEarly: false, steps: 0, seconds: 0 };
    let priorSeconds = 0;
    let best: { metric: number; epoch: number; weights: tf.Tensor[] } | null = null;
    let sinceBest = 0;
    let lastStepEvent = 0;
    let globalStep = 0;
    let firstEpoch = 1;
    let firstStep = 0;
    let finished = false;
    let resumedLoss = { sum: 0, count: 0 };
    let firstGlobalStep = 0;
    const checkpoints = ctx.checkpoints;
    let savedStep = -1;

    const emit = (event: TrainingEvent) => {
      o.onEvent?.(event);
      const done = (event.epoch - 1 + event.step / event.steps) / event.epochs;
      const val = event.valMetric !== undefined ? ` val ${event.valMetric.toPrecision(4)}` : '';
      // every message of a resumed run says so, so a job followed after the restart shows it
      const from = history.resumedFrom ? ` (${history.resumedFrom.message})` : '';
      ctx.progress(
        Math.min(1, done),
        `epoch ${event.epoch}/${event.epochs} step ${event.step}/${event.steps} loss ${event.loss.toPrecision(4)}${val}${from}`,
        event.type === 'epoch' ? epochMetrics(event) : undefined,
      );
    };
    const eta = () => {
      const elapsed = (Date.now() - started) / 1000;
      const since = globalStep - firstGlobalStep;
      return since > 0 ? (elapsed / since) * (totalSteps - globalStep) : NaN;
    };

    /** Writes where the run stands: `epoch` in progress with `step` of its steps taken. */
    const save = async (
      epoch: number,
      step: number,
      epochRng: number,
      loss: { sum: number; count: number },
      done: boolean,
    ) => {
      if (!checkpoints) return;
      const moments = optimizer.saveState(params);
      const emaState = ema?.saveState();
      const checkpoint: TrainerCheckpoint = {
        position: { epoch, step, steps, epochs: o.epochs, globalStep, finished: done },
        savedAt: new Date().toISOString(),
        state: {
          epochRng,
          lossSum: loss.sum,
          lossCount: loss.count,
          history: {
            ...history,
            epochs: [...history.epochs],
            seconds: priorSeconds + (Date.now() - started) / 1000,
          },
          best: best && { metric: best.metric, epoch: best.epoch },
          sinceBest,
          optimizerSteps: moments.steps,
          emaUpdates: emaState?.updates,
          schedule: schedule.saveState?.(),
          model: spec.state?.save(),
          shapes: params.map((p) => p.shape),
        },
        tensors: {
          params: params.map((p) => Float32Array.from(p.dataSync() as Float32Array)),
          m: moments.m,
          v: moments.v,
          ema: emaState?.values,
          best: best?.weights.map((w) => Float32Array.from(w.dataSync() as Float32Array)),
        },
      };
      await checkpoints.save(checkpoint);
      savedStep = globalStep;
    };

    try {
      const resumed = checkpoints ? await checkpoints.load() : null;
      if (resumed) {
        checkCompatible(resumed, params, steps, o.epochs);
        const st = resumed.state;
        params.forEach((p, i) =>
          tf.tidy(() => p.assign(tf.tensor(resumed.tensors.params[i], p.shape, 'float32'))),
        );
        optimizer.restoreState(params, {
          steps: st.optimizerSteps,
          m: resumed.tensors.m,
          v: resumed.tensors.v,
        });
        if (ema && resumed.tensors.ema)
          ema.restoreState({ values: resumed.tensors.ema, updates: st.emaUpdates ?? 0 });
        if (st.schedule) schedule.restoreState?.(st.schedule);
        if (st.model !== undefined) spec.state?.restore(st.model);
        if (st.best && resumed.tensors.best)
          best = {
            ...st.best,
            weights: resumed.tensors.best.map((w, i) => tf.tensor(w, params[i].shape, 'float32')),
          };
        sinceBest = st.sinceBest;
        rng.restore(st.epochRng);
        ({ epoch: firstEpoch, step: firstStep, globalStep, finished } = resumed.position);
        firstGlobalStep = globalStep;
        resumedLoss = { sum: st.lossSum, count: st.lossCount };
        priorSeconds = st.history.seconds;
        history = {
          ...st.history,
          epochs: [...st.history.epochs],
          resumedFrom: resumedFrom(resumed.position),
        };
        savedStep = globalStep;
        const at = Math.min(1, (firstEpoch - 1 + firstStep / steps) / o.epochs);
        const message = `${history.resumedFrom!.message} (saved ${resumed.savedAt})`;
        ctx.progress(at, message);
        // the epochs before the checkpoint again, so a follower's loss curve starts at the first
        for (const e of history.epochs) ctx.progress(at, message, epochMetrics({ ...e, epochs: o.epochs }));
      }

      // the untrained weights as epoch 0's candidate: a model initialised at a baseline keeps
      // it where training never beats it on the dev set (a resumed run has its best already)
      if (es?.scoreInitial && !resumed && spec.validate) {
        const metric = await spec.validate();
        if (Number.isFinite(metric)) best = { metric, epoch: 0, weights: params.map((p) => p.clone()) };
      }
      for (let epoch = firstEpoch; epoch <= o.epochs && !finished; epoch++) {
        const epochStart = Date.now();
        // the state the epoch's order is drawn from: a checkpoint inside the epoch keeps it, so
        // the resumed run draws the same order and takes the rest of the epoch's batches
        const epochRng = rng.state32;
        let order = Array.from({ length: n }, (_, i) => i);
        if (o.shuffle !== false) rng.shuffle(order);
        const lengthOf = spec.train.lengthOf?.bind(spec.train);
        if (o.shuffle !== false && lengthOf) order = bucketByLength(order, lengthOf, o.batchSize, rng);
        const resuming = epoch === firstEpoch;
        let lossSum = resuming ? resumedLoss.sum : 0;
        let lossCount = resuming ? resumedLoss.count : 0;
        let lr = schedule.lrAt(globalStep);
        for (let s = resuming ? firstStep : 0; s < steps; s++) {
          if (ctx.signal.aborted && savedStep !== globalStep)
            // a cancelled run keeps how far it got, for POST /models/:id/train {resume: true}
            await save(epoch, s, epochRng, { sum: lossSum, count: lossCount }, false);
          throwIfCancelled(ctx.signal);
          const rows = order.slice(s * o.batchSize, Math.min(n, (s + 1) * o.batchSize));
          lr = schedule.lrAt(globalStep);
          const batch = spec.train.batch(rows);
          let gradNorm: number | undefined;
          let lossValue: number;
          try {
            const { value, grads } = tf.variableGrads(() => spec.loss(batch, true), params);
            lossValue = value.dataSync()[0];
            const raw = params.map((p) => grads[p.name]);
            if (!Number.isFinite(lossValue)) {
              tf.dispose([value, ...raw]);
              throw new ValidationFailed(
                `Training diverged: loss is ${lossValue} at epoch ${epoch}, step ${s + 1}`,
                [
                  {
                    field: 'learningRate',
                    reason: 'the loss became non-finite; lower the learning rate or check the data for NaN',
                  },
                ],
              );
            }
            let used = raw;
            if (o.clipNorm) {
              const clipped = clipByGlobalNorm(raw, o.clipNorm);
              gradNorm = clipped.norm;
              used = clipped.grads;
              tf.dispose(raw);
            }
            optimizer.step(params, used, lr);
            tf.dispose([value, ...used]);
          } finally {
            tf.dispose(batch as unknown as tf.TensorContainer);
          }
          ema?.update();
          lossSum += lossValue;
          lossCount += 1;
          globalStep += 1;
          history.steps = globalStep;
          const now = Date.now();
          if (now - lastStepEvent >= (o.stepEventIntervalMs ?? 250)) {
            lastStepEvent = now;
            emit({
              type: 'step',
              epoch,
              epochs: o.epochs,
              step: s + 1,
              steps,
              loss: lossSum / lossCount,
              learningRate: lr,
              gradNorm,
              etaSeconds: eta(),
            });
          }
          // the epoch's end writes its own checkpoint after validation
          if (checkpoints?.everySteps && globalStep % checkpoints.everySteps === 0 && s + 1 < steps)
            await save(epoch, s + 1, epochRng, { sum: lossSum, count: lossCount }, false);
          await yieldToEventLoop();
        }

        // Validation (and the best-weights snapshot) uses the averaged weights when EMA is on.
        let live: tf.Tensor[] | null = null;
        if (ema) {
          live = params.map((p) => p.clone());
          const avg = ema.snapshot();
          assignAll(params, avg);
          tf.dispose(avg);
        }
        let valMetric: number | undefined;
        try {
          valMetric = spec.validate ? await spec.validate() : undefined;
        } finally {
          if (live) {
            assignAll(params, live);
            tf.dispose(live);
          }
        }
        const epochLoss = lossSum / Math.max(1, lossCount);
        const record: EpochRecord = {
          epoch,
          loss: epochLoss,
          valMetric,
          learningRate: lr,
          seconds: (Date.now() - epochStart) / 1000,
        };
        history.epochs.push(record);
        schedule.onEpochEnd?.(valMetric ?? epochLoss);

        let stop = false;
        if (es) {
          const metric = valMetric ?? epochLoss;
          if (!best || sign * metric < sign * best.metric - (es.minDelta ?? 0)) {
            if (best) tf.dispose(best.weights);
            const weights = ema ? ema.snapshot() : params.map((p) => p.clone());
            best = { metric, epoch, weights };
            sinceBest = 0;
          } else if (++sinceBest >= es.patience) {
            history.stoppedEarly = true;
            stop = true;
          }
        }
        emit({
          type: 'epoch',
          epoch,
          epochs: o.epochs,
          step: steps,
          steps,
          loss: epochLoss,
          valMetric,
          learningRate: lr,
          etaSeconds: stop ? 0 : eta(),
        });
        await save(epoch + 1, 0, rng.state32, { sum: 0, count: 0 }, stop || epoch === o.epochs);
        if (stop) break;
      }

      if (ema) {
        const avg = ema.snapshot();
        assignAll(params, avg);
        tf.dispose(avg);
      }
      if (best) {
        history.bestEpoch = best.epoch;
        history.bestMetric = best.metric;
        if (es?.restoreBest !== false) assignAll(params, best.weights);
      }
      history.seconds = priorSeconds + (Date.now() - started) / 1000;
      return history;
    } finally {
      if (best) tf.dispose(best.weights);
      ema?.dispose();
      optimizer.dispose();
    }
  }
}

/** A checkpoint fits this run when it has the same parameters (shapes) and the same epoch plan. */
function checkCompatible(cp: TrainerCheckpoint, params: tf.Variable[], steps: number, epochs: number): void {
  const problems: { field: string; reason: string }[] = [];
  const shapes = cp.state.shapes;
  if (shapes.length !== params.length || shapes.some((s, i) => s.join('x') !== params[i].shape.join('x')))
    problems.push({ field: 'checkpoint', reason: "its parameters have other shapes than this model's" });
  if (cp.position.steps !== steps)
    problems.push({
      field: 'checkpoint',
      reason: `it has ${cp.position.steps} steps per epoch, this run ${steps}`,
    });
  if (cp.position.epochs !== epochs)
    problems.push({
      field: 'checkpoint',
      reason: `it plans ${cp.position.epochs} epochs, this run ${epochs}`,
    });
  if (problems.length) throw new ValidationFailed('The checkpoint belongs to another training run', problems);
}
