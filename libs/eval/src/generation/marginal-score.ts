import { Unprocessable } from '@seqcast/core';
import { checkSequenceSet, type SequenceSet } from './sequence-set';

/** LS4's histogram resolution. */
export const MARGINAL_BINS = 50;

export interface MarginalScore {
  /**
   * LS4's marginal score: per channel, the mean over the bins of |density_gen - density_real|
   * (densities per unit value, bins over the real channel's range), then the mean over
   * channels. Lower is better. Its scale is 1 / range: generated values that all fall
   * outside the real range score exactly 1 / (max - min) of the real channel.
   */
  score: number;
  perChannel: number[];
  /**
   * The same histograms as probability masses: sum over bins of |p_gen - p_real| plus the
   * generated mass outside the real range, in [0, 2] (2 for disjoint supports). Scale-free,
   * so comparable across datasets; not in the paper.
   */
  l1: number;
  l1PerChannel: number[];
}

/**
 * Marginal score of LS4 (metrics.py, HistoLoss): 50-bin histograms of all values of a
 * channel (every sequence, every step), bins spanning [min, max] of the real data.
 *
 * Deviation from the reference, on purpose: the reference bins real values with torch.histc
 * but counts a generated value in bin k when |x - centre_k| < delta / 2 strictly, so a
 * generated value on a bin edge (the real minimum and maximum among them) falls in no bin and
 * identical sets do not score 0. Here both sets are binned by one rule (histc's: floor of
 * (x - min) / delta, the maximum in the last bin, values outside [min, max] in none), so
 * identical sets score exactly 0. Elsewhere the two rules agree.
 */
export function marginalScore(
  real: SequenceSet,
  generated: SequenceSet,
  bins = MARGINAL_BINS,
): MarginalScore {
  const r = checkSequenceSet(real, 'real');
  const g = checkSequenceSet(generated, 'generated');
  if (g.channels !== r.channels) {
    throw new Unprocessable('generated and real sets have different channels', [
      { field: 'generated', reason: `expected ${r.channels} channels, got ${g.channels}` },
    ]);
  }
  const perChannel: number[] = [];
  const l1PerChannel: number[] = [];
  for (let c = 0; c < r.channels; c++) {
    let lo = Infinity;
    let hi = -Infinity;
    for (const seq of real) {
      const ch = seq[c];
      for (let t = 0; t < ch.length; t++) {
        if (ch[t] < lo) lo = ch[t];
        if (ch[t] > hi) hi = ch[t];
      }
    }
    if (!(hi > lo)) {
      throw new Unprocessable(`real channel ${c} is constant: its histogram has no width`, [
        { field: 'real', reason: `channel ${c} takes one value (${lo})` },
      ]);
    }
    const delta = (hi - lo) / bins;
    const realCounts = histogram(real, c, lo, hi, bins);
    const genCounts = histogram(generated, c, lo, hi, bins);
    const nReal = r.count * r.length;
    const nGen = g.count * g.length;
    let densityGap = 0;
    let massGap = 0;
    let genInside = 0;
    for (let k = 0; k < bins; k++) {
      const pr = realCounts[k] / nReal;
      const pg = genCounts[k] / nGen;
      densityGap += Math.abs(pg - pr) / delta;
      massGap += Math.abs(pg - pr);
      genInside += pg;
    }
    perChannel.push(densityGap / bins);
    l1PerChannel.push(massGap + Math.max(0, 1 - genInside));
  }
  const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
  return { score: mean(perChannel), perChannel, l1: mean(l1PerChannel), l1PerChannel };
}

/** Counts of channel c's values per bin of [lo, hi] (histc's rule: hi in the last bin, outside in none). */
function histogram(set: SequenceSet, c: number, lo: number, hi: number, bins: number): Float64Array {
  const counts = new Float64Array(bins);
  const scale = bins / (hi - lo);
  for (const seq of set) {
    const ch = seq[c];
    for (let t = 0; t < ch.length; t++) {
      const x = ch[t];
      if (x < lo || x > hi) continue;
      counts[Math.min(bins - 1, Math.floor((x - lo) * scale))]++;
    }
  }
  return counts;
}
