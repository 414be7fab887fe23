import { ValidationFailed } from '@seqcast/core';
import type { Series } from '../types';

/**
 * Sliding windows (stride 1) over every channel of every series, pooled: channel
 * independence, as in DLinear, PatchTST and SpaceTime's univariate heads. A window is
 * `lookback` inputs followed by `horizon` targets. Nothing is copied until a batch is
 * filled.
 */
export class WindowSet {
  readonly size: number;
  private readonly arrays: Float32Array[] = [];
  private readonly starts: Int32Array;
  private readonly owner: Int32Array;

  constructor(
    series: Series[],
    readonly lookback: number,
    readonly horizon: number,
  ) {
    const span = lookback + horizon;
    let count = 0;
    for (const s of series) for (const ch of s) count += Math.max(0, ch.length - span + 1);
    this.size = count;
    this.starts = new Int32Array(count);
    this.owner = new Int32Array(count);
    let w = 0;
    for (const s of series) {
      for (const ch of s) {
        const n = Math.max(0, ch.length - span + 1);
        if (n === 0) continue;
        const id = this.arrays.length;
        this.arrays.push(ch);
        for (let i = 0; i < n; i++) {
          this.starts[w] = i;
          this.owner[w] = id;
          w++;
        }
      }
    }
  }

  static require(series: Series[], lookback: number, horizon: number, field: string): WindowSet {
    const set = new WindowSet(series, lookback, horizon);
    if (set.size === 0) {
      const longest = Math.max(0, ...series.map((s) => s[0]?.length ?? 0));
      throw new ValidationFailed(
        `${field} is too short: a window needs ${lookback + horizon} steps (lookback ${lookback} + horizon ${horizon}), the longest series has ${longest}`,
        [{ field, reason: `needs at least ${lookback + horizon} steps` }],
      );
    }
    return set;
  }

  /** The channel a window lies in and its first index there (for loops that read windows in place). */
  location(row: number): { channel: Float32Array; start: number } {
    return { channel: this.arrays[this.owner[row]], start: this.starts[row] };
  }

  /** The window's inputs (a view, no copy). */
  input(row: number): Float32Array {
    const s = this.starts[row];
    return this.arrays[this.owner[row]].subarray(s, s + this.lookback);
  }

  /** The window's targets (a view, no copy). */
  target(row: number): Float32Array {
    const s = this.starts[row] + this.lookback;
    return this.arrays[this.owner[row]].subarray(s, s + this.horizon);
  }

  /** Copies inputs of `rows` into out[rows.length * lookback] and targets into tOut[rows.length * horizon]. */
  fill(rows: ArrayLike<number>, out: Float32Array, tOut?: Float32Array, targetLength = this.horizon): void {
    for (let i = 0; i < rows.length; i++) {
      const r = rows[i];
      const s = this.starts[r];
      const a = this.arrays[this.owner[r]];
      out.set(a.subarray(s, s + this.lookback), i * this.lookback);
      if (tOut) tOut.set(a.subarray(s + this.lookback, s + this.lookback + targetLength), i * targetLength);
    }
  }
}
