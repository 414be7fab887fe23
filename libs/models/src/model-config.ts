import { forecasterRegistry } from '@seqcast/forecast';

/**
 * Fills the fields a kind declares for the roles `lookback`, `horizon` and `maxHorizon`
 * (its definition's `roles`) from the request's top-level `lookback` and `horizon`,
 * unless the config sets them, then validates the whole config against the kind's schema
 * (400 naming each bad field). A kind without a lookback role reads the context its own
 * config implies (Classic-AR its order, the baselines what they need), and the model row
 * records that lookback, not the request's; its horizon is then checked against the
 * model's limit (ModelsService.create).
 */
export function forecasterConfig(
  kind: string,
  config: Record<string, unknown>,
  lookback: number,
  horizon: number,
): Record<string, unknown> {
  const roles = forecasterRegistry.roles(kind);
  const out = { ...config };
  const fill = (field: string | undefined, value: number) => {
    if (field !== undefined && out[field] === undefined) out[field] = value;
  };
  fill(roles.lookback, lookback);
  fill(roles.horizon, horizon);
  fill(roles.maxHorizon, Math.max(horizon, 1));
  return forecasterRegistry.validate(kind, out);
}
