/** Per-column summary kept with each dataset version; merges exactly across appends. */
export interface NumericStats {
  count: number; // finite values
  nulls: number; // missing (null, or NaN/infinity under the `missing` policy)
  min: number | null;
  max: number | null;
  mean: number | null;
  std: number | null; // population standard deviation
}

export interface CategoryStats {
  count: number;
  nulls: number;
  distinct: number;
  /** Counts of the first categories seen (capped so a high-cardinality column stays small). */
  top: Record<string, number>;
}

export type ColumnStats = ({ kind: 'numeric' } & NumericStats) | ({ kind: 'category' } & CategoryStats);

/**
 * Streaming mean and variance (Welford within a batch, Chan et al. to combine), so
 * statistics of 10M rows cost one pass and a version's stats can be merged with the
 * stats of appended rows without rereading history.
 */
export class NumericAccumulator {
  count = 0;
  nulls = 0;
  min = Infinity;
  max = -Infinity;
  private mean = 0;
  private m2 = 0;

  /**
   * Adds the finite values of `values` where `valid` (if given) is 1; returns how many valid
   * values were NaN or infinite (counted as nulls here), so callers check rows only then.
   */
  addArray(values: Float64Array, valid: Uint8Array | null): number {
    // Two passes (sum, then squared deviations from the batch mean) are as accurate as
    // Welford within a batch and several times faster; batches combine exactly below.
    let n = 0;
    let sum = 0;
    let min = this.min;
    let max = this.max;
    let nonFinite = 0;
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (v - v !== 0 || (valid !== null && valid[i] === 0)) {
        if (v - v !== 0 && (valid === null || valid[i] === 1)) nonFinite++;
        continue;
      }
      n++;
      sum += v;
      if (v < min) min = v;
      if (v > max) max = v;
    }
    this.nulls += values.length - n;
    if (n === 0) return nonFinite;
    const mean = sum / n;
    let m2 = 0;
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (v - v !== 0 || (valid !== null && valid[i] === 0)) continue;
      const d = v - mean;
      m2 += d * d;
    }
    this.min = min;
    this.max = max;
    this.combine(n, mean, m2);
    return nonFinite;
  }

  private combine(n: number, mean: number, m2: number): void {
    if (n === 0) return;
    const total = this.count + n;
    const d = mean - this.mean;
    this.m2 += m2 + (d * d * this.count * n) / total;
    this.mean += (d * n) / total;
    this.count = total;
  }

  merge(s: NumericStats): void {
    this.nulls += s.nulls;
    if (s.count === 0) return;
    this.min = Math.min(this.min, s.min!);
    this.max = Math.max(this.max, s.max!);
    this.combine(s.count, s.mean!, s.std! * s.std! * s.count);
  }

  toJSON(): { kind: 'numeric' } & NumericStats {
    const any = this.count > 0;
    return {
      kind: 'numeric',
      count: this.count,
      nulls: this.nulls,
      min: any ? this.min : null,
      max: any ? this.max : null,
      mean: any ? this.mean : null,
      std: any ? Math.sqrt(this.m2 / this.count) : null,
    };
  }
}

const TOP_LIMIT = 1000;

export class CategoryAccumulator {
  count = 0;
  nulls = 0;
  private readonly seen = new Set<string>();
  private readonly top = new Map<string, number>();
  private overflow = false;

  add(value: string | null, times = 1): void {
    if (value === null) {
      this.nulls += times;
      return;
    }
    this.count += times;
    if (!this.overflow) {
      this.seen.add(value);
      if (this.seen.size > 100_000) this.overflow = true; // stop counting distinct values of ids
    }
    const c = this.top.get(value);
    if (c !== undefined) this.top.set(value, c + times);
    else if (this.top.size < TOP_LIMIT) this.top.set(value, times);
  }

  merge(s: CategoryStats): void {
    this.nulls += s.nulls;
    for (const [k, c] of Object.entries(s.top)) this.add(k, c);
    this.count += s.count - Object.values(s.top).reduce((a, b) => a + b, 0);
    this.extraDistinct = Math.max(this.extraDistinct, s.distinct - Object.keys(s.top).length);
  }

  private extraDistinct = 0;

  toJSON(): { kind: 'category' } & CategoryStats {
    return {
      kind: 'category',
      count: this.count,
      nulls: this.nulls,
      distinct: this.seen.size + this.extraDistinct,
      top: Object.fromEntries(this.top),
    };
  }
}
