import { createHash } from 'node:crypto';
import { RecordBatch, Schema } from 'apache-arrow';
import { Conflict, ValidationFailed, WorkContext, throwIfCancelled } from '@seqcast/core';
import { fieldsOf, sameFields } from '../arrow/arrow-types';
import { BodyCodec } from '../arrow/codecs';
import { BatchSource } from '../importers/batch-source';
import { DatasetKind, DatasetSchema, EventSchema } from '../schema/dataset-schema';
import { RoleHints, resolveRoles } from '../schema/resolve-roles';
import {
  CategoryAccumulator,
  CategoryStats,
  ColumnStats,
  NumericAccumulator,
  NumericStats,
} from '../stats/column-stats';
import { DatasetStore } from '../store/dataset-store';
import { parseFrequency } from '../time/frequency';
import { BatchValidator, ValidationOptions, defaultValidationOptions } from '../validation/batch-validator';
import { DEFAULT_LIMITS, IngestLimits, IssueCollector } from '../validation/issues';
import { SeriesSummary } from '../validation/series-state';
import { VersionContent } from './version-content';
import { sortRows } from './sort-rows';

export interface IngestOptions {
  kind: DatasetKind;
  roles?: RoleHints;
  nan?: ValidationOptions['nan'];
  duplicates?: ValidationOptions['duplicates'];
  requireRegular?: boolean;
  /** Sort rows by series and time first (buffers the upload) instead of rejecting unsorted data. */
  sort?: boolean;
  limits?: Partial<IngestLimits>;
  maxIssues?: number;
  /** Shared with the importer, so its cell errors and the validator's land in one list. */
  issues?: IssueCollector;
  /** Reports rows validated so far; cancellation stops the ingest and removes its file. */
  context?: Partial<WorkContext> & { rows?: (rows: number) => void };
  /** How many bytes arrived, for the version's metadata (read after the stream ends). */
  bytesIn?: () => number;
  /** Compress the stored file's record batch bodies (ZSTD or LZ4 frames; default: uncompressed). */
  storeCompression?: BodyCodec;
}

/** The previous version, when appending observations. */
export interface BaseVersion {
  files: string[];
  schema: DatasetSchema;
  rowCount: number;
  timeStart: number | null;
  timeEnd: number | null;
  frequency: string | null;
  stats: VersionContent['stats'];
}

/**
 * Validates a stream of record batches and writes it as one new content-addressed
 * file, in a single pass: each batch is checked, then written, then dropped. On any
 * failure (invalid data, limit, cancellation, a dropped connection) the temporary
 * file is removed, so nothing is left behind; on success the caller records the
 * returned content as a version.
 */
export async function ingestBatches(
  store: DatasetStore,
  source: BatchSource,
  options: IngestOptions,
  base?: BaseVersion,
): Promise<VersionContent> {
  const kind = base?.schema.kind ?? options.kind;
  if (source.kind && source.kind !== kind)
    throw new ValidationFailed(`This format holds ${source.kind}, not ${kind}`, [
      { field: 'kind', reason: `the format produces ${source.kind} datasets` },
    ]);
  const limits: IngestLimits = { ...DEFAULT_LIMITS, ...(options.limits ?? {}) };
  const defaults = defaultValidationOptions(kind);
  const issues = options.issues ?? new IssueCollector(options.maxIssues ?? defaults.maxIssues);
  const schema: Schema = source.schema;
  if (
    base &&
    !sameFields(
      fieldsOf(schema).map(({ name, type }) => ({ name, type })),
      base.schema.fields,
    )
  ) {
    throw new Conflict('Appended observations must have the columns and types of the dataset', [
      {
        reason: `expected ${base.schema.fields.map((f) => `${f.name}: ${f.type}`).join(', ')}; got ${schema.fields.map((f) => `${f.name}: ${String(f.type)}`).join(', ')}`,
      },
    ]);
  }
  const previousSeries = base ? await store.readSeries(base.files) : [];
  const roles = base
    ? stripFields(base.schema)
    : resolveRoles(schema, kind, { ...(source.roles ?? {}), ...(options.roles ?? {}) });
  const validator = new BatchValidator(
    roles,
    schema,
    {
      nan: options.nan ?? defaults.nan,
      duplicates: options.duplicates ?? defaults.duplicates,
      requireRegular: options.requireRegular ?? defaults.requireRegular,
      maxIssues: options.maxIssues ?? defaults.maxIssues,
      limits,
      issues,
    },
    base
      ? { series: previousSeries, frequency: base.frequency ? parseFrequency(base.frequency) : null }
      : undefined,
  );
  const sink = await store.createSink(validator.output, options.storeCompression ?? null);
  const ctx = options.context;
  try {
    // Each batch is validated and copied to the writing thread before the next is asked for
    // (the sort keeps them all); the validator keeps ids and numbers, never views of a batch.
    if (!options.sort) source.keepsNoBatches?.();
    const batches: AsyncIterable<RecordBatch> = options.sort
      ? sortRows(schema, source.batches, roles, limits.maxRows)
      : source.batches;
    let rows = 0;
    for await (const batch of batches) {
      throwIfCancelled(ctx?.signal);
      if (batch.numRows === 0) continue;
      const checked = validator.accept(batch);
      // Problems found so far stop the write early, but the whole batch is checked first.
      issues.throwIfAny();
      // A batch validation left as it was may be stored as its sender encoded it.
      await sink.write(checked, checked === batch ? source.received?.(batch) : undefined);
      rows += batch.numRows;
      ctx?.rows?.(rows);
    }
    throwIfCancelled(ctx?.signal);
    const summary = validator.finish();
    const written = await sink.finish();
    const committed = await store.commit(written, {
      format: 1,
      rows: summary.rowCount,
      series: summary.series,
    });
    const seriesKeys = new Set<string>(previousSeries.map((s) => s.key));
    for (const s of summary.series) seriesKeys.add(s.key);
    const files = [...(base?.files ?? []), committed.file];
    const datasetSchema: DatasetSchema =
      base?.schema ??
      ({
        ...roles,
        ...(roles.kind === 'events' && source.numTypes
          ? ({ numTypes: source.numTypes } as Partial<EventSchema>)
          : {}),
        fields: fieldsOf(validator.output),
      } as DatasetSchema);
    const rowCount = (base?.rowCount ?? 0) + summary.rowCount;
    const timeStart = minNullable(base?.timeStart ?? null, summary.timeStart);
    const timeEnd = maxNullable(base?.timeEnd ?? null, summary.timeEnd);
    const frequency = base
      ? base.frequency && summary.frequency
        ? base.frequency
        : null
      : (summary.frequency?.label ?? null);
    return {
      kind,
      files,
      newFile: committed.file,
      created: committed.created,
      contentHash: createHash('sha256').update(files.join('\n')).digest('hex'),
      schema: datasetSchema,
      rowCount,
      seriesCount: seriesKeys.size,
      eventCount: kind === 'events' ? rowCount : 0,
      timeStart,
      timeEnd,
      frequency,
      stats: {
        columns: base ? mergeColumnStats(base.stats.columns, summary.stats) : summary.stats,
        gaps: mergeGaps(base?.stats.gaps ?? null, summary.gaps),
        timeIsTimestamp: summary.timeIsTimestamp,
        fileRows: [...(base?.stats.fileRows ?? []), summary.rowCount],
      },
      bytesIn: options.bytesIn?.() ?? 0,
    };
  } catch (e) {
    await sink.abort();
    // Let the source release what it holds (an HTTP request keeps streaming otherwise).
    await (source.batches as AsyncGenerator<RecordBatch>).return?.(undefined).catch(() => undefined);
    throw e;
  }
}

function stripFields(schema: DatasetSchema) {
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  const { fields, ...roles } = schema;
  return roles as DatasetSchema;
}

function minNullable(a: number | null, b: number | null): number | null {
  return a === null ? b : b === null ? a : Math.min(a, b);
}
function maxNullable(a: number | null, b: number | null): number | null {
  return a === null ? b : b === null ? a : Math.max(a, b);
}

export function mergeColumnStats(
  a: Record<string, ColumnStats>,
  b: Record<string, ColumnStats>,
): Record<string, ColumnStats> {
  const out: Record<string, ColumnStats> = {};
  for (const name of new Set([...Object.keys(a), ...Object.keys(b)])) {
    const x = a[name];
    const y = b[name];
    if (!x || !y) {
      out[name] = (x ?? y)!;
      continue;
    }
    if (x.kind === 'numeric') {
      const acc = new NumericAccumulator();
      acc.merge(x as NumericStats);
      acc.merge(y as NumericStats);
      out[name] = acc.toJSON();
    } else {
      const acc = new CategoryAccumulator();
      acc.merge(x as CategoryStats);
      acc.merge(y as CategoryStats);
      out[name] = acc.toJSON();
    }
  }
  return out;
}

function mergeGaps(
  a: VersionContent['stats']['gaps'],
  b: VersionContent['stats']['gaps'],
): VersionContent['stats']['gaps'] {
  if (!a || !b) return a ?? b;
  return {
    count: a.count + b.count,
    missing: a.missing + b.missing,
    irregular: a.irregular + b.irregular,
    examples: [...a.examples, ...b.examples].slice(0, 100),
  };
}

export type { SeriesSummary };
