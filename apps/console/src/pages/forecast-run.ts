import { api, ApiError } from '../api';
import { historyFrom, historyOf, quantilesForLevels, type HistorySeries } from './forecast-data';
import type {
  ForecastAnswer,
  ForecastRequest,
  ModelSummary,
  SeriesSummary,
  SeriesValues,
} from './forecast-types';

// The requests behind one forecast view: the forecast of a model (asking its quantiles when its
// kind is probabilistic) and the newest values of the series it forecast.

export interface Ran {
  model: ModelSummary;
  /** The body sent, kept for the Arrow download (the same forecast again, as Arrow). */
  request: ForecastRequest;
  answer: ForecastAnswer;
  /** Why the view has fewer intervals than asked, when it has. */
  note?: string;
}

export function forecastBody(
  horizon: number,
  seriesKey: string | undefined,
  quantiles: number[],
): ForecastRequest {
  return {
    horizon,
    ...(seriesKey !== undefined ? { seriesKey } : {}),
    ...(quantiles.length ? { quantiles } : {}),
  };
}

/**
 * Forecasts with `model`. A probabilistic kind is asked for the quantiles of `levels`; should it
 * refuse them (422 naming quantiles: a statistical kind serves only the levels of its config,
 * an ensemble of point models none) the forecast is made again without them, which gives the
 * quantiles it has, and the note says why the levels asked are not all there. A point kind is
 * never asked: its only intervals are its calibrator's, which every forecast carries.
 */
export async function forecastWith(
  model: ModelSummary,
  probabilistic: boolean,
  horizon: number,
  seriesKey: string | undefined,
  levels: number[],
): Promise<Ran> {
  const path = `/models/${model.id}/forecast`;
  const quantiles = probabilistic ? quantilesForLevels(levels) : [];
  const request = forecastBody(horizon, seriesKey, quantiles);
  try {
    return { model, request, answer: await api<ForecastAnswer>(path, { body: request }) };
  } catch (e) {
    if (!(e instanceof ApiError && e.status === 422 && e.forField('quantiles').length)) throw e;
    const plain = forecastBody(horizon, seriesKey, []);
    return {
      model,
      request: plain,
      answer: await api<ForecastAnswer>(path, { body: plain }),
      note: `${model.name} could not give every level asked (${e.message}); the levels it has are shown.`,
    };
  }
}

/**
 * The path of a series' values. A dataset of one series has the empty key, which no path segment
 * can carry: that one goes by ?key= (GET /datasets/:id/values).
 */
export function seriesValuesPath(datasetId: string, key: string, from: string | undefined): string {
  const q = new URLSearchParams();
  if (key === '') q.set('key', '');
  if (from !== undefined) q.set('from', from);
  const query = q.toString();
  const base =
    key === '' ? `/datasets/${datasetId}/values` : `/datasets/${datasetId}/series/${encodeURIComponent(key)}`;
  return query ? `${base}?${query}` : base;
}

/** The newest `n` values of one column of a series (from its summary's range, when known). */
export async function loadHistory(
  datasetId: string,
  key: string,
  column: string,
  n: number,
  summary: SeriesSummary | undefined,
): Promise<HistorySeries> {
  const from = summary ? historyFrom(summary, n) : undefined;
  let values = await api<SeriesValues>(seriesValuesPath(datasetId, key, from));
  // gaps near the end can leave the estimated range short of n rows: read it all then
  if (from !== undefined && values.times.length < n)
    values = await api<SeriesValues>(seriesValuesPath(datasetId, key, undefined));
  return historyOf(values, column, n);
}
