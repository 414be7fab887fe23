// The API answers the forecast page reads (subsets of the OpenAPI document's ModelView,
// ForecastView, AdapterView, CalibratorView and the dataset series views).

export interface ModelSummary {
  id: string;
  name: string;
  kind: string;
  datasetId: string;
  target: string;
  targets: string[];
  lookback: number;
  horizon: number;
  status: string;
  latestVersionId: string | null;
}

export interface ModelVersion {
  id: string;
  version: number;
  createdAt: string;
}

export interface ForecastInterval {
  calibratorId: string;
  method: string;
  /** e.g. ['80', '95']: bounds lo-80, hi-80, ... */
  levels: string[];
  calibratedSteps: number | null;
  extrapolated: { fromStep: number; toStep: number; note: string } | null;
}

export interface ForecastAnswer {
  id: string;
  modelId: string;
  modelVersionId: string;
  seriesKey: string;
  horizon: number;
  origin: string | null;
  frequency: string | null;
  start: string | null;
  interval: ForecastInterval | null;
  adaptation: { adapterId: string; method: string; at: number; steps: number } | null;
  steps: { step: number; timestamp: string | null; value: number }[];
  channels: string[];
  /** point[channel][step] */
  point: number[][];
  /** bounds['lo-90'][channel][step] (a calibrator's) */
  bounds?: Record<string, number[][]>;
  /** quantiles['0.1'][channel][step] (the model's own) */
  quantiles?: Record<string, number[][]>;
}

/** The body of POST /models/:id/forecast this page sends. */
export interface ForecastRequest {
  horizon: number;
  seriesKey?: string;
  quantiles?: number[];
}

export interface SeriesSummary {
  key: string;
  rows: number;
  first: string | number;
  last: string | number;
}

export interface SeriesValues {
  key: string;
  times: (string | number)[];
  columns: Record<string, (number | string | null)[]>;
}

export interface AdapterSummary {
  id: string;
  method: string;
  status: string;
  modelVersionId: string | null;
  createdAt: string;
}

export interface CalibratorSummary {
  id: string;
  method: string;
  alpha: number[];
  status: string;
  modelVersionId: string | null;
  createdAt: string;
}
