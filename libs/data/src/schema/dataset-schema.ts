/**
 * What each column of a dataset means. The Arrow schema says how values are stored;
 * these roles say how models read them, and they travel with every dataset version.
 */
export type DatasetKind = 'series' | 'events' | 'seq2seq';

/** Long-format time series: one row per (series key, timestamp). */
export interface SeriesSchema {
  kind: 'series';
  /** Columns whose values together name a series; empty means a single series. */
  keyColumns: string[];
  timeColumn: string;
  /** Targets: the numeric columns models forecast. */
  valueColumns: string[];
  /** Covariates whose future values are known when forecasting (calendar, prices, plans). */
  knownCovariates: string[];
  /** Covariates observed only up to the forecast origin. */
  pastCovariates: string[];
}

/** Event sequences (temporal point processes, EBES-style sequence classification). */
export interface EventSchema {
  kind: 'events';
  sequenceColumn: string;
  /** Timestamp or plain number (for example hours since the start of the sequence). */
  timeColumn: string;
  /** The event mark; null for sequences of feature vectors without types (sktime `.ts`). */
  typeColumn: string | null;
  numericFeatures: string[];
  categoricalFeatures: string[];
  /** Sequence-level label (class or value), constant within a sequence. */
  targetColumn: string | null;
  /** Number of event types when the source states it (EasyTPP `dim_process`, binned types); else from the data. */
  numTypes?: number;
}

/**
 * Sequence-to-sequence data (HiSS's setting): one row per (sequence, input step), input
 * channels at the high rate, target channels at a rate `ratio` times lower. Target k belongs
 * to the chunk of input rows [k ratio, (k + 1) ratio) of its sequence and sits on the chunk's
 * last row (the time it is taken at); the target cells of the other rows are empty. One table
 * keeps a version one Arrow file like the other kinds, and the rows stay in time order.
 */
export interface Seq2SeqSchema {
  kind: 'seq2seq';
  sequenceColumn: string;
  /** Step index or timestamp of each input sample, increasing within a sequence. */
  timeColumn: string;
  inputColumns: string[];
  targetColumns: string[];
  /** Input rate / output rate: input rows per target row (an integer >= 1). */
  ratio: number;
}

export type DatasetRoles = SeriesSchema | EventSchema | Seq2SeqSchema;

/** One stored column: its name, its Arrow type as Arrow prints it, and nullability. */
export interface FieldInfo {
  name: string;
  type: string;
  nullable: boolean;
}

/** Roles plus the physical fields: what a version's metadata records as its schema. */
export type DatasetSchema = DatasetRoles & { fields: FieldInfo[] };

/** Every column a role names, in a stable order. */
export function roleColumns(roles: DatasetRoles): string[] {
  if (roles.kind === 'series') {
    return [
      ...roles.keyColumns,
      roles.timeColumn,
      ...roles.valueColumns,
      ...roles.knownCovariates,
      ...roles.pastCovariates,
    ];
  }
  if (roles.kind === 'seq2seq')
    return [roles.sequenceColumn, roles.timeColumn, ...roles.inputColumns, ...roles.targetColumns];
  return [
    roles.sequenceColumn,
    roles.timeColumn,
    ...(roles.typeColumn ? [roles.typeColumn] : []),
    ...roles.numericFeatures,
    ...roles.categoricalFeatures,
    ...(roles.targetColumn ? [roles.targetColumn] : []),
  ];
}

/** The columns that name a series (or sequence). */
export function keyColumnsOf(roles: DatasetRoles): string[] {
  return roles.kind === 'series' ? roles.keyColumns : [roles.sequenceColumn];
}

/** Numeric columns whose NaN/infinity policy and statistics apply. */
export function numericColumnsOf(roles: DatasetRoles): string[] {
  if (roles.kind === 'seq2seq') return [...roles.inputColumns, ...roles.targetColumns];
  return roles.kind === 'series'
    ? [...roles.valueColumns, ...roles.knownCovariates, ...roles.pastCovariates]
    : roles.numericFeatures;
}

/**
 * The IANA zone (or offset) a dataset's timestamps were uploaded with, from its stored
 * time column type (`Timestamp<MILLISECOND, Europe/Paris>`); null for naive timestamps,
 * dates and numeric event times. Arrow timestamps are UTC instants whatever the zone: the
 * zone says how the sender displays them, so it travels with every export and forecast.
 */
export function timeZoneOf(schema: DatasetSchema): string | null {
  const type = schema.fields.find((f) => f.name === schema.timeColumn)?.type ?? '';
  const m = /^Timestamp<[A-Z]+, (.+)>$/.exec(type);
  return m ? m[1] : null;
}
