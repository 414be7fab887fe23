/**
 * How the fused recurrences walk a padded batch: time step by time step, all sequences
 * of the batch together (so that each step is one small matrix product), and only over
 * the sequences that have not ended yet. Rows are reordered longest first, so that the
 * rows still running at step t are a prefix 0..active[t] of the internal layout
 * [T, B, ...]. Positions past a sequence's end are not computed; the ops return zeros
 * there (a padded position's values only ever meet a zero mask in the models).
 */
export interface StepPlan {
  B: number;
  T: number;
  /** order[r] = the batch row held at internal row r (longest sequence first). */
  order: Int32Array;
  /** active[t] = how many sequences have an event at step t. */
  active: Int32Array;
}

/** lengths[b] = events of sequence b (clipped to [0, T]); all T when not given. */
export function stepPlan(B: number, T: number, lengths?: ArrayLike<number>): StepPlan {
  const len = Int32Array.from({ length: B }, (_, b) => Math.max(0, Math.min(T, lengths ? lengths[b] : T)));
  const order = Int32Array.from({ length: B }, (_, b) => b).sort((x, y) => len[y] - len[x] || x - y);
  const active = new Int32Array(T);
  for (let b = 0; b < B; b++) for (let t = 0; t < len[b]; t++) active[t]++;
  return { B, T, order, active };
}

/** Events per sequence from a [B, T] 0/1 mask whose ones are a prefix of each row. */
export function lengthsFromMask(mask: Float32Array | Int32Array, B: number, T: number): Int32Array {
  const out = new Int32Array(B);
  for (let b = 0; b < B; b++) {
    let n = 0;
    for (let t = 0; t < T; t++) if (mask[b * T + t] !== 0) n = t + 1;
    out[b] = n;
  }
  return out;
}

/**
 * Copies per-(t, r) rows of width W from the internal layout [T, B, W] to the batch
 * layout [B, T, W] at outOff (inverse = false), or from batch to internal (inverse =
 * true); only positions inside their sequence.
 */
export function copyRows(
  plan: StepPlan,
  W: number,
  src: Float32Array,
  srcOff: number,
  dst: Float32Array,
  dstOff: number,
  inverse: boolean,
): void {
  const { B, T, order, active } = plan;
  for (let t = 0; t < T; t++) {
    const nA = active[t];
    for (let r = 0; r < nA; r++) {
      const internal = (t * B + r) * W;
      const batch = (order[r] * T + t) * W;
      const from = srcOff + (inverse ? batch : internal);
      const to = dstOff + (inverse ? internal : batch);
      for (let k = 0; k < W; k++) dst[to + k] = src[from + k];
    }
  }
}
