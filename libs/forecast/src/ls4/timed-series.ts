import { Unprocessable, ValidationFailed } from '@seqcast/core';
import type { Series } from '../types';

/**
 * A series with the time of each observation: irregular sampling (gaps, uneven timestamps).
 * `times` in any unit (UTC ms from the platform), strictly increasing, one per step.
 */
export interface TimedSeries {
  values: Series;
  times: ArrayLike<number>;
}

/**
 * The time that is one step (dt scale 1): a platform that knows its data's calendar passes it
 * (1 when times count steps of the dataset's frequency); without it a fit takes the median
 * training gap, and a forecast after a regular fit the context's median gap.
 */
export interface TimedFitOptions {
  nominalGap?: number;
}

/** Times are finite, strictly increasing and one per step; `status` picks fit's 400 or predict's 422. */
export function checkTimes(
  times: ArrayLike<number>,
  length: number,
  field: string,
  status: 'validation' | 'unprocessable' = 'validation',
): void {
  const Err = status === 'validation' ? ValidationFailed : Unprocessable;
  if (!times || times.length !== length)
    throw new Err(`${field} needs one time per step (${length})`, [
      { field, reason: `expected ${length} times, got ${times?.length ?? 0}` },
    ]);
  for (let i = 0; i < length; i++) {
    if (!Number.isFinite(times[i]) || (i > 0 && !(times[i] > times[i - 1])))
      throw new Err(`${field} must be finite and strictly increasing`, [
        { field: `${field}[${i}]`, reason: 'not finite or not after the previous time' },
      ]);
  }
}

/** The median gap between consecutive times over all the series: the nominal step (dt scale 1). */
export function nominalGap(timeLists: ArrayLike<number>[]): number {
  const gaps: number[] = [];
  for (const t of timeLists) for (let i = 1; i < t.length; i++) gaps.push(t[i] - t[i - 1]);
  if (!gaps.length) return 1;
  gaps.sort((a, b) => a - b);
  const m = gaps.length >> 1;
  return gaps.length % 2 ? gaps[m] : 0.5 * (gaps[m - 1] + gaps[m]);
}

/**
 * The S4D layers' dt scale per step: the gap before each observation over the nominal gap.
 * The first step has no gap before it and gets `first` (1: a nominal step).
 */
export function stepScales(times: ArrayLike<number>, nominal: number, first = 1): Float32Array {
  const out = new Float32Array(times.length);
  for (let i = 0; i < times.length; i++) out[i] = i === 0 ? first : (times[i] - times[i - 1]) / nominal;
  return out;
}
