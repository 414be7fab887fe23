/**
 * @seqcast/data: Arrow I/O, importers, validation, the dataset store and the model
 * input pipeline (windows, splits, scalers, calendar features, event batches).
 */
export * from './schema/dataset-schema';
export {
  resolveRoles,
  type RoleHints,
  type SeriesRoleHints,
  type EventRoleHints,
} from './schema/resolve-roles';
export { typeClass, fieldsOf, type TypeClass } from './arrow/arrow-types';
export {
  openArrowStream,
  openArrowFile,
  type ArrowBatchStream,
  type ByteSourceOptions,
} from './arrow/read-ipc';
export { ArrowFileSink, type WrittenFile } from './arrow/write-ipc-file';
export { timeValues, numericValues } from './arrow/column-values';
export { KeyRegistry, KeyAssigner, compositeKey } from './arrow/key-ids';
export { parseTimestamp, formatTimestamp } from './time/parse-timestamp';
export * from './time/frequency';
export * from './stats/column-stats';
export { IssueCollector, DEFAULT_LIMITS, type IngestLimits } from './validation/issues';
export {
  BatchValidator,
  defaultValidationOptions,
  type ValidationOptions,
  type ValidationSummary,
  type NanPolicy,
  type GapReport,
  type PriorState,
} from './validation/batch-validator';
export { type SeriesSummary } from './validation/series-state';
export { type BatchSource } from './importers/batch-source';
export {
  BatchBuilder,
  parseNumber,
  inferKind,
  type ColumnKind,
  type ColumnSpec,
} from './importers/batch-builder';
export { openCsv, type CsvOptions } from './importers/csv';
export { csvRecords } from './importers/csv-records';
export { openJson, type JsonOptions } from './importers/json';
export { openTsf } from './importers/tsf';
export { openEasyTpp } from './importers/easytpp';
export { openSktimeTs } from './importers/sktime-ts';
export { windowEventStream, type EventWindowOptions } from './importers/event-windows';
export {
  openSource,
  formatFromContentType,
  formatFromFileName,
  INPUT_FORMATS,
  type InputFormat,
  type SourceOptions,
  type OpenedSource,
} from './ingest/open-source';
export { readEventFile, type ReadEventFileOptions, type EventFileContent } from './ingest/read-event-file';
export { ingestBatches, mergeColumnStats, type IngestOptions, type BaseVersion } from './ingest/ingest';
export { type VersionContent, type VersionStats, formatTime } from './ingest/version-content';
export { DatasetStore, type FileIndex, type CommittedFile } from './store/dataset-store';
export { exportArrowStream, exportCsv } from './store/export';
export { exportParquet, PARQUET_ROW_GROUP_ROWS } from './parquet/write-parquet';
export { type BodyCodec, BODY_CODECS, registerArrowCodecs, registerArrowEncoders } from './arrow/codecs';
export { streamWriter } from './arrow/compressed-writer';
export { openParquetStream } from './parquet/read-parquet';
export { readSeriesValues, type SeriesValues } from './store/series-reader';
export * from './pipeline/windows';
export * from './pipeline/splits';
export * from './pipeline/scalers';
export * from './pipeline/calendar-features';
export * from './pipeline/event-batches';
export { loadSeriesFrames, loadEventSequences } from './pipeline/load';
export { loadSeq2SeqSequences, type Seq2SeqSequences } from './pipeline/load-seq2seq';
export { seq2seqCsvLines, type Seq2SeqCsvInput } from './pipeline/seq2seq-csv';
export { type Seq2SeqRoleHints } from './schema/seq2seq-roles';
export { DatasetsModule } from './datasets.module';
export {
  DatasetsService,
  DATASET_STORE,
  type UploadOptions,
  type SeriesPage,
} from './service/datasets.service';
export { DemoDataLoader, DEMO_DATASET } from './service/demo-data';
export { type DatasetView, type VersionView, type StoredStats } from './service/dataset-views';
