import { ValidationFailed } from '@seqcast/core';
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

/** Seeded split of sequences into train/dev/test by fractions. */
export function splitSequences(sequences: EventSequence[], fractions: [number, number, number], seed: number): [EventSequence[], EventSequence[], EventSequence[]] {
  const idx = sequences.map((_, i) => i);
  let s = seed >>> 0 || 1;
  for (let i = idx.length - 1; i > 0; i--) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    const j = s % (i + 1);
    [idx[i], idx[j]] = [idx[j], idx[i]];
  }
  const total = fractions[0] + fractions[1] + fractions[2];
  const nTrain = Math.round((fractions[0] / total) * idx.length);
  const nDev = Math.round((fractions[1] / total) * idx.length);
  const pick = (a: number, b: number) => idx.slice(a, b).map((i) => sequences[i]);
  return [pick(0, nTrain), pick(nTrain, nTrain + nDev), pick(nTrain + nDev, idx.length)];
}
