import { ValidationFailed } from '@seqcast/core';
import { validateHistory } from '../data/dataset-utils';
import { EventModel, EventSequence } from '../types';
import { intensityOnGrid } from './intensity-curve';

/** The model's intensity over a sequence's own span, each time given the events up to it. */
export interface IntensityAlong {
  /** Times from the first event to the last, with both sides of every event's jump. */
  times: number[];
  /** lambda_k at each time: intensity[k][i]. */
  intensity: number[][];
  total: number[];
}

/** For each time, the index of the sequence's last event at or before it (times from the first event on). */
export function lastEventAtOrBefore(events: ArrayLike<number>, times: number[]): Int32Array {
  return Int32Array.from(times, (t, i) => {
    if (!(t >= events[0]))
      throw new ValidationFailed('a time precedes the first event of the sequence', [
        { field: `t.${i}`, reason: `must be >= ${events[0]}` },
      ]);
    let lo = 0;
    let hi = events.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (events[mid] <= t) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  });
}

/**
 * `points` evenly spaced times over (t_1, t_L], and a hair either side of each later event, so
 * a chart shows each jump (just before an event, the intensity on the events before it; just
 * after, on it too). No time falls on an event, where models differ on which side they read.
 */
export function alongGrid(events: number[], points: number): number[] {
  const first = events[0];
  const span = events[events.length - 1] - first;
  const hair = Math.max(span, 1) * 1e-9;
  const out = Array.from(
    { length: span > 0 ? points : 1 },
    (_, i) => first + hair + (span * i) / Math.max(1, points - 1),
  );
  for (let j = 1; j < events.length; j++)
    if (events[j] - hair > events[j - 1]) out.push(events[j] - hair, events[j] + hair);
  return [...new Set(out.sort((a, b) => a - b))];
}

/** lambda_k at each time given the sequence's events at or before it: one call per prefix unless the model does it at once. */
function intensityAlongTimes(model: EventModel, sequence: EventSequence, times: number[]): number[][] {
  if (model.intensityAlong) return model.intensityAlong(sequence, times);
  const j = lastEventAtOrBefore(sequence.times, times);
  const out: number[][] = new Array(times.length);
  for (let start = 0; start < times.length;) {
    let end = start;
    while (end < times.length && j[end] === j[start]) end++;
    const prefix = {
      times: sequence.times.slice(0, j[start] + 1),
      types: sequence.types.slice(0, j[start] + 1),
    };
    const rows = intensityOnGrid(model, prefix, times.slice(start, end));
    for (let i = start; i < end; i++) out[i] = rows[i - start];
    start = end;
  }
  return out;
}

/** The intensity along a whole sequence (see IntensityAlong). */
export function intensityAlong(model: EventModel, sequence: EventSequence, points: number): IntensityAlong {
  validateHistory(sequence, model.numTypes);
  const times = alongGrid(sequence.times, points);
  const rows = intensityAlongTimes(model, sequence, times);
  return {
    times,
    intensity: Array.from({ length: model.numTypes }, (_, k) => rows.map((r) => r[k])),
    total: rows.map((r) => r.reduce((a, b) => a + b, 0)),
  };
}
