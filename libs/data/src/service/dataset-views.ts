import { DatasetEntity, DatasetVersionEntity } from '@seqcast/db';
import { DatasetSchema } from '../schema/dataset-schema';
import { VersionStats } from '../ingest/version-content';

/** Stats as stored: the ingest's, plus the numeric time range (timestamps or plain event times). */
export type StoredStats = VersionStats & {
  timeRange: { start: number | null; end: number | null };
  bytesIn: number;
};

export interface VersionView {
  id: string;
  datasetId: string;
  version: number;
  files: string[];
  contentHash: string;
  schema: DatasetSchema;
  stats: StoredStats;
  rowCount: number;
  seriesCount: number;
  eventCount: number;
  /** ISO 8601 for timestamps; the number for numeric event times. */
  timeStart: string | number | null;
  timeEnd: string | number | null;
  frequency: string | null;
  /** Bytes on disk of the version's files (shared with earlier versions); null if not measurable. */
  diskBytes: number | null;
  createdAt: string;
}

export interface DatasetView {
  id: string;
  name: string;
  kind: 'series' | 'events' | 'seq2seq';
  description: string | null;
  createdAt: string;
  updatedAt: string;
  /** Bytes on disk of all the dataset's files: its newest version lists every one. */
  diskBytes: number | null;
  latest: VersionView | null;
}

function time(
  range: number | null | undefined,
  date: Date | null,
  isTimestamp: boolean,
): string | number | null {
  if (isTimestamp) return date ? new Date(date).toISOString() : null;
  return range ?? null;
}

export function versionView(v: DatasetVersionEntity): VersionView {
  const stats = v.stats as unknown as StoredStats;
  const stamp = stats.timeIsTimestamp !== false;
  return {
    id: v.id,
    datasetId: v.datasetId,
    version: v.version,
    files: v.files,
    contentHash: v.contentHash,
    schema: v.schema as unknown as DatasetSchema,
    stats,
    rowCount: v.rowCount,
    seriesCount: v.seriesCount,
    eventCount: v.eventCount,
    timeStart: time(stats.timeRange?.start, v.timeStart, stamp),
    timeEnd: time(stats.timeRange?.end, v.timeEnd, stamp),
    frequency: v.frequency,
    diskBytes: v.diskBytes ?? null,
    createdAt: new Date(v.createdAt).toISOString(),
  };
}

export function datasetView(d: DatasetEntity, latest: DatasetVersionEntity | null): DatasetView {
  return {
    id: d.id,
    name: d.name,
    kind: d.kind,
    description: d.description,
    createdAt: new Date(d.createdAt).toISOString(),
    updatedAt: new Date(d.updatedAt).toISOString(),
    diskBytes: latest ? (latest.diskBytes ?? null) : 0,
    latest: latest ? versionView(latest) : null,
  };
}
