import { ColumnStats } from '../stats/column-stats';
import { DatasetKind, DatasetSchema } from '../schema/dataset-schema';
import { GapReport } from '../validation/batch-validator';

/** Statistics kept with a version (the `stats` metadata column). */
export interface VersionStats {
  columns: Record<string, ColumnStats>;
  /** Gaps and off-grid stamps found against the inferred frequency (series only). */
  gaps: GapReport | null;
  /** Whether time values are timestamps (UTC ms) or plain numbers (event times). */
  timeIsTimestamp: boolean;
  /** Rows per data file of the version, in file order. */
  fileRows: number[];
}

/** Everything the metadata row of a new dataset version holds. */
export interface VersionContent {
  kind: DatasetKind;
  /** Data files, oldest first: the previous version's files and the new one. */
  files: string[];
  /** The file this ingest wrote (or found already stored). */
  newFile: string;
  /** Whether this ingest created `newFile` (so undoing it may delete the file). */
  created: boolean;
  /** sha256 over the version's file hashes in order: equal data, equal hash. */
  contentHash: string;
  schema: DatasetSchema;
  rowCount: number;
  seriesCount: number;
  eventCount: number;
  timeStart: number | null;
  timeEnd: number | null;
  frequency: string | null;
  stats: VersionStats;
  /** Bytes received from the client (or file). */
  bytesIn: number;
}

/** A time value as metadata shows it: ISO 8601 for timestamps, the number for numeric event times. */
export function formatTime(t: number | null, isTimestamp: boolean): string | null {
  if (t === null || !Number.isFinite(t)) return null;
  return isTimestamp ? new Date(t).toISOString() : String(t);
}
