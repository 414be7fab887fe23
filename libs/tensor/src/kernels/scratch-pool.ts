/**
 * Reused typed arrays for the fused ops' large per-step buffers (what a forward pass keeps
 * for its backward pass). A fresh multi-megabyte array costs more than the native pass that
 * fills it: calloc zeroes it and, in fresh pages, the kernel faults every 4 KiB in; THP's
 * encoder layer ran twice as long with a new 6 MB array per call as with one reused.
 * Contents of a borrowed array are undefined. An array not handed back (a forward pass
 * with no backward) is simply collected.
 */
const MAX_PER_SIZE = 4;
const floats = new Map<number, Float32Array[]>();
const doubles = new Map<number, Float64Array[]>();

function take<T>(pool: Map<number, T[]>, n: number, make: (n: number) => T): T {
  return pool.get(n)?.pop() ?? make(n);
}

function give<T extends { length: number }>(pool: Map<number, T[]>, a: T): void {
  const list = pool.get(a.length) ?? [];
  if (list.length < MAX_PER_SIZE) list.push(a);
  pool.set(a.length, list);
}

export const scratchPool = {
  floats: (n: number): Float32Array => take(floats, n, (k) => new Float32Array(k)),
  doubles: (n: number): Float64Array => take(doubles, n, (k) => new Float64Array(k)),
  /** Hand arrays back once nothing reads them any more. */
  release(...arrays: (Float32Array | Float64Array)[]): void {
    for (const a of arrays) {
      if (a instanceof Float32Array) give(floats, a);
      else give(doubles, a);
    }
  },
};
