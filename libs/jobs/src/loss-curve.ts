import type { EpochMetrics } from '@seqcast/core';

/** The most epochs one job's curve keeps; beyond it the oldest half is thinned to every other point. */
export const LOSS_CURVE_MAX_POINTS = 2000;

/**
 * The epochs a running job has reported (ProgressFn's `metrics`), in order, kept on the job's
 * row so a follower who opens the job late, or after it ended, still sees the whole loss curve.
 * Work that trains several times in one job (a backtest's folds) starts again at epoch 1:
 * the points stay in the order they came. The row stays small: past the cap the older half is
 * thinned, so a very long run keeps its shape and its newest epochs at full resolution.
 */
export class LossCurve {
  private readonly list: EpochMetrics[] = [];
  /** Epochs added so far: a writer compares it with what it last wrote. */
  added = 0;

  add(metrics: EpochMetrics): void {
    if (!Number.isFinite(metrics.loss)) return;
    this.added++;
    this.list.push({ ...metrics });
    if (this.list.length > LOSS_CURVE_MAX_POINTS) {
      const half = Math.floor(this.list.length / 2);
      const older = this.list.slice(0, half).filter((_, i) => i % 2 === 0);
      this.list.splice(0, half, ...older);
    }
  }

  get points(): EpochMetrics[] {
    return [...this.list];
  }
}
