/** What one series (or sequence) of a version looks like: enough to list it and to append to it. */
export interface SeriesSummary {
  key: string;
  rows: number;
  /** First and last time: UTC milliseconds for timestamps, plain numbers for numeric event times. */
  first: number;
  last: number;
  /** The sequence-level target, as text, for event datasets that have one. */
  target?: string | null;
}

/** Growable per-series arrays indexed by dense series id. */
export class SeriesTable {
  first = new Float64Array(64).fill(NaN);
  last = new Float64Array(64).fill(NaN);
  rows = new Float64Array(64);
  target = new Int32Array(64).fill(-2);

  ensure(n: number): void {
    if (n <= this.first.length) return;
    let size = this.first.length;
    while (size < n) size *= 2;
    const grow = <T extends Float64Array | Int32Array>(a: T, fill: number): T => {
      const b = new (a.constructor as { new (n: number): T })(size).fill(fill) as T;
      b.set(a as never);
      return b;
    };
    this.first = grow(this.first, NaN);
    this.last = grow(this.last, NaN);
    this.rows = grow(this.rows, 0);
    this.target = grow(this.target, -2);
  }
}
