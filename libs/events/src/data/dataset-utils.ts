import { ValidationFailed } from '@seqcast/core';
import { Rng } from '@seqcast/tensor';
import { EventDataset, EventSequence } from '../types';

/** Mean inter-event gap over a dataset (the unit models rescale time by). */
export function meanGap(sequences: EventSequence[]): number {
  let sum = 0;
  let n = 0;
  for (const s of sequences) {
    for (let i = 1; i < s.times.length; i++) {
      sum += s.times[i] - s.times[i - 1];
      n++;
    }
  }
  return n && sum > 0 ? sum / n : 1;
}

export function countScoredEvents(sequences: EventSequence[]): number {
  return sequences.reduce((n, s) => n + Math.max(0, s.times.length - 1), 0);
}

/** Checks order, types and finiteness; throws ValidationFailed naming the sequence and event. */
export function validateEventDataset(data: EventDataset, field = 'data'): void {
  const details: Array<{ field: string; reason: string }> = [];
  if (!(Number.isInteger(data.numTypes) && data.numTypes >= 1)) details.push({ field: `${field}.numTypes`, reason: 'must be a positive integer' });
  data.sequences.forEach((s, q) => {
    if (details.length > 20) return;
    if (!Array.isArray(s.times) || !Array.isArray(s.types) || s.times.length !== s.types.length) {
      details.push({ field: `${field}.sequences[${q}]`, reason: 'times and types must be arrays of equal length' });
      return;
    }
    for (let i = 0; i < s.times.length; i++) {
      if (!Number.isFinite(s.times[i])) details.push({ field: `${field}.sequences[${q}].times[${i}]`, reason: 'not a finite number' });
      else if (i > 0 && s.times[i] < s.times[i - 1]) details.push({ field: `${field}.sequences[${q}].times[${i}]`, reason: 'times must not decrease' });
      const k = s.types[i];
      if (!(Number.isInteger(k) && k >= 0 && k < data.numTypes)) details.push({ field: `${field}.sequences[${q}].types[${i}]`, reason: `type must be an integer in [0, ${data.numTypes})` });
    }
  });
  if (details.length) throw new ValidationFailed('Invalid event data', details.slice(0, 20));
}

export function validateHistory(history: EventSequence, numTypes: number): void {
  if (!history || !Array.isArray(history.times) || history.times.length < 1) {
    throw new ValidationFailed('The history needs at least one event', [{ field: 'history', reason: 'at least one event is required' }]);
  }
  validateEventDataset({ numTypes, sequences: [history] }, 'history');
}

/**
 * Seeded split into train / dev / test by fractions: the items shuffled by the shared Rng
 * seeded `seed + 1`, then cut in order; at least one training item. Evaluations of files
 * and the training of a model on a stored dataset (70/15/15) both split this way.
 */
export function splitSequences<T>(items: T[], fractions: [number, number, number], seed: number): [T[], T[], T[]] {
  const order = new Rng(seed + 1).shuffle(items.map((_, i) => i));
  const total = fractions[0] + fractions[1] + fractions[2];
  const nTrain = Math.max(1, Math.round((fractions[0] / total) * items.length));
  const nDev = Math.round((fractions[1] / total) * items.length);
  const pick = (a: number, b: number) => order.slice(a, b).map((i) => items[i]);
  return [pick(0, nTrain), pick(nTrain, nTrain + nDev), pick(nTrain + nDev, items.length)];
}
