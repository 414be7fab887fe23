import { LL_WINDOW } from '@seqcast/events';
import { markdownTable } from '../report/markdown-table';
import type { TppEvalRow } from './tpp-eval-results';

function fmt(m: { mean: number; std: number }, digits: number, seeds: number): string {
  if (!Number.isFinite(m.mean)) return 'n/a';
  return seeds > 1 ? `${m.mean.toFixed(digits)} ± ${m.std.toFixed(digits)}` : m.mean.toFixed(digits);
}

/**
 * EasyTPP-style results: one table per dataset, a row per model, mean ± std over seeds.
 * `gap to truth` is the true process's LL per event minus the model's (simulations only,
 * which also get the row of the least gap a model with types independent of the time can
 * reach: an LL without predictions, n/a in their columns);
 * `s / epoch` is the mean over the training epochs, `median s / epoch` their median (the
 * steady state: the first epochs carry the JIT's warm-up). Each dataset's table says the unit
 * of its LL and the window it covers; `flags` is the sanity gate's verdict on a trained model
 * (LL below Poisson's, accuracy at or below the majority class's).
 * Horizon mode adds OTD and count RMSE of continuations `horizon.events` ahead (horizon-score.ts).
 */
export function tppMarkdownTable(rows: TppEvalRow[]): string {
  const out: string[] = [];
  for (const dataset of [...new Set(rows.map((r) => r.dataset))]) {
    const rs = rows.filter((r) => r.dataset === dataset);
    const hasTruth = rs.some((r) => r.gapToTruth);
    const hasHorizon = rs.some((r) => r.otd);
    const head = ['model', 'LL / event', ...(hasTruth ? ['gap to truth'] : []), 'RMSE (mean)', 'RMSE (1 draw)', 'type error', ...(hasHorizon ? ['OTD', 'count RMSE'] : []), 's / epoch', 'median s / epoch', 'seeds', 'flags'];
    const cells = rs.map((r) => [
      r.model,
      fmt(r.logLikelihood, 3, r.seeds),
      ...(hasTruth ? [r.gapToTruth ? fmt(r.gapToTruth, 3, r.seeds) : ''] : []),
      fmt(r.rmse, 3, r.seeds),
      fmt(r.rmseDraw, 3, r.seeds),
      fmt(r.errorRate, 3, r.seeds),
      ...(hasHorizon ? [r.otd ? fmt(r.otd, 3, r.seeds) : '', r.countRmse ? fmt(r.countRmse, 3, r.seeds) : ''] : []),
      r.secondsPerEpoch.mean > 0 ? fmt(r.secondsPerEpoch, 2, r.seeds) : '',
      r.medianSecondsPerEpoch.mean > 0 ? fmt(r.medianSecondsPerEpoch, 2, r.seeds) : '',
      String(r.seeds),
      r.flags.map((f) => `**${f}**`).join('; '),
    ]);
    // the model column left, every figure right-aligned
    const unit = rs[0].unit === 'as given' ? "the data's own unit (as given)" : rs[0].unit;
    out.push(`#### ${dataset}`, '', `LL per event with times in ${unit}; ${LL_WINDOW}. RMSE in the same unit.`, '', ...markdownTable(head, cells, head.map((_, i) => (i ? 'r' : 'l'))), '');
  }
  return out.join('\n');
}
