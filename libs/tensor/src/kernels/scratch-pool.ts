/**
 * Reused typed arrays for the fused ops' large per-step buffers (what a forward pass keeps
 * for its backward pass). A fresh multi-megabyte array costs more than the native pass that
 * fills it: calloc zeroes it and, in fresh pages, the kernel faults every 4 KiB in; THP's
 * encoder layer ran three times as long on new arrays as on reused ones. Batches differ in
 * length, so a request takes the smallest pooled array that is large enough (new ones get
 * a quarter more room) and is handed a view of the size asked for. Contents are undefined.
 * An array not handed back (a forward pass with no backward) is simply collected.
 */
const MAX_POOLED = 8;

class Pool<T extends Float32Array | Float64Array> {
  private readonly free: T[] = [];
  constructor(private readonly make: (n: number) => T) {}

  take(n: number): T {
    let best = -1;
    for (let i = 0; i < this.free.length; i++)
      if (this.free[i].length >= n && (best < 0 || this.free[i].length < this.free[best].length)) best = i;
    const whole = best >= 0 ? this.free.splice(best, 1)[0] : this.make(Math.ceil(n * 1.25));
    return whole.subarray(0, n) as T;
  }

  give(view: T): void {
    const whole = (view instanceof Float32Array ? new Float32Array(view.buffer) : new Float64Array(view.buffer)) as T;
    if (this.free.length >= MAX_POOLED) {
      // keep the larger arrays: they serve every smaller request
      let smallest = 0;
      for (let i = 1; i < this.free.length; i++) if (this.free[i].length < this.free[smallest].length) smallest = i;
      if (this.free[smallest].length >= whole.length) return;
      this.free.splice(smallest, 1);
    }
    this.free.push(whole);
  }
}

const floats = new Pool((n) => new Float32Array(n));
const doubles = new Pool((n) => new Float64Array(n));

export const scratchPool = {
  floats: (n: number): Float32Array => floats.take(n),
  doubles: (n: number): Float64Array => doubles.take(n),
  /** Hand borrowed arrays back once nothing reads them any more. */
  release(...arrays: (Float32Array | Float64Array)[]): void {
    for (const a of arrays) {
      if (a instanceof Float32Array) floats.give(a);
      else doubles.give(a as Float64Array);
    }
  },
};
