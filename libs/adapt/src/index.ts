/**
 * @seqcast/adapt: online test-time adaptation of a frozen forecaster (PETSA, TAFAS, OneNet)
 * behind one Adapter port and a registry; the stream history that keeps every update to
 * labels already observed.
 */
export * from './adapter';
export { frozenForecast, scaleOf, type FrozenForecast, type DataForward } from './frozen-forecast';
export { StreamHistory } from './stream-history';
export { adapterRegistry, adapterMethod, AdapterRegistry, type AdapterDefinition, type AdapterRestore } from './registry';
import './methods';
