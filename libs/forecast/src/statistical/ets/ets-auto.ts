import { EtsCriterion, EtsFit, fitEts } from './ets-fit';
import type { ErrorType, EtsSpec, SeasonType, TrendType } from './ets-model';

export type InformationCriterion = 'aicc' | 'aic' | 'bic';

/** Which models to consider: a letter fixes a component, 'Z' lets the criterion choose (R's "ZZZ"). */
export interface EtsSearch {
  error: ErrorType | 'Z';
  trend: TrendType | 'Z';
  season: SeasonType | 'Z';
  /** null: try both. */
  damped: boolean | null;
  m: number;
  ic: InformationCriterion;
  criterion?: EtsCriterion;
}

/** R's `ets(y)`: every component chosen by AICc, damping tried both ways. */
export function automaticEtsSearch(m: number): EtsSearch {
  return { error: 'Z', trend: 'Z', season: 'Z', damped: null, m, ic: 'aicc' };
}

/** Frequencies above this are fitted without a season (the forecast package's limit). */
export const MAX_ETS_SEASON = 24;

/**
 * The candidate models of the forecast package's `ets` with restrict = TRUE and no
 * multiplicative trend: additive error never with a multiplicative season, multiplicative
 * components only for positive data, no season when m = 1, m > 24 or the data are not
 * longer than a season. `fitEts` leaves out a model with as many parameters as values
 * less one, as the package does.
 */
export function etsCandidates(y: ArrayLike<number>, search: EtsSearch): EtsSpec[] {
  const n = y.length;
  let positive = true;
  for (let i = 0; i < n; i++) if (!(y[i] > 0)) positive = false;
  const seasonalAllowed = search.m > 1 && search.m <= MAX_ETS_SEASON && n > search.m;
  const errors: ErrorType[] = search.error === 'Z' ? ['A', 'M'] : [search.error];
  const trends: TrendType[] = search.trend === 'Z' ? ['N', 'A'] : [search.trend];
  const seasons: SeasonType[] = !seasonalAllowed
    ? ['N']
    : search.season === 'Z'
      ? ['N', 'A', 'M']
      : [search.season];
  const dampings = search.damped === null ? [true, false] : [search.damped];
  const out: EtsSpec[] = [];
  for (const error of errors)
    for (const trend of trends)
      for (const season of seasons)
        for (const damped of dampings) {
          if (trend === 'N' && damped) continue;
          if (error === 'A' && season === 'M') continue;
          if (!positive && (error === 'M' || season === 'M')) continue;
          out.push({ error, trend, damped, season, m: season === 'N' ? 1 : search.m });
        }
  return out;
}

/**
 * Automatic ETS (Hyndman et al. 2002; the forecast package's `ets(y)`): every candidate
 * fitted by maximum likelihood, the one with the smallest information criterion kept.
 * When no candidate can be fitted, ETS(A,N,N) is tried (R stops with an error there).
 */
export function autoEts(y: ArrayLike<number>, search: EtsSearch): EtsFit {
  const candidates = etsCandidates(y, search);
  let best: EtsFit | null = null;
  const ic = (f: EtsFit) => f[search.ic];
  const fits = (specs: EtsSpec[]) => {
    for (const spec of specs) {
      const fit = fitEts(y, spec, { criterion: search.criterion });
      if (fit && Number.isFinite(ic(fit)) && (!best || ic(fit) < ic(best))) best = fit;
    }
  };
  fits(candidates);
  if (!best) fits([{ error: 'A', trend: 'N', damped: false, season: 'N', m: 1 }]);
  if (!best) throw new Error('ETS: no model could be fitted to this series');
  return best;
}
