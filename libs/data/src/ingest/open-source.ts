import { UnsupportedMediaType, ValidationFailed } from '@seqcast/core';
import { openArrowStream } from '../arrow/read-ipc';
import { openParquetStream } from '../parquet/read-parquet';
import { ColumnKind } from '../importers/batch-builder';
import { BatchSource } from '../importers/batch-source';
import { openCsv } from '../importers/csv';
import { CsvLimits } from '../importers/csv-records';
import { openEasyTpp } from '../importers/easytpp';
import { EventWindowOptions, windowEventStream } from '../importers/event-windows';
import { openJson } from '../importers/json';
import { openSktimeTs } from '../importers/sktime-ts';
import { openTsf } from '../importers/tsf';
import { DatasetKind } from '../schema/dataset-schema';
import { RoleHints } from '../schema/resolve-roles';
import { IssueCollector, tooLarge } from '../validation/issues';
import { formatOfFileName, INPUT_FORMATS, InputFormat } from './file-format';

export { INPUT_FORMATS, type InputFormat } from './file-format';

export interface SourceOptions {
  format: InputFormat;
  kind: DatasetKind;
  roles?: RoleHints;
  delimiter?: string;
  columnTypes?: Record<string, ColumnKind>;
  /** Cut one long event stream into sequences by time windows (applies to csv, json, ndjson and arrow input). */
  eventWindows?: EventWindowOptions;
  maxBytes?: number;
  /** Field and line size limits of CSV input. */
  csvLimits?: CsvLimits;
  onBytes?: (bytes: number) => void;
  batchSize?: number;
  /** Where an Arrow IPC *file* or Parquet upload is spooled before reading (the store root keeps it on one disk). */
  spoolDir?: string;
  /** How often the spool file's lease is renewed (see store/temp-lease.ts). */
  spoolRenewMs?: number;
}

export interface OpenedSource {
  source: BatchSource;
  bytesRead: () => number;
}

const CONTENT_TYPES: Record<string, InputFormat> = {
  'application/vnd.apache.arrow.stream': 'arrow',
  'application/vnd.apache.arrow.file': 'arrow',
  'application/vnd.apache.parquet': 'parquet',
  'application/x-parquet': 'parquet',
  'text/csv': 'csv',
  'application/json': 'json',
  'application/x-ndjson': 'ndjson',
  'application/x-tsf': 'tsf',
};

export function formatFromContentType(contentType: string | undefined): InputFormat | null {
  if (!contentType) return null;
  return CONTENT_TYPES[contentType.split(';')[0].trim().toLowerCase()] ?? null;
}

/** The format a file's extension names; a `.json` file of events is EasyTPP JSON. */
export function formatFromFileName(name: string, kind?: DatasetKind): InputFormat {
  const format = formatOfFileName(name, kind);
  if (format) return format;
  throw new UnsupportedMediaType(`Cannot tell the format of ${name}`, [
    { field: 'format', reason: `unknown file extension; use one of ${INPUT_FORMATS.join(', ')}` },
  ]);
}

/** Counts bytes and enforces the size limit for the text formats (Arrow counts its own). */
function counted(
  source: AsyncIterable<Uint8Array | string>,
  options: SourceOptions,
  total: { bytes: number },
): AsyncIterable<Uint8Array | string> {
  return (async function* () {
    for await (const chunk of source) {
      total.bytes += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.byteLength;
      if (options.maxBytes !== undefined && total.bytes > options.maxBytes)
        throw tooLarge('bytes', options.maxBytes);
      options.onBytes?.(total.bytes);
      yield chunk;
    }
  })();
}

/** Turns bytes in any supported format into record batches (see `BatchSource`). */
export async function openSource(
  bytes: AsyncIterable<Uint8Array | string>,
  options: SourceOptions,
  issues: IssueCollector,
): Promise<OpenedSource> {
  const total = { bytes: 0 };
  let opened: OpenedSource;
  const o = {
    batchSize: options.batchSize,
    kind: options.kind,
    roles: options.roles,
    columnTypes: options.columnTypes,
  };
  switch (options.format) {
    case 'arrow':
    case 'parquet': {
      const open = options.format === 'arrow' ? openArrowStream : openParquetStream;
      const s = await open(bytes, {
        maxBytes: options.maxBytes,
        onBytes: options.onBytes,
        spoolDir: options.spoolDir,
        spoolRenewMs: options.spoolRenewMs,
      });
      opened = {
        source: {
          schema: s.schema,
          batches: s.batches,
          received: s.received,
          keepsNoBatches: s.keepsNoBatches,
        },
        bytesRead: s.bytesRead,
      };
      break;
    }
    case 'csv':
      opened = {
        source: await openCsv(
          counted(bytes, options, total),
          {
            ...o,
            delimiter: options.delimiter,
            limits: options.csvLimits,
            kind: options.eventWindows ? 'series' : o.kind,
            roles: options.eventWindows ? undefined : o.roles,
          },
          issues,
        ),
        bytesRead: () => total.bytes,
      };
      break;
    case 'json':
    case 'ndjson':
      opened = {
        source: await openJson(
          counted(bytes, options, total),
          {
            ...o,
            ndjson: options.format === 'ndjson',
            kind: options.eventWindows ? 'series' : o.kind,
            roles: options.eventWindows ? undefined : o.roles,
          },
          issues,
        ),
        bytesRead: () => total.bytes,
      };
      break;
    case 'tsf':
      opened = {
        source: await openTsf(counted(bytes, options, total), o, issues),
        bytesRead: () => total.bytes,
      };
      break;
    case 'easytpp':
      opened = {
        source: await openEasyTpp(counted(bytes, options, total), o, issues),
        bytesRead: () => total.bytes,
      };
      break;
    case 'ts':
      opened = {
        source: await openSktimeTs(counted(bytes, options, total), o, issues),
        bytesRead: () => total.bytes,
      };
      break;
    default:
      throw new ValidationFailed(`Unknown format ${String(options.format)}`, [
        { field: 'format', reason: `expected one of ${INPUT_FORMATS.join(', ')}` },
      ]);
  }
  if (options.eventWindows) {
    if (options.kind !== 'events')
      throw new ValidationFailed('Event windows make an event dataset', [
        { field: 'kind', reason: 'use kind events with eventWindows' },
      ]);
    opened = { ...opened, source: windowEventStream(opened.source, options.eventWindows, issues) };
  }
  return opened;
}
