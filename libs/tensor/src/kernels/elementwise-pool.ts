import * as tf from '@tensorflow/tfjs';

/**
 * Recycled output arrays for the elementwise cpu kernels.
 *
 * Why: every tfjs op writes a new array. Node allocates large typed arrays outside the V8
 * heap, so each one is fresh memory from the system (a page fault per 4 KiB on first
 * write: 2-4 ms for one [32, 64, 336] float32 array on the development VM, more than the
 * arithmetic) and counts as external memory, whose growth triggers garbage collections
 * (several per SSM training step). PyTorch's allocator keeps freed blocks for reuse; this
 * does the same for the arrays these kernels create: when the cpu backend drops a tensor's
 * data, an array that one of them allocated goes back to a pool by length, and the next
 * kernel call of that length writes over it.
 *
 * Only arrays nobody else can still see are reused. An array is released when its data
 * entry is deleted (refcount zero: no tensor refers to it) and never if it escaped: read
 * out through readSync/read (dataSync(), data(), bufferSync(): the caller keeps that array),
 * attached to a second data entry, or shared as a view (a subarray of it stored as another
 * tensor's values). Kernels that take an array overwrite every element. Small arrays count
 * too (an LSTM step makes thousands of [32, 64] outputs, and their external memory alone
 * triggers collections); those under 4 KiB and beyond a 256 MiB pool are left to the
 * garbage collector. Off (plain allocation) until registerCpuElementwiseKernels.
 */
const MIN_POOLED = 1024;
const MAX_POOL_BYTES = 256 * 1024 * 1024;

let enabled = false;
let pooledBytes = 0;
const free = new Map<number, Float32Array[]>();
/** Arrays handed out by take(), with the data entries they were stored in. */
const owned = new WeakMap<Float32Array, { attached: number; escaped: boolean }>();
const ownerOf = new WeakMap<ArrayBufferLike, Float32Array>();

/** A float32 array of length n whose contents the caller must overwrite entirely. */
export function take(n: number): Float32Array {
  if (!enabled || n < MIN_POOLED) return new Float32Array(n);
  const list = free.get(n);
  const reused = list?.pop();
  if (reused) {
    pooledBytes -= reused.byteLength;
    owned.set(reused, { attached: 0, escaped: false });
    return reused;
  }
  const fresh = new Float32Array(n);
  owned.set(fresh, { attached: 0, escaped: false });
  ownerOf.set(fresh.buffer, fresh);
  return fresh;
}

function release(values: unknown): void {
  if (!enabled || !(values instanceof Float32Array)) return;
  const state = owned.get(values);
  if (!state || state.escaped || state.attached !== 1) return;
  owned.delete(values);
  if (pooledBytes + values.byteLength > MAX_POOL_BYTES) return;
  pooledBytes += values.byteLength;
  const list = free.get(values.length);
  if (list) list.push(values);
  else free.set(values.length, [values]);
}

function escape(values: unknown): void {
  if (!ArrayBuffer.isView(values)) return;
  const owner = ownerOf.get(values.buffer);
  const state = owner && owned.get(owner);
  if (state) state.escaped = true;
}

interface CpuBackendInternals {
  data: { get(dataId: tf.DataId): { values?: unknown } | undefined; has(dataId: tf.DataId): boolean };
  write(values: unknown, shape: number[], dtype: tf.DataType): tf.DataId;
  readSync(dataId: tf.DataId): unknown;
  disposeData(dataId: tf.DataId, force?: boolean): boolean;
}
const hooked = Symbol.for('seqcast.elementwisePool');

/** Watches the cpu backend's writes, reads and disposals (once per backend instance). */
function hook(backend: CpuBackendInternals & { [hooked]?: boolean }): void {
  if (backend[hooked]) return;
  backend[hooked] = true;
  const { write, readSync, disposeData } = backend;
  backend.write = function (values, shape, dtype) {
    const state = values instanceof Float32Array ? owned.get(values) : undefined;
    if (state) {
      if (++state.attached > 1) state.escaped = true;
    } else escape(values); // a view of a pooled array, stored as another tensor's values
    return write.call(this, values, shape, dtype);
  };
  backend.readSync = function (dataId) {
    escape(this.data.get(dataId)?.values);
    return readSync.call(this, dataId);
  };
  backend.disposeData = function (dataId, force) {
    const values = this.data.get(dataId)?.values;
    const done = disposeData.call(this, dataId, force);
    if (values !== undefined && !this.data.has(dataId)) release(values);
    return done;
  };
}

/** Turns recycling on (the cpu backend must have been initialised: selectBackend('cpu')). */
export function enableCpuBufferPool(): void {
  const cpu = tf.findBackend('cpu');
  if (!cpu) return;
  hook(cpu as unknown as CpuBackendInternals);
  enabled = true;
}

/** Back to plain allocation; pooled arrays are dropped (specs compare both). */
export function disableCpuBufferPool(): void {
  enabled = false;
  free.clear();
  pooledBytes = 0;
}
