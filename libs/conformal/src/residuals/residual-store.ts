/**
 * The residual series of one horizon step: the most recent `capacity` residuals, oldest
 * first, and the count ever appended (the absolute index of the next residual).
 */
export class ResidualStore {
  private values: number[];
  count: number;

  constructor(
    readonly capacity: number,
    values: ArrayLike<number> = [],
    count?: number,
  ) {
    const all = Array.from(values);
    this.values = all.slice(Math.max(0, all.length - capacity));
    this.count = count ?? all.length;
  }

  get length(): number {
    return this.values.length;
  }

  /** absolute index of values[0] */
  get firstIndex(): number {
    return this.count - this.values.length;
  }

  push(value: number): void {
    this.values.push(value);
    this.count++;
    if (this.values.length > this.capacity) this.values.shift();
  }

  /** The last `n` residuals (all when n <= 0 or n > length), oldest first. */
  last(n = 0): number[] {
    return n > 0 && n < this.values.length ? this.values.slice(this.values.length - n) : this.values.slice();
  }

  toJSON(): { residuals: number[]; count: number } {
    return { residuals: this.values.slice(), count: this.count };
  }
}
