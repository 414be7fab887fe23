/**
 * What each column of a dataset means. The Arrow schema says how values are stored;
 * these roles say how models read them, and they travel with every dataset version.
 */
export type DatasetKind = 'series' | 'events';

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

export type DatasetRoles = SeriesSchema | EventSchema;

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
