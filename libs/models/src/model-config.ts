import { forecasterRegistry } from '@seqcast/forecast';

/** Config fields that mean "input window length" in the zoo's schemas. */
const LOOKBACK_FIELDS = ['lookback', 'lags'];

/**
 * Fills the model's own lookback and horizon fields from the request's top-level
 * `lookback` and `horizon`, unless the config sets them, then validates the whole
 * config against the kind's schema (400 naming each bad field).
 */
export function forecasterConfig(
  kind: string,
  config: Record<string, unknown>,
  lookback: number,
  horizon: number,
): Record<string, unknown> {
  const fields = Object.keys(forecasterRegistry.describe(kind).configSchema.properties ?? {});
  const out = { ...config };
  for (const f of LOOKBACK_FIELDS) if (fields.includes(f) && out[f] === undefined) out[f] = lookback;
  if (fields.includes('horizon') && out.horizon === undefined) out.horizon = horizon;
  if (fields.includes('maxHorizon') && out.maxHorizon === undefined && !fields.includes('horizon'))
    out.maxHorizon = Math.max(horizon, 1);
  return forecasterRegistry.validate(kind, out);
}
