import { throwIfCancelled, ValidationFailed, WorkContext } from '@seqcast/core';
import * as tf from '@tensorflow/tfjs';
import { Rng } from '@seqcast/numeric';
import { AdamW } from './adamw';
import { clipByGlobalNorm } from './clip';
import { bucketByLength } from './length-buckets';
import { WeightEma } from './ema';
import { createSchedule } from './schedules';
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

/** Lets queued messages (cancellation, HTTP in the same thread) through between steps. */
const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * The one training loop of the platform: seeded mini-batches, AdamW, a learning-rate
 * schedule, gradient clipping, optional weight EMA, early stopping with best-weights
 * restore, progress events and cancellation. Every tensor it makes is disposed by the
 * end of its step; the only tensors that persist are the optimiser's moments (freed
 * when fit returns) and the caller's parameters.
 */
export class Trainer {
  constructor(private readonly options: TrainerOptions) {
    const problems = [];
    if (!(options.epochs >= 1)) problems.push({ field: 'epochs', reason: 'must be at least 1' });
    if (!(options.batchSize >= 1)) problems.push({ field: 'batchSize', reason: 'must be at least 1' });
    if (!(options.learningRate > 0)) problems.push({ field: 'learningRate', reason: 'must be positive' });
    if (problems.length) throw new ValidationFailed('Invalid training options', problems);
  }

  async fit<B>(spec: FitSpec<B>, ctx: WorkContext): Promise<TrainingHistory> {
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
    const history: TrainingHistory = { epochs: [], stoppedEarly: false, steps: 0, seconds: 0 };
    let best: { metric: number; epoch: number; weights: tf.Tensor[] } | null = null;
    let sinceBest = 0;
    let lastStepEvent = 0;
    let globalStep = 0;

    const emit = (event: TrainingEvent) => {
      o.onEvent?.(event);
      const done = (event.epoch - 1 + event.step / event.steps) / event.epochs;
      const val = event.valMetric !== undefined ? ` val ${event.valMetric.toPrecision(4)}` : '';
      ctx.progress(
        Math.min(1, done),
        `epoch ${event.epoch}/${event.epochs} step ${event.step}/${event.steps} loss ${event.loss.toPrecision(4)}${val}`,
      );
    };
    const eta = () => {
      const elapsed = (Date.now() - started) / 1000;
      return globalStep > 0 ? (elapsed / globalStep) * (totalSteps - globalStep) : NaN;
    };

    try {
      for (let epoch = 1; epoch <= o.epochs; epoch++) {
        const epochStart = Date.now();
        let order = Array.from({ length: n }, (_, i) => i);
        if (o.shuffle !== false) rng.shuffle(order);
        const lengthOf = spec.train.lengthOf?.bind(spec.train);
        if (o.shuffle !== false && lengthOf) order = bucketByLength(order, lengthOf, o.batchSize, rng);
        let lossSum = 0;
        let lossCount = 0;
        let lr = schedule.lrAt(globalStep);
        for (let s = 0; s < steps; s++) {
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
      history.seconds = (Date.now() - started) / 1000;
      return history;
    } finally {
      if (best) tf.dispose(best.weights);
      ema?.dispose();
      optimizer.dispose();
    }
  }
}
