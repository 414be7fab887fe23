import { ErrorDetail, ValidationFailed } from '@seqcast/core';
import type { Seq2SeqData } from './types';

const MAX_DETAILS = 20;

/**
 * Checks one side (inputs or targets) of a data set: every sequence has `channels` channels
 * (the first sequence's count when not given), its channels have one length, the values are
 * finite. Returns each sequence's length; problems go into `bad`, named by where they are.
 */
function checkSide(
  side: unknown,
  field: string,
  bad: ErrorDetail[],
  channels?: number,
): { lengths: number[]; channels: number } {
  const lengths: number[] = [];
  if (!Array.isArray(side) || side.length === 0) {
    bad.push({ field, reason: 'must be a non-empty array of sequences' });
    return { lengths, channels: channels ?? 0 };
  }
  let expected = channels;
  side.forEach((seq: unknown, s: number) => {
    const at = `${field}[${s}]`;
    if (!Array.isArray(seq) || seq.length === 0) {
      bad.push({ field: at, reason: 'must be a non-empty array of channels' });
      lengths.push(-1);
      return;
    }
    expected ??= seq.length;
    if (seq.length !== expected)
      bad.push({
        field: at,
        reason: `has ${seq.length} channels, expected ${expected} (as the first sequence)`,
      });
    const first = seq[0] as unknown;
    const length = first instanceof Float32Array ? first.length : -1;
    seq.forEach((ch: unknown, c: number) => {
      const where = `${at}[${c}]`;
      if (!(ch instanceof Float32Array)) {
        bad.push({ field: where, reason: 'must be a Float32Array' });
        return;
      }
      if (ch.length !== length)
        bad.push({
          field: where,
          reason: `has ${ch.length} values, channel 0 has ${length} (ragged channels)`,
        });
      else if (ch.length === 0) bad.push({ field: where, reason: 'is empty' });
      for (let i = 0; i < ch.length; i++)
        if (!Number.isFinite(ch[i])) {
          bad.push({ field: where, reason: `value ${ch[i]} at step ${i} is not finite` });
          break;
        }
    });
    lengths.push(length);
  });
  return { lengths, channels: expected ?? 0 };
}

function fail(message: string, bad: ErrorDetail[]): never {
  throw new ValidationFailed(
    `${message}: ${bad
      .slice(0, 3)
      .map((d) => `${d.field}: ${d.reason}`)
      .join('; ')}${bad.length > 3 ? ` (and ${bad.length - 3} more)` : ''}`,
    bad.slice(0, MAX_DETAILS),
  );
}

function checkRatio(lengths: number[], ratio: number, field: string, bad: ErrorDetail[]): void {
  lengths.forEach((L, s) => {
    if (L > 0 && L % ratio !== 0)
      bad.push({ field: `${field}[${s}]`, reason: `length ${L} is not a multiple of the ratio ${ratio}` });
  });
}

/**
 * Input sequences for predict (and the input side of fit): channels as `channels` when given,
 * equal channel lengths, finite values, lengths multiples of `ratio`. ValidationFailed names
 * each bad place (`inputs[2][1]`).
 */
export function checkSeq2SeqInputs(
  inputs: unknown,
  ratio: number,
  field = 'inputs',
  channels?: number,
): { lengths: number[]; channels: number } {
  const bad: ErrorDetail[] = [];
  const out = checkSide(inputs, field, bad, channels);
  checkRatio(out.lengths, ratio, field, bad);
  if (bad.length) fail('Invalid input sequences', bad);
  return out;
}

/**
 * A training or validation set: inputs as checkSeq2SeqInputs, targets alike, one target
 * sequence per input sequence with length = input length / ratio.
 */
export function checkSeq2SeqData(
  data: Seq2SeqData,
  ratio: number,
  field: string,
  shape: { inputChannels?: number; targetChannels?: number } = {},
): { lengths: number[]; inputChannels: number; targetChannels: number } {
  const bad: ErrorDetail[] = [];
  if (!data || typeof data !== 'object')
    fail('Invalid data set', [{ field, reason: 'must be {inputs, targets}' }]);
  const inputs = checkSide(data.inputs, `${field}.inputs`, bad, shape.inputChannels);
  const targets = checkSide(data.targets, `${field}.targets`, bad, shape.targetChannels);
  checkRatio(inputs.lengths, ratio, `${field}.inputs`, bad);
  if (Array.isArray(data.inputs) && Array.isArray(data.targets) && data.inputs.length !== data.targets.length)
    bad.push({
      field: `${field}.targets`,
      reason: `has ${data.targets.length} sequences, inputs have ${data.inputs.length}`,
    });
  else
    inputs.lengths.forEach((L, s) => {
      const T = targets.lengths[s];
      if (L > 0 && L % ratio === 0 && T > 0 && T * ratio !== L)
        bad.push({
          field: `${field}.targets[${s}]`,
          reason: `has ${T} steps; ${L} inputs at ratio ${ratio} give ${L / ratio}`,
        });
    });
  if (bad.length) fail(`Invalid ${field} set`, bad);
  return { lengths: inputs.lengths, inputChannels: inputs.channels, targetChannels: targets.channels };
}
