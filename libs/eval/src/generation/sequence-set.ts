import { ValidationFailed } from '@seqcast/core';

/**
 * A set of equal-length sequences, indexed [sequence][channel][time]: the layout the
 * generation metrics take (LS4's x of shape (B, L, C), channels split out so a univariate
 * Monash window is `[series]`).
 */
export type SequenceSet = ReadonlyArray<ReadonlyArray<ArrayLike<number>>>;

export interface SequenceSetShape {
  count: number;
  channels: number;
  length: number;
}

/** Wraps univariate series as one-channel sequences. */
export function asUnivariate(series: ReadonlyArray<ArrayLike<number>>): SequenceSet {
  return series.map((s) => [s]);
}

/**
 * Checks that a set is non-empty, that every sequence has the same channels and length and
 * that every value is finite; `field` names the set in the error.
 */
export function checkSequenceSet(set: SequenceSet, field: string, minLength = 1): SequenceSetShape {
  if (!Array.isArray(set) || set.length === 0) {
    throw new ValidationFailed(`${field} holds no sequences`, [
      { field, reason: 'must hold at least one sequence' },
    ]);
  }
  const channels = set[0].length;
  const length = channels > 0 ? set[0][0].length : 0;
  if (channels < 1)
    throw new ValidationFailed(`${field}[0] has no channels`, [
      { field: `${field}[0]`, reason: 'no channels' },
    ]);
  if (length < minLength) {
    throw new ValidationFailed(`${field} sequences are too short`, [
      { field: `${field}[0]`, reason: `length ${length} is below ${minLength}` },
    ]);
  }
  set.forEach((seq, i) => {
    if (seq.length !== channels) {
      throw new ValidationFailed(`${field}[${i}] has ${seq.length} channels, not ${channels}`, [
        { field: `${field}[${i}]`, reason: `expected ${channels} channels` },
      ]);
    }
    seq.forEach((ch: ArrayLike<number>, c: number) => {
      if (ch.length !== length) {
        throw new ValidationFailed(`${field}[${i}][${c}] has length ${ch.length}, not ${length}`, [
          { field: `${field}[${i}][${c}]`, reason: `expected length ${length}` },
        ]);
      }
      for (let t = 0; t < length; t++) {
        if (!Number.isFinite(ch[t])) {
          throw new ValidationFailed(`${field}[${i}][${c}][${t}] is not finite`, [
            { field: `${field}[${i}][${c}][${t}]`, reason: 'must be a finite number' },
          ]);
        }
      }
    });
  });
  return { count: set.length, channels, length };
}

/** Packs sequences (rows of `set` named by `rows`) into a [rows, L, C] row-major buffer. */
export function packTimeMajor(
  set: SequenceSet,
  rows: ArrayLike<number>,
  shape: SequenceSetShape,
): Float32Array {
  const { channels: C, length: L } = shape;
  const out = new Float32Array(rows.length * L * C);
  for (let r = 0; r < rows.length; r++) {
    const seq = set[rows[r]];
    for (let c = 0; c < C; c++) {
      const ch = seq[c];
      for (let t = 0; t < L; t++) out[(r * L + t) * C + c] = ch[t];
    }
  }
  return out;
}
