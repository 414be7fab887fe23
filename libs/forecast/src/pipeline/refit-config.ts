import { forecasterRegistry } from '../registry/builtin';
import type { FitReport } from '../types';

/**
 * The config a refit on every observation uses (POST /models/:id/train {fitOn: "all"}): the
 * kind's config with what validation picked on the split fit put in. A kind trained with early
 * stopping trains for the epoch validation kept (`bestEpoch`; the refit has no validation part,
 * so it cannot stop early itself); what a fit reports in `chosen` (a penalty picked on the
 * validation part) is carried over as it is. Settings a kind derives from the data alone (AR-Net's
 * step count from the number of samples, closed-form solutions) are derived again on all of it.
 * A refit's schedule (warm-up, cosine) spans the kept epochs, so it is not step-for-step the
 * split fit's: that is the usual compromise of refitting with a fixed epoch count.
 */
export function refitConfig(
  kind: string,
  config: Record<string, unknown>,
  report: FitReport,
): Record<string, unknown> {
  const fields = forecasterRegistry.definition(kind).schema.fields as Record<string, unknown>;
  const out: Record<string, unknown> = { ...config, ...report.chosen };
  if (report.bestEpoch !== undefined && 'epochs' in fields) out.epochs = report.bestEpoch;
  return out;
}
