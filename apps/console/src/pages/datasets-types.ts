// The dataset shapes the Datasets page reads (GET /datasets, /datasets/:id/versions,
// /datasets/:id/series, /datasets/:id/values), a subset of the OpenAPI document.

export type DatasetKind = 'series' | 'events' | 'seq2seq';

export interface NumericColumnStats {
  kind: 'numeric';
  count: number;
  nulls: number;
  min: number | null;
  max: number | null;
  mean: number | null;
  std: number | null;
}

export interface CategoryColumnStats {
  kind: 'category';
  count: number;
  nulls: number;
  distinct: number;
  top: Record<string, number>;
}

export type ColumnStats = NumericColumnStats | CategoryColumnStats;

export interface GapReport {
  count: number;
  missing: number;
  irregular: number;
  examples: { key: string; after: string; before: string; missing: number }[];
}

/** Column roles (whichever the kind has) plus the stored fields. */
export interface DatasetSchema {
  kind: DatasetKind;
  fields: { name: string; type: string; nullable: boolean }[];
  keyColumns?: string[];
  timeColumn: string;
  valueColumns?: string[];
  knownCovariates?: string[];
  pastCovariates?: string[];
  sequenceColumn?: string;
  typeColumn?: string | null;
  numericFeatures?: string[];
  categoricalFeatures?: string[];
  targetColumn?: string | null;
  numTypes?: number;
  inputColumns?: string[];
  targetColumns?: string[];
  ratio?: number;
}

export interface DatasetVersion {
  id: string;
  datasetId: string;
  version: number;
  files: string[];
  schema: DatasetSchema;
  stats: {
    columns: Record<string, ColumnStats>;
    gaps: GapReport | null;
    timeIsTimestamp: boolean;
  };
  rowCount: number;
  seriesCount: number;
  eventCount: number;
  timeStart: string | number | null;
  timeEnd: string | number | null;
  frequency: string | null;
  diskBytes: number | null;
  createdAt: string;
}

export interface Dataset {
  id: string;
  name: string;
  kind: DatasetKind;
  description: string | null;
  createdAt: string;
  updatedAt: string;
  diskBytes: number | null;
  latest: DatasetVersion | null;
}

export interface SeriesSummary {
  key: string;
  rows: number;
  first: string | number;
  last: string | number;
  target?: string | null;
}

export interface SeriesValues {
  key: string;
  times: (string | number)[];
  columns: Record<string, (number | string | null)[]>;
}

/** A detail of a refused upload: the data's problems name a 1-based row and a column. */
export interface UploadIssue {
  reason: string;
  field?: string;
  row?: number;
  column?: string;
}
