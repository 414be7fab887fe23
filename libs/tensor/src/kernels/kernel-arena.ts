// The port every kernel tier implements (native-arena.ts, wasm-kernels.ts' WasmKernels and
// JsArena): kept apart so the tiers depend on it and not on one another.

/**
 * The kernels' memory is one scratch arena: a fused op copies its operands in, runs the
 * kernels, and reads the results through a Float32Array view; nothing stays there
 * between calls (ops never run inside each other, so one arena serves all of them; the cpu
 * matmul kernels, which tf calls inside a fused op may reach, have one of their own:
 * separateKernelArena). It grows to the largest request and keeps that size.
 */
export interface KernelArena {
  /** The arena as floats; valid until the next `kernelArena` call. */
  readonly buf: Float32Array;
  /**
   * buf[c + i ldc + j] += sum_p A(i, p) buf[b + p ldb + j] with A(i, p) = buf[a + i lda + p
   * acs] (offsets and strides in floats; acs defaults to 1, row-major; lda = 1 and acs =
   * rows reads A from its transpose, so callers need not transpose).
   */
  gemm(
    m: number,
    n: number,
    k: number,
    a: number,
    lda: number,
    b: number,
    ldb: number,
    c: number,
    ldc: number,
    acs?: number,
  ): void;
  /** buf[off..off + n) = exp / tanh / sigmoid of itself. */
  exp(off: number, n: number): void;
  tanh(off: number, n: number): void;
  sigmoid(off: number, n: number): void;
  /** The arena as int32s (the same memory as buf). */
  readonly ints: Int32Array;
  /**
   * The continuous-time LSTM's decay for `rows` rows of H units: row r has its state at
   * float offset ints[offs + r] of the arrays d, cb, c, o (delta, cBar, c, o) and gap
   * buf[ts + r]; with i = r H + j: buf[e + i] = exp(-delta gap), buf[x + i] = cBar +
   * (c - cBar) buf[e + i], buf[th + i] = tanh(buf[x + i]), buf[h + i] = o buf[th + i].
   */
  decay(
    rows: number,
    H: number,
    offs: number,
    ts: number,
    d: number,
    cb: number,
    c: number,
    o: number,
    e: number,
    x: number,
    th: number,
    h: number,
  ): void;
}
