import type { EventSequence, TimeUnit } from '@seqcast/events';

/**
 * The unit a stored event dataset's times are given to models in: seconds for timestamped
 * datasets (stored as UTC milliseconds), the numbers as given otherwise. Training and
 * evaluation both go through here, so an LL per event from either is in the same unit and
 * the two agree on the same split and seed.
 */
export function datasetTimeUnit(timestamps: boolean): { unit: TimeUnit; perUnit: number } {
  return timestamps ? { unit: 'seconds', perUnit: 1000 } : { unit: 'as given', perUnit: 1 };
}

/** A stored sequence in `perUnit` raw units per unit, from its first event. */
export function inDatasetUnit(s: { times: Float64Array; types: Int32Array }, perUnit: number): EventSequence {
  return { times: Array.from(s.times, (t) => (t - s.times[0]) / perUnit), types: Array.from(s.types) };
}
