import type * as tf from '@tensorflow/tfjs';
import { ConfigOf, ConfigSchema } from '@seqcast/kit';
import type { AdapterSetup, AdapterSnapshot } from '../adapter';
import type { FrozenForecast } from '../frozen-forecast';
import { adapterMethod } from '../registry';
import { FullGatedModule } from './gated-module';
import { mseLoss } from './losses';
import { ScheduledAdapter, scheduleFields, setupOf } from './scheduled-adapter';

export const tafasSchema = new ConfigSchema({ ...scheduleFields });

export type TafasOptions = ConfigOf<typeof tafasSchema.fields>;

/**
 * TAFAS (Kim et al. 2025, kimanki/TAFAS): full gated calibration modules (L x L x V on the
 * input, H x H x V on the output) around a frozen forecaster, MSE loss, the TAFAS schedule.
 */
export class TafasAdapter extends ScheduledAdapter<TafasOptions> {
  readonly method = 'tafas';

  constructor(setup: AdapterSetup, options: TafasOptions) {
    super(setup, options, (L, H, V) => ({
      input: new FullGatedModule(L, V, options.gatingInit, 'input'),
      output: new FullGatedModule(H, V, options.gatingInit, 'output'),
    }));
  }

  protected loss(pred: tf.Tensor3D, truth: tf.Tensor3D): tf.Scalar {
    return mseLoss(pred, truth);
  }

  static restore(snapshot: AdapterSnapshot, frozen: FrozenForecast): TafasAdapter {
    const options = tafasSchema.parse(snapshot.options, 'tafas', 'snapshot.options');
    return new TafasAdapter(setupOf(snapshot, frozen), options).load(snapshot);
  }
}

export const tafasDefinition = adapterMethod({
  method: 'tafas',
  title: 'TAFAS (gated calibration modules)',
  description:
    'Full gated calibration modules on the input and output of the frozen model, MSE loss; full-label and partial-label steps in chunks of period + 1 (TAFAS).',
  schema: tafasSchema,
  create: (setup, options) => new TafasAdapter(setup, options as TafasOptions),
  restore: (snapshot, frozen) => TafasAdapter.restore(snapshot, frozen),
});
