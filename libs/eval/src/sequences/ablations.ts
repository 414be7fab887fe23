import type { SequenceRow } from '@seqcast/events';
import { Rng } from '@seqcast/numeric';
import type { Ablation } from './sequence-eval-config';

/**
 * EBES's ablations, applied to every row (pool and test alike):
 * - drop_time: the event times replaced by positions 0, 1, 2, ... (the order stays, the
 *   gaps say nothing);
 * - permute: the events' features shuffled within the sequence while the time stamps stay
 *   in place (sorted), so neither the order nor the pairing of times and events carries
 *   information.
 */
export function ablate(rows: SequenceRow[], ablation: Ablation, seed: number): SequenceRow[] {
  if (ablation === 'drop_time') return rows.map((r) => ({ ...r, times: r.times.map((_, i) => i) }));
  const rng = new Rng(seed * 104_729 + 3);
  return rows.map((r) => {
    const order = rng.shuffle(r.times.map((_, i) => i));
    return {
      ...r,
      numeric: order.map((i) => r.numeric[i]),
      ...(r.categorical ? { categorical: order.map((i) => r.categorical![i]) } : {}),
    };
  });
}
