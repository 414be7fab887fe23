import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { AppConfig, Conflict, NotFound, ValidationFailed, dataPaths } from '@seqcast/core';
import { DatasetEntity, DatasetVersionEntity } from '@seqcast/db';
import { DataSource, EntityManager, QueryFailedError } from 'typeorm';
import { RecordBatch, Schema } from 'apache-arrow';
import { BaseVersion, IngestOptions, ingestBatches } from '../ingest/ingest';
import { SourceOptions, openSource } from '../ingest/open-source';
import { VersionContent } from '../ingest/version-content';
import { DatasetKind } from '../schema/dataset-schema';
import { DatasetStore } from '../store/dataset-store';
import { exportArrowStream, exportCsv } from '../store/export';
import { exportParquet } from '../parquet/write-parquet';
import { BodyCodec } from '../arrow/codecs';
import { SeriesValues, readSeriesValues } from '../store/series-reader';
import { parseTimestamp } from '../time/parse-timestamp';
import { IssueCollector } from '../validation/issues';
import { SeriesSummary } from '../validation/series-state';
import { DatasetView, StoredStats, VersionView, datasetView, versionView } from './dataset-views';

export const DATASET_STORE = Symbol('DATASET_STORE');

/**
 * How old a file no version lists must be before the boot sweep removes it: far longer
 * than an upload takes between committing its file and writing its version's row.
 */
const ORPHAN_MIN_AGE_MS = 60 * 60 * 1000;

/** What a client says about an upload besides its bytes. */
export type UploadOptions = Omit<SourceOptions, 'maxBytes' | 'kind'> &
  Omit<IngestOptions, 'kind' | 'issues' | 'bytesIn' | 'context'> & {
    kind?: DatasetKind;
    onBytes?: (bytes: number) => void;
  };

export interface SeriesPage {
  items: (Omit<SeriesSummary, 'first' | 'last'> & { first: string | number; last: string | number })[];
  total: number;
}

/**
 * Datasets as the API and the CLI see them: uploads become validated, immutable
 * versions (files in the store, one metadata row each), appends add a version that
 * reuses the previous files, and reads go through a version's file list. A version's
 * row is written only after its file is complete, and a file whose row could not be
 * written is removed again, so a failed upload leaves nothing behind.
 */
@Injectable()
export class DatasetsService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('datasets');

  constructor(
    private readonly ds: DataSource,
    @Inject(DATASET_STORE) readonly store: DatasetStore,
    private readonly config: AppConfig,
  ) {}

  /** The server-wide upload limit (MAX_UPLOAD_BYTES). */
  get maxUploadBytes(): number {
    return this.config.MAX_UPLOAD_BYTES;
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.store.init();
    this.store.startSweeping();
    await this.sweepOrphans().catch((e) => this.logger.warn(`orphan sweep failed: ${String(e)}`));
  }

  /** Removes stored files that no version lists (see DatasetStore.sweepOrphans); returns their names. */
  async sweepOrphans(minAgeMs = ORPHAN_MIN_AGE_MS): Promise<string[]> {
    const rows = await this.versions.find({ select: { id: true, files: true } });
    const removed = await this.store.sweepOrphans(new Set(rows.flatMap((r) => r.files)), minAgeMs);
    if (removed.length) this.logger.log(`removed ${removed.length} dataset file(s) no version lists`);
    return removed;
  }

  onApplicationShutdown(): void {
    this.store.stopSweeping();
  }

  private get datasets() {
    return this.ds.getRepository(DatasetEntity);
  }

  private get versions() {
    return this.ds.getRepository(DatasetVersionEntity);
  }

  async create(
    bytes: AsyncIterable<Uint8Array | string>,
    meta: { name: string; description?: string | null; kind: DatasetKind },
    options: UploadOptions,
  ): Promise<DatasetView> {
    const content = await this.ingest(bytes, meta.kind, options);
    const id = randomUUID();
    const now = new Date();
    try {
      const diskBytes = await this.store.bytesOf(content.files);
      const saved = await this.ds.transaction(async (m) => {
        const d = m.create(DatasetEntity, {
          id,
          name: meta.name,
          kind: content.kind,
          description: meta.description ?? null,
          createdAt: now,
          updatedAt: now,
        });
        await m.save(d);
        const v = await m.save(this.versionEntity(id, 1, content, diskBytes));
        return [d, v] as const;
      });
      return datasetView(saved[0], saved[1]);
    } catch (e) {
      await this.undo(content);
      throw e;
    }
  }

  async append(
    id: string,
    bytes: AsyncIterable<Uint8Array | string>,
    options: UploadOptions,
  ): Promise<VersionView> {
    const dataset = await this.getEntity(id);
    const latest = await this.latestEntity(id);
    if (!latest) throw new NotFound(`Dataset ${id} has no version to append to`);
    const content = await this.ingest(bytes, dataset.kind, options, this.baseOf(latest));
    try {
      const diskBytes = await this.store.bytesOf(content.files);
      const v = await this.ds.transaction(async (m) => {
        const saved = await m.save(this.versionEntity(id, latest.version + 1, content, diskBytes));
        await m.update(DatasetEntity, { id }, { updatedAt: new Date() });
        return saved;
      });
      return versionView(v);
    } catch (e) {
      await this.undo(content);
      if (e instanceof QueryFailedError && /unique|duplicate/i.test(e.message)) {
        throw new Conflict(
          `Another append to dataset ${id} finished first; retry against version ${latest.version + 1}`,
        );
      }
      throw e;
    }
  }

  async list(
    page: { limit?: number; offset?: number } = {},
  ): Promise<{ items: DatasetView[]; total: number }> {
    const [rows, total] = await this.datasets.findAndCount({
      order: { createdAt: 'DESC' },
      take: page.limit ?? 50,
      skip: page.offset ?? 0,
    });
    const items = await Promise.all(
      rows.map(async (d) => datasetView(d, await this.measured(await this.latestEntity(d.id)))),
    );
    return { items, total };
  }

  async get(id: string): Promise<DatasetView> {
    return datasetView(await this.getEntity(id), await this.measured(await this.latestEntity(id)));
  }

  async count(): Promise<number> {
    return this.datasets.count();
  }

  async listVersions(id: string): Promise<VersionView[]> {
    await this.getEntity(id);
    const rows = await this.versions.find({ where: { datasetId: id }, order: { version: 'ASC' } });
    return Promise.all(rows.map(async (v) => versionView((await this.measured(v))!)));
  }

  /** A version (the latest when `version` is undefined). */
  async version(id: string, version?: number): Promise<VersionView> {
    await this.getEntity(id);
    const v =
      version === undefined
        ? await this.latestEntity(id)
        : await this.versions.findOne({ where: { datasetId: id, version } });
    if (!v)
      throw new NotFound(`Dataset ${id} has no version ${version ?? ''}`.trim(), [
        { field: 'version', reason: 'no such version' },
      ]);
    return versionView((await this.measured(v))!);
  }

  async series(
    id: string,
    q: { version?: number; limit?: number; offset?: number } = {},
  ): Promise<SeriesPage> {
    const v = await this.version(id, q.version);
    const all = await this.store.readSeries(v.files);
    const stamp = v.stats.timeIsTimestamp !== false;
    const show = (t: number) => (stamp ? new Date(t).toISOString() : t);
    const offset = q.offset ?? 0;
    const items = all
      .slice(offset, offset + (q.limit ?? 100))
      .map((s) => ({ ...s, first: show(s.first), last: show(s.last) }));
    return { items, total: all.length };
  }

  async seriesValues(
    id: string,
    key: string,
    q: { version?: number; from?: string; to?: string; limit?: number } = {},
  ): Promise<SeriesValues> {
    const v = await this.version(id, q.version);
    const stamp = v.stats.timeIsTimestamp !== false;
    const bound = (text: string | undefined, field: string) => {
      if (text === undefined) return undefined;
      const t = stamp ? parseTimestamp(text) : Number(text);
      if (t !== t)
        throw new ValidationFailed(`Cannot read ${field}=${text}`, [
          { field, reason: stamp ? 'expected an ISO 8601 timestamp' : 'expected a number' },
        ]);
      return t;
    };
    const from = bound(q.from, 'from');
    const to = bound(q.to, 'to');
    // The file indexes say which files hold the series: read only those.
    const files: string[] = [];
    for (const f of v.files)
      if ((await this.store.readIndex(f)).series.some((s) => s.key === key)) files.push(f);
    const out = files.length
      ? await readSeriesValues(this.store.readBatches(files), v.schema, key, { from, to, limit: q.limit })
      : null;
    if (!out)
      throw new NotFound(`Dataset ${id} has no series ${key}`, [{ field: 'key', reason: 'no such series' }]);
    return out;
  }

  async exportVersion(
    id: string,
    format: 'arrow' | 'parquet' | 'csv',
    version?: number,
    compression?: BodyCodec,
  ): Promise<{ contentType: string; chunks: AsyncIterable<Uint8Array | string>; fileName: string }> {
    if (compression && format !== 'arrow')
      throw new ValidationFailed(`compression applies to Arrow exports, not ${format}`, [
        {
          field: 'compression',
          reason: 'Arrow IPC bodies only (Parquet pages are always ZSTD; CSV is not compressed)',
        },
      ]);
    const v = await this.version(id, version);
    const schema: Schema = await this.store.readSchema(v.files[0]);
    const batches: AsyncIterable<RecordBatch> = this.store.readBatches(v.files);
    if (format === 'parquet')
      return {
        contentType: 'application/vnd.apache.parquet',
        chunks: exportParquet(schema, batches),
        fileName: `${id}-v${v.version}.parquet`,
      };
    return format === 'arrow'
      ? {
          contentType: 'application/vnd.apache.arrow.stream',
          chunks: exportArrowStream(schema, batches, compression ?? null),
          fileName: `${id}-v${v.version}.arrows`,
        }
      : {
          contentType: 'text/csv; charset=utf-8',
          chunks: exportCsv(schema, batches),
          fileName: `${id}-v${v.version}.csv`,
        };
  }

  private async ingest(
    bytes: AsyncIterable<Uint8Array | string>,
    kind: DatasetKind,
    options: UploadOptions,
    base?: BaseVersion,
  ): Promise<VersionContent> {
    const issues = new IssueCollector(options.maxIssues ?? 100);
    const { source, bytesRead } = await openSource(
      bytes,
      {
        ...options,
        kind,
        maxBytes: Math.min(options.limits?.maxBytes ?? Infinity, this.config.MAX_UPLOAD_BYTES),
        csvLimits: {
          maxFieldBytes: this.config.CSV_MAX_FIELD_BYTES,
          maxLineBytes: this.config.CSV_MAX_LINE_BYTES,
        },
        spoolDir: this.store.root,
        spoolRenewMs: this.store.leaseRenewMs,
      },
      issues,
    );
    return ingestBatches(this.store, source, { ...options, kind, issues, bytesIn: bytesRead }, base);
  }

  /**
   * Deletes a dataset's rows, its versions and itself, in the caller's transaction, and
   * returns the files those versions listed: remove them with `releaseFiles` once the
   * transaction has committed, so a rolled-back deletion leaves every file in place.
   */
  async deleteRows(m: EntityManager, id: string): Promise<string[]> {
    const versions = await m.find(DatasetVersionEntity, {
      where: { datasetId: id },
      select: { id: true, files: true },
    });
    await m.delete(DatasetVersionEntity, { datasetId: id });
    await m.delete(DatasetEntity, { id });
    return [...new Set(versions.flatMap((v) => v.files))];
  }

  /**
   * Removes those of `files` that no version lists any more (content addressing lets another
   * dataset hold the same file). A crash halfway leaves orphans for `sweepOrphans`.
   */
  async releaseFiles(files: string[]): Promise<string[]> {
    const removed: string[] = [];
    for (const f of files) {
      if (await this.listed(f)) continue;
      await this.store.remove([f]);
      removed.push(f);
    }
    return removed;
  }

  /** Whether any version lists the file. */
  private async listed(file: string): Promise<boolean> {
    // File names are hex hashes: nothing in them is a LIKE wildcard.
    return (
      (await this.versions
        .createQueryBuilder('v')
        .where('v.files LIKE :f', { f: `%${file}%` })
        .getCount()) > 0
    );
  }

  /** Removes a file this ingest created when its metadata could not be saved (unless another version uses it). */
  private async undo(content: VersionContent): Promise<void> {
    if (!content.created) return;
    if (!(await this.listed(content.newFile)))
      await this.store
        .remove([content.newFile])
        .catch((e) => this.logger.warn(`could not remove ${content.newFile}: ${String(e)}`));
  }

  /**
   * Fills in the disk usage of a version from before it was recorded (measured once, then
   * kept: the files never change). A version whose files are unreadable stays unmeasured.
   */
  private async measured(v: DatasetVersionEntity | null): Promise<DatasetVersionEntity | null> {
    if (!v || v.diskBytes !== null) return v;
    const bytes = await this.store.bytesOf(v.files).catch(() => null);
    if (bytes !== null) {
      await this.versions.update({ id: v.id }, { diskBytes: bytes });
      v.diskBytes = bytes;
    }
    return v;
  }

  private versionEntity(
    datasetId: string,
    version: number,
    c: VersionContent,
    diskBytes: number,
  ): DatasetVersionEntity {
    const stamp = c.stats.timeIsTimestamp;
    const stats: StoredStats = {
      ...c.stats,
      timeRange: { start: c.timeStart, end: c.timeEnd },
      bytesIn: c.bytesIn,
    };
    return this.versions.create({
      id: randomUUID(),
      datasetId,
      version,
      files: c.files,
      contentHash: c.contentHash,
      schema: c.schema as unknown as Record<string, unknown>,
      stats: stats as unknown as Record<string, unknown>,
      rowCount: c.rowCount,
      seriesCount: c.seriesCount,
      eventCount: c.eventCount,
      timeStart: stamp && c.timeStart !== null ? new Date(c.timeStart) : null,
      timeEnd: stamp && c.timeEnd !== null ? new Date(c.timeEnd) : null,
      frequency: c.frequency,
      diskBytes,
    });
  }

  private baseOf(v: DatasetVersionEntity): BaseVersion {
    const stats = v.stats as unknown as StoredStats;
    return {
      files: v.files,
      schema: v.schema as never,
      rowCount: v.rowCount,
      timeStart: stats.timeRange?.start ?? null,
      timeEnd: stats.timeRange?.end ?? null,
      frequency: v.frequency,
      stats,
    };
  }

  private async getEntity(id: string): Promise<DatasetEntity> {
    const d = await this.datasets.findOne({ where: { id } });
    if (!d) throw new NotFound(`No dataset ${id}`, [{ field: 'id', reason: 'no such dataset' }]);
    return d;
  }

  private latestEntity(id: string): Promise<DatasetVersionEntity | null> {
    return this.versions.findOne({ where: { datasetId: id }, order: { version: 'DESC' } });
  }

  /** Where the store lives for a configuration. */
  static storeRoot(config: AppConfig): string {
    return dataPaths(config).datasets;
  }
}
