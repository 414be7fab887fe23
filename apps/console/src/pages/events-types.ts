// The API answers the event-models page reads (see /docs: datasets, event models).

/** A time as the API writes it: ISO 8601 for timestamped datasets, a plain number otherwise. */
export type EventTime = number | string;

export interface EventDatasetSchema {
  kind: string;
  sequenceColumn?: string;
  timeColumn: string;
  typeColumn?: string | null;
  numTypes?: number;
}

export interface DatasetSummary {
  id: string;
  name: string;
  kind: string;
  latest?: {
    version: number;
    schema: EventDatasetSchema;
    seriesCount?: number;
    eventCount?: number;
    stats?: { columns?: Record<string, { top?: Record<string, number> }>; timeIsTimestamp?: boolean };
  };
}

/** One entry of GET /datasets/:id/series (a sequence of an event dataset). */
export interface SequenceEntry {
  key: string;
  rows: number;
  first: EventTime;
  last: EventTime;
}

/** GET /datasets/:id/series/:key */
export interface SequenceValues {
  key: string;
  times: EventTime[];
  columns: Record<string, (number | string | null)[]>;
}

export interface EventModelRow {
  id: string;
  name: string;
  kind: string;
  datasetId: string;
  status: string;
  latestVersionId: string | null;
}

/** A sequence on the model's terms: times as numbers (UTC ms for timestamps), 0-based type ids. */
export interface TypedSequence {
  times: number[];
  types: number[];
}

export interface PredictAnswer {
  typeNames: string[];
  next: {
    gapMean: number;
    timeMean: EventTime;
    gapQuantiles: Record<string, number>;
    timeQuantiles: Record<string, EventTime>;
    type: number;
    typeName: string;
    typeProbabilities: number[];
  };
}

/** POST /event-models/:id/intensity */
export interface IntensityAnswer {
  typeNames: string[];
  unit: string;
  after: EventTime;
  gaps: number[];
  times: EventTime[];
  /** intensity[type][point], per the dataset's unit. */
  intensity: number[][];
  total: number[];
  compensator: number[];
  survival: number[];
  density: number[];
  along?: { times: EventTime[]; intensity: number[][]; total: number[] };
}

/** POST /event-models/:id/generate */
export interface GenerateAnswer {
  typeNames: string[];
  samples: { times: EventTime[]; types: number[] }[];
}
