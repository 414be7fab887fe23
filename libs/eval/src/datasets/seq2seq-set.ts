import { ValidationFailed } from '@seqcast/core';
import { deriveSeed, Rng } from '@seqcast/numeric';

/**
 * A sequence-to-sequence data set (HiSS's setting): input channels sampled at one rate,
 * target channels at a lower rate that divides it. Chunk j of `ratio` input samples
 * (indices [j ratio, (j + 1) ratio)) ends at the time of target j, so targets are causal in
 * the inputs, as HiSS's chunked model reads them.
 */
export interface Seq2SeqSet {
  /** [sequence][channel] at the input rate. */
  inputs: Float32Array[][];
  /** [sequence][channel] at the output rate; targets[s][c].length * ratio = inputs[s][c].length. */
  targets: Float32Array[][];
  ratio: number;
  inputRateHz: number;
  outputRateHz: number;
  inputChannels: string[];
  targetChannels: string[];
}

export interface Seq2SeqSplits<T extends Seq2SeqSet = Seq2SeqSet> {
  train: T;
  validation: T;
  test: T;
}

/** The input-to-output rate ratio; throws (naming the field) unless the output rate divides the input rate. */
export function rateRatio(inputRateHz: number, outputRateHz: number): number {
  const problems = [];
  if (!(inputRateHz > 0)) problems.push({ field: 'inputRateHz', reason: 'must be positive' });
  if (!(outputRateHz > 0)) problems.push({ field: 'outputRateHz', reason: 'must be positive' });
  if (problems.length) throw new ValidationFailed('Invalid sampling rates', problems);
  const ratio = Math.round(inputRateHz / outputRateHz);
  if (ratio < 1 || Math.abs(ratio * outputRateHz - inputRateHz) > 1e-9 * inputRateHz) {
    throw new ValidationFailed(
      `the output rate ${outputRateHz} Hz does not divide the input rate ${inputRateHz} Hz`,
      [{ field: 'outputRateHz', reason: `must divide inputRateHz (${inputRateHz}) into a whole number` }],
    );
  }
  return ratio;
}

/**
 * Splits a set by whole sequences (never inside one): a seeded shuffle, then the first
 * `validation` and `test` shares (rounded, at least one each when there are three or more
 * sequences) go to those splits and the rest to train.
 */
export function splitBySequence<T extends Seq2SeqSet>(
  set: T,
  shares: { validation: number; test: number } = { validation: 0.15, test: 0.15 },
  seed = 0,
): Seq2SeqSplits<T> {
  const n = set.inputs.length;
  if (!(shares.validation >= 0 && shares.test >= 0 && shares.validation + shares.test < 1)) {
    throw new ValidationFailed('split shares must be non-negative and leave some training sequences', [
      { field: 'shares', reason: 'validation + test must be in [0, 1)' },
    ]);
  }
  const atLeastOne = (share: number) =>
    share > 0 && n >= 3 ? Math.max(1, Math.round(share * n)) : Math.round(share * n);
  const nVal = atLeastOne(shares.validation);
  const nTest = atLeastOne(shares.test);
  if (nVal + nTest >= n) {
    throw new ValidationFailed(`${n} sequences are too few to split`, [
      { field: 'sequences', reason: 'needs more sequences than the validation and test splits take' },
    ]);
  }
  const order = new Rng(deriveSeed(seed, 0x5eed)).shuffle(Array.from({ length: n }, (_, i) => i));
  const pick = (rows: number[]): T => ({
    ...set,
    inputs: rows.map((r) => set.inputs[r]),
    targets: rows.map((r) => set.targets[r]),
    ...pickExtra(set, rows),
  });
  return {
    validation: pick(order.slice(0, nVal)),
    test: pick(order.slice(nVal, nVal + nTest)),
    train: pick(order.slice(nVal + nTest)),
  };
}

/** Per-sequence arrays a generator adds (e.g. `truth`) follow the same rows. */
function pickExtra<T extends Seq2SeqSet>(set: T, rows: number[]): Partial<T> {
  const extra: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(set)) {
    if (key === 'inputs' || key === 'targets') continue;
    if (Array.isArray(value) && value.length === set.inputs.length && key.startsWith('truth')) {
      extra[key] = rows.map((r) => value[r]);
    }
  }
  return extra as Partial<T>;
}
