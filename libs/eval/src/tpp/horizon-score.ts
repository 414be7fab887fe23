import { ErrorDetail } from '@seqcast/core';
import { Rng } from '@seqcast/tensor';
import {
  canRerank,
  EventDataset,
  EventModel,
  EventSequence,
  generateMany,
  horizonMetrics,
  horizonWindows,
} from '@seqcast/events';
import type { NextEventSampler } from '@seqcast/events';

/** The horizon mode's options: `events` ahead of each test history (HYPRO's 20). */
export interface HorizonOptions {
  events: number;
  /** Fewest history events before a window (default 5). */
  minHistory: number;
  /** At most this many test windows (the first ones; default 100): generation is the costly part. */
  maxWindows: number;
}

export const HORIZON_DEFAULTS: HorizonOptions = { events: 20, minHistory: 5, maxWindows: 100 };

/**
 * Long-horizon scores of a model on the test sequences: each long enough sequence's last
 * `events` events are the truth, the events before them the history; the model continues
 * the history by `events` events (a reranking model, HYPRO, by its lowest-energy proposal;
 * every other model by plain autoregressive sampling, one draw) and the continuation is
 * compared with the truth by OTD (averaged over HYPRO's deletion costs) and the per-type
 * count RMSE.
 */
export function horizonScore(
  model: EventModel,
  test: EventDataset,
  o: HorizonOptions,
  seed: number,
): { otd: number; countRmse: number; horizonWindows: number } {
  const windows = horizonWindows(test.sequences, o.events, o.minHistory).slice(0, o.maxWindows);
  const histories = windows.map((w) => w.history);
  let predicted: EventSequence[];
  if (canRerank(model)) predicted = model.rerankMany(histories, o.events, seed);
  else if (typeof (model as Partial<NextEventSampler>).sampleAfter === 'function')
    predicted = generateMany(model as unknown as NextEventSampler, histories, o.events, 1, new Rng(seed)).map(
      (s) => s[0],
    );
  else predicted = histories.map((h) => model.generate(h, { count: o.events, seed }).samples[0]);
  const m = horizonMetrics(
    windows.map((w, i) => ({ predicted: predicted[i], truth: w.truth })),
    test.numTypes,
  );
  return { otd: m.otd, countRmse: m.countRmse, horizonWindows: m.pairs };
}

/** The config's `horizon` entry (absent: no horizon mode), every problem named. */
export function parseHorizonOption(v: unknown): { horizon?: HorizonOptions; problems: ErrorDetail[] } {
  if (v === undefined) return { problems: [] };
  if (typeof v !== 'object' || v === null || Array.isArray(v))
    return { problems: [{ field: 'horizon', reason: 'an object {events, minHistory?, maxWindows?}' }] };
  const o = v as Record<string, unknown>;
  const problems: ErrorDetail[] = [];
  for (const key of Object.keys(o))
    if (!(key in HORIZON_DEFAULTS)) problems.push({ field: `horizon.${key}`, reason: 'unknown field' });
  const int = (key: keyof HorizonOptions, min: number, max: number) => {
    const x = o[key] ?? HORIZON_DEFAULTS[key];
    if (!(Number.isInteger(x) && (x as number) >= min && (x as number) <= max))
      problems.push({ field: `horizon.${key}`, reason: `an integer in [${min}, ${max}]` });
    return x as number;
  };
  const horizon = {
    events: int('events', 1, 1000),
    minHistory: int('minHistory', 1, 100000),
    maxWindows: int('maxWindows', 1, 100000),
  };
  return problems.length ? { problems } : { horizon, problems };
}
