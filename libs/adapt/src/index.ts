/**
 * @seqcast/adapt: online test-time adaptation of a frozen forecaster (PETSA, TAFAS, OneNet)
 * behind one Adapter port and a registry; the stream history that keeps every update to
 * labels already observed.
 */
export * from './adapter';
export { frozenForecast, scaleOf, type FrozenForecast, type DataForward } from './frozen-forecast';
export { StreamHistory } from './stream-history';
export {
  adapterRegistry,
  adapterMethod,
  AdapterRegistry,
  type AdapterDefinition,
  type AdapterRestore,
} from './registry';
export { OneNetAdapter } from './onenet/onenet-adapter';
export { onenetDefinition } from './onenet/onenet-method';
export { onenetSchema, type OneNetOptions } from './onenet/onenet-options';
export { exponentiatedGradient } from './onenet/exponentiated-gradient';
export * from './calibration';
import './methods';
