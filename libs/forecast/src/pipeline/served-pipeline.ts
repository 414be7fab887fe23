import { forecasterRegistry } from '../registry/builtin';
import { ScaledForecaster } from './scaled-forecaster';

/**
 * The model as the platform trains and serves it: a registry kind inside its per-series
 * scaling pipeline. The train job and the backtest both build models here, so a backtest
 * scores exactly what training produces (they cannot drift apart).
 */
export function servedPipeline(kind: string, config: Record<string, unknown>): ScaledForecaster {
  return new ScaledForecaster(forecasterRegistry.create(kind, config));
}
