import type { KernelArena } from './kernel-arena';
import { NativeKernels } from './native-kernels';

/**
 * The KernelArena on the native kernels: a plain Float32Array the addon reads and writes in
 * place. It grows like the wasm arena (keeping its contents) and is shared the same way.
 */
export class NativeArena implements KernelArena {
  buf = new Float32Array(0);
  ints = new Int32Array(0);
  constructor(private readonly k: NativeKernels) {}

  arena(floats: number): KernelArena {
    if (floats > this.buf.length) {
      const grown = new Float32Array(Math.max(floats, Math.ceil(this.buf.length * 1.5)));
      grown.set(this.buf);
      this.buf = grown;
      this.ints = new Int32Array(grown.buffer);
    }
    return this;
  }

  gemm(m: number, n: number, k: number, a: number, lda: number, b: number, ldb: number, c: number, ldc: number, acs = 1): void {
    const buf = this.buf;
    this.k.gemm(m, n, k, buf, a, lda, acs, buf, b, ldb, buf, c, ldc);
  }

  exp(off: number, n: number): void {
    this.k.exp(this.buf, off, n);
  }

  tanh(off: number, n: number): void {
    this.k.tanh(this.buf, off, n);
  }

  sigmoid(off: number, n: number): void {
    this.k.sigmoid(this.buf, off, n);
  }

  decay(rows: number, H: number, offs: number, ts: number, d: number, cb: number, c: number, o: number, e: number, x: number, th: number, h: number): void {
    this.k.decay(this.buf, this.ints, rows, H, offs, ts, d, cb, c, o, e, x, th, h);
  }
}
