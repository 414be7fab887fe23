import { Rng } from '@seqcast/tensor';
import { NextEventSampler } from '../sampling/predict';
import { EventSequence } from '../types';

/** A history and the events that really followed it. */
export interface HorizonWindow {
  history: EventSequence;
  truth: EventSequence;
}

/**
 * Windows of `count` events ahead: each sequence with at least minHistory + count events
 * gives one window, cut `count` events before its end (evaluation), or at a uniformly drawn
 * point when `rng` is given (HYPRO's training windows: more varied histories).
 */
export function horizonWindows(
  sequences: EventSequence[],
  count: number,
  minHistory: number,
  rng?: Rng,
): HorizonWindow[] {
  const out: HorizonWindow[] = [];
  for (const s of sequences) {
    const L = s.times.length;
    if (L < minHistory + count) continue;
    const cut = rng ? minHistory + rng.int(L - count - minHistory + 1) : L - count;
    out.push({
      history: { times: s.times.slice(0, cut), types: s.types.slice(0, cut) },
      truth: { times: s.times.slice(cut, cut + count), types: s.types.slice(cut, cut + count) },
    });
  }
  return out;
}

/**
 * `samples` autoregressive continuations of `count` events after every history, all paths
 * drawn together at each step (one batched draw per step instead of one per history): out[h][s].
 */
export function generateMany(
  sampler: NextEventSampler,
  histories: EventSequence[],
  count: number,
  samples: number,
  rng: Rng,
): EventSequence[][] {
  const paths = histories.flatMap((h) =>
    Array.from({ length: samples }, () => ({ times: h.times.slice(), types: h.types.slice() })),
  );
  const out = paths.map(() => ({ times: [] as number[], types: [] as number[] }));
  for (let step = 0; step < count; step++) {
    const r = sampler.sampleAfter(paths, 1, rng);
    paths.forEach((p, i) => {
      const t = p.times[p.times.length - 1] + r.gaps[i];
      p.times.push(t);
      p.types.push(r.types[i]);
      out[i].times.push(t);
      out[i].types.push(r.types[i]);
    });
  }
  return histories.map((_, h) => out.slice(h * samples, (h + 1) * samples));
}

/** A history followed by a continuation (what the energy scores). */
export function joined(history: EventSequence, continuation: EventSequence): EventSequence {
  return {
    times: [...history.times, ...continuation.times],
    types: [...history.types, ...continuation.types],
  };
}

/** The last `n` events of a history (the energy's context: its cost grows with the length). */
export function lastEvents(history: EventSequence, n: number): EventSequence {
  const from = Math.max(0, history.times.length - n);
  return { times: history.times.slice(from), types: history.types.slice(from) };
}
