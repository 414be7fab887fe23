/** One event sequence in memory. */
export interface EventSequence {
  key: string;
  /** Event times in the dataset's numeric unit (or UTC ms for timestamps), non-decreasing. */
  times: Float64Array;
  /** Type ids in [0, numTypes). */
  types: Int32Array;
  /** Numeric features, [events x features] row-major, when the dataset has any. */
  features?: Float64Array;
  target?: string | number | null;
}

/**
 * A padded batch in EasyTPP's layout: `time_seqs`, `time_delta_seqs`, `type_seqs`,
 * `seq_non_pad_mask` and `type_mask`, as flat row-major arrays [batch x maxLen].
 */
export interface EventBatch {
  size: number;
  maxLen: number;
  numTypes: number;
  /** Pad value of `types` (EasyTPP's pad_token_id = numTypes). */
  padType: number;
  times: Float32Array;
  /** Gap to the previous event of the sequence; 0 for the first event, as in EasyTPP's data. */
  gaps: Float32Array;
  types: Int32Array;
  /** 1 for a real event, 0 for padding. */
  mask: Uint8Array;
  /** One-hot types [batch x maxLen x numTypes], all zero on padding. */
  typeMask: Uint8Array;
  lengths: Int32Array;
  keys: string[];
}

export interface EventBatchOptions {
  numTypes: number;
  /** Truncate longer sequences to their first maxLen events; default: the longest in the batch. */
  maxLen?: number;
  /** Value written into padded time and gap slots; default 0. */
  padTime?: number;
  /** Shift times so each sequence starts at 0 (relative to its first event). */
  relative?: boolean;
}

/** Pads sequences into one batch (right padding, as EasyTPP does). */
export function makeEventBatch(seqs: EventSequence[], options: EventBatchOptions): EventBatch {
  const K = options.numTypes;
  const L = options.maxLen ?? Math.max(0, ...seqs.map((s) => s.times.length));
  const B = seqs.length;
  const pad = options.padTime ?? 0;
  const times = new Float32Array(B * L).fill(pad);
  const gaps = new Float32Array(B * L).fill(pad);
  const types = new Int32Array(B * L).fill(K);
  const mask = new Uint8Array(B * L);
  const typeMask = new Uint8Array(B * L * K);
  const lengths = new Int32Array(B);
  seqs.forEach((s, b) => {
    const n = Math.min(L, s.times.length);
    lengths[b] = n;
    const origin = options.relative && n > 0 ? s.times[0] : 0;
    for (let i = 0; i < n; i++) {
      const t = s.times[i] - origin;
      const type = s.types[i];
      if (!(type >= 0 && type < K))
        throw new RangeError(`event type ${type} of sequence ${s.key} is outside [0, ${K})`);
      times[b * L + i] = t;
      gaps[b * L + i] = i === 0 ? 0 : s.times[i] - s.times[i - 1];
      types[b * L + i] = type;
      mask[b * L + i] = 1;
      typeMask[(b * L + i) * K + type] = 1;
    }
  });
  return {
    size: B,
    maxLen: L,
    numTypes: K,
    padType: K,
    times,
    gaps,
    types,
    mask,
    typeMask,
    lengths,
    keys: seqs.map((s) => s.key),
  };
}

/** Batches of `batchSize` sequences, in the given order (shuffle the order first for training). */
export function* eventBatches(
  seqs: EventSequence[],
  batchSize: number,
  options: EventBatchOptions,
): Generator<EventBatch> {
  for (let i = 0; i < seqs.length; i += batchSize)
    yield makeEventBatch(seqs.slice(i, i + batchSize), options);
}
