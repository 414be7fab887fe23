import { Rng, TrainContext, TrainDataset } from '@seqcast/tensor';
import * as tf from '@tensorflow/tfjs';
import type { SequenceBatch } from './input-encoding';
import { NeuralSequenceModel, SequenceTrainingConfig } from './neural-sequence-model';
import { gruEncoder } from './sequence-encoders';
import type { SequenceFitReport, SequenceRow, SequenceSchema } from './types';

export interface ColesConfig extends SequenceTrainingConfig {
  pretrainEpochs: number;
  subsequences: number;
  minFraction: number;
  maxFraction: number;
  margin: number;
}

/** A random contiguous slice of a row, its length a uniform fraction of the row's in [lo, hi]. */
function randomSlice(r: SequenceRow, rng: Rng, lo: number, hi: number): SequenceRow {
  const L = r.times.length;
  const len = Math.max(1, Math.min(L, Math.round(L * (lo + (hi - lo) * rng.next()))));
  const start = rng.int(L - len + 1);
  const end = start + len;
  return {
    times: r.times.slice(start, end),
    numeric: r.numeric.slice(start, end),
    ...(r.categorical ? { categorical: r.categorical.slice(start, end) } : {}),
    target: r.target,
  };
}

/**
 * CoLES (Babaev et al., SIGMOD 2022): a GRU encoder pretrained without labels by contrastive
 * learning on random slices of the training sequences (slices of one sequence are positives,
 * of others negatives; the paper's margin loss on L2-normalised embeddings, over every pair
 * of the batch rather than its hard-negative sampling), then frozen while a linear head is
 * trained on the labels.
 */
export class ColesModel extends NeuralSequenceModel {
  constructor(schema: SequenceSchema, config: ColesConfig & Record<string, unknown>) {
    super('coles', schema, config, gruEncoder);
  }

  private get coles(): ColesConfig {
    return this.config as unknown as ColesConfig;
  }

  override async fit(
    train: SequenceRow[],
    valid: SequenceRow[] | undefined,
    ctx: TrainContext,
  ): Promise<SequenceFitReport> {
    const started = Date.now();
    this.prepare(train, valid);
    const c = this.coles;
    const rng = new Rng(c.seed * 31 + 5);
    const encoder = this.encoder!;
    const slices: TrainDataset<SequenceBatch> = {
      size: train.length,
      batch: (idx) => {
        const rows = idx.flatMap((i) =>
          Array.from({ length: c.subsequences }, () =>
            randomSlice(train[i], rng, c.minFraction, c.maxFraction),
          ),
        );
        const b = encoder.batch(rows);
        b.y.dispose();
        // the owner of each slice: equal owners are the positive pairs
        return {
          ...b,
          y: tf.tensor1d(Int32Array.from(idx.flatMap((i) => Array(c.subsequences).fill(i))), 'int32'),
        };
      },
    };
    const encoderParams = this.params!.list().filter((v) => v !== this.head!.W && v !== this.head!.b);
    const pre = await this.pretrain(encoderParams, slices, ctx);
    const head = [this.head!.W, this.head!.b!];
    const history = await this.trainParams(head, train, valid, ctx, (b, training) =>
      this.loss(this.forward(b, training), b.y),
    );
    return { ...history, pretrain: pre, seconds: (Date.now() - started) / 1000 };
  }

  private async pretrain(params: tf.Variable[], slices: TrainDataset<SequenceBatch>, ctx: TrainContext) {
    const t0 = Date.now();
    const c = this.coles;
    const trainer = this.trainer(c.pretrainEpochs, false);
    const h = await trainer.fit<SequenceBatch>(
      {
        params,
        train: slices,
        loss: (b) => colesLoss(this.net!.encode(b, true), b.y as tf.Tensor1D, c.margin),
      },
      { ...ctx, progress: () => undefined },
    );
    return {
      epochs: h.epochs.length,
      loss: h.epochs[h.epochs.length - 1].loss,
      seconds: (Date.now() - t0) / 1000,
    };
  }
}

/**
 * CoLES's contrastive margin loss: embeddings normalised to unit length, squared distance
 * for pairs of one owner, max(0, margin - distance)^2 for pairs of different owners, each
 * averaged over its pairs.
 */
export function colesLoss(embeddings: tf.Tensor2D, owners: tf.Tensor1D, margin: number): tf.Scalar {
  return tf.tidy(() => {
    const e = tf.div(embeddings, tf.add(tf.norm(embeddings, 2, 1, true), 1e-8));
    const n = e.shape[0];
    const d2 = tf.relu(tf.sub(2, tf.mul(2, tf.matMul(e, e, false, true))));
    const same = tf.cast(tf.equal(tf.expandDims(owners, 1), tf.expandDims(owners, 0)), 'float32');
    const pos = tf.sub(same, tf.eye(n));
    const neg = tf.sub(1, same);
    const dist = tf.sqrt(tf.add(d2, 1e-9));
    const posLoss = tf.div(tf.sum(tf.mul(pos, d2)), tf.maximum(tf.sum(pos), 1));
    const negLoss = tf.div(
      tf.sum(tf.mul(neg, tf.square(tf.relu(tf.sub(margin, dist))))),
      tf.maximum(tf.sum(neg), 1),
    );
    return tf.add(posLoss, negLoss) as tf.Scalar;
  });
}
