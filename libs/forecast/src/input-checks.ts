import { ErrorDetail, Unprocessable, ValidationFailed } from '@seqcast/core';
import type { Series } from './types';

function firstNaN(values: Float32Array): number {
  for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i])) return i;
  return -1;
}

/** Checks that a series is rectangular and finite; `field` names it in the error. */
export function checkSeries(
  series: Series,
  field: string,
  status: 'validation' | 'unprocessable' = 'unprocessable',
): number {
  const Err = status === 'validation' ? ValidationFailed : Unprocessable;
  if (!Array.isArray(series) || series.length === 0)
    throw new Err(`${field} has no channels`, [{ field, reason: 'expected at least one channel' }]);
  const length = series[0].length;
  const details: ErrorDetail[] = [];
  series.forEach((ch, c) => {
    if (!(ch instanceof Float32Array))
      details.push({ field: `${field}[${c}]`, reason: 'must be a Float32Array' });
    else if (ch.length !== length)
      details.push({
        field: `${field}[${c}]`,
        reason: `length ${ch.length} differs from channel 0 (${length})`,
      });
    else {
      const bad = firstNaN(ch);
      if (bad >= 0)
        details.push({
          field: `${field}[${c}]`,
          row: bad + 1,
          reason: `value at index ${bad} is ${ch[bad]} (NaN or infinite values are not allowed)`,
        });
    }
  });
  if (details.length)
    throw new Err(
      `${field} is not usable: ${details.map((d) => `${d.field}: ${d.reason}`).join('; ')}`,
      details,
    );
  return length;
}

/**
 * The checks every predict makes: the context is finite, long enough for the model's
 * lookback, has the channel count the model was fitted on (when it cares), and the
 * horizon is within the model's limit.
 */
export function checkPredictRequest(
  context: Series,
  horizon: number,
  limits: { kind: string; lookback: number; maxHorizon: number; channels?: number },
): void {
  if (!Number.isInteger(horizon) || horizon < 1) {
    throw new Unprocessable(`horizon must be a positive integer, got ${horizon}`, [
      { field: 'horizon', reason: 'must be a positive integer' },
    ]);
  }
  if (horizon > limits.maxHorizon) {
    throw new Unprocessable(
      `horizon ${horizon} is beyond this ${limits.kind} model's limit of ${limits.maxHorizon} steps`,
      [{ field: 'horizon', reason: `at most ${limits.maxHorizon}` }],
    );
  }
  const length = checkSeries(context, 'context');
  if (length < limits.lookback) {
    throw new Unprocessable(
      `context has ${length} steps; this ${limits.kind} model needs at least ${limits.lookback}`,
      [{ field: 'context', reason: `needs at least ${limits.lookback} steps (lookback), got ${length}` }],
    );
  }
  if (limits.channels !== undefined && context.length !== limits.channels) {
    throw new Unprocessable(
      `context has ${context.length} channels; the model was fitted on ${limits.channels}`,
      [{ field: 'context', reason: `expected ${limits.channels} channels` }],
    );
  }
}

/** Checks training series: each finite and rectangular; all with the same channel count. */
export function checkTrainingSeries(series: Series[], field: string): number {
  if (!Array.isArray(series) || series.length === 0)
    throw new ValidationFailed(`${field} has no series`, [{ field, reason: 'expected at least one series' }]);
  const channels = series[0].length;
  series.forEach((s, i) => {
    checkSeries(s, `${field}[${i}]`, 'validation');
    if (s.length !== channels)
      throw new ValidationFailed(`${field}[${i}] has ${s.length} channels, ${field}[0] has ${channels}`, [
        { field: `${field}[${i}]`, reason: 'channel count differs' },
      ]);
  });
  return channels;
}

export function requireFitted(fitted: boolean, kind: string): void {
  if (!fitted)
    throw new Unprocessable(`This ${kind} model has not been fitted`, [
      { field: 'model', reason: 'call fit before predict' },
    ]);
}
