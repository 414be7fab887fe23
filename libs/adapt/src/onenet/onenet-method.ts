import { adapterMethod } from '../registry';
import { OneNetAdapter } from './onenet-adapter';
import { onenetSchema, type OneNetOptions } from './onenet-options';

export const onenetDefinition = adapterMethod({
  method: 'onenet',
  title: 'OneNet',
  description:
    "Two online branches around the frozen forecaster (a linear correction across time per variable, one across variables), each updated by Adam on its own loss once a window has all its labels, combined per variable by exponentiated gradient or the reference code's learned weight and bias.",
  schema: onenetSchema,
  create: (setup, options) => new OneNetAdapter(setup, options as OneNetOptions),
  restore: (snapshot, frozen) => OneNetAdapter.restore(snapshot, frozen),
});
