import type * as tf from '@tensorflow/tfjs';
import { ConfigOf, ConfigSchema } from '@seqcast/kit';
import type { AdapterSetup, AdapterSnapshot } from '../adapter';
import type { FrozenForecast } from '../frozen-forecast';
import { adapterMethod } from '../registry';
import { LowRankGatedModule } from './gated-module';
import { petsaPaperLoss, petsaReferenceLoss } from './losses';
import { ScheduledAdapter, scheduleFields, setupOf } from './scheduled-adapter';

export const petsaSchema = new ConfigSchema({
  ...scheduleFields,
  rank: {
    type: 'integer',
    default: 16,
    minimum: 1,
    maximum: 1024,
    description: "rank r of each module's map W = A B (16 in PETSA)",
  },
  loss: {
    type: 'string',
    default: 'paper',
    enum: ['paper', 'reference'],
    description:
      "'paper': Huber + freqWeight |FFT diff|_1 + structWeight patch-wise structural term (correlation, variance, mean per patch); 'reference': BorealisAI/PETSA's code (Huber + freqWeight |rfft diff| - Pearson + softmax KL + |mean diff|)",
  },
  huberDelta: {
    type: 'number',
    default: 0.5,
    exclusiveMinimum: 0,
    maximum: 100,
    description: 'delta of the Huber term (0.5 in PETSA)',
  },
  freqWeight: {
    type: 'number',
    default: 0.1,
    minimum: 0,
    maximum: 100,
    description: 'weight of the frequency term (0.1 in the reference code)',
  },
  structWeight: {
    type: 'number',
    default: 1,
    minimum: 0,
    maximum: 100,
    description: "weight of the patch-wise structural term ('paper' loss only)",
  },
  patchLength: {
    type: 'integer',
    default: 0,
    minimum: 0,
    maximum: 10000,
    description:
      "patch length of the structural term ('paper' loss); 0: the chunk's period; clipped to [2, labels of the step]",
  },
});

export type PetsaOptions = ConfigOf<typeof petsaSchema.fields>;

/**
 * PETSA (Medeiros et al. 2025, BorealisAI/PETSA): low-rank gated calibration modules (rank
 * 16, identity at start) on the input and output of a frozen forecaster, PETSA's loss, the
 * TAFAS schedule. Tens of times fewer parameters than TAFAS at long horizons (the full
 * H x H x V map dominates TAFAS's count); at L = H = 96 the ratio is about LV / (r (1 + V)).
 */
export class PetsaAdapter extends ScheduledAdapter<PetsaOptions> {
  readonly method = 'petsa';

  constructor(setup: AdapterSetup, options: PetsaOptions) {
    super(setup, options, (L, H, V, rng) => ({
      input: new LowRankGatedModule(L, V, options.rank, options.gatingInit, 'input', rng),
      output: new LowRankGatedModule(H, V, options.rank, options.gatingInit, 'output', rng),
    }));
  }

  protected loss(pred: tf.Tensor3D, truth: tf.Tensor3D, period: number): tf.Scalar {
    const o = this.options;
    const weights = {
      huberDelta: o.huberDelta,
      freqWeight: o.freqWeight,
      structWeight: o.structWeight,
      patchLength: o.patchLength > 0 ? o.patchLength : period,
    };
    return o.loss === 'reference'
      ? petsaReferenceLoss(pred, truth, weights)
      : petsaPaperLoss(pred, truth, weights);
  }

  static restore(snapshot: AdapterSnapshot, frozen: FrozenForecast): PetsaAdapter {
    const options = petsaSchema.parse(snapshot.options, 'petsa', 'snapshot.options');
    return new PetsaAdapter(setupOf(snapshot, frozen), options).load(snapshot);
  }
}

export const petsaDefinition = adapterMethod({
  method: 'petsa',
  title: 'PETSA (low-rank gated calibration)',
  description:
    "Low-rank gated calibration modules on the input and output of the frozen model, PETSA's Huber + frequency + structural loss, the TAFAS schedule.",
  schema: petsaSchema,
  create: (setup, options) => new PetsaAdapter(setup, options as PetsaOptions),
  restore: (snapshot, frozen) => PetsaAdapter.restore(snapshot, frozen),
});
