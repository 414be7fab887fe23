import { applyDecorators } from '@nestjs/common';
import { PageQuery } from '../http/page.query';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { INPUT_FORMATS, InputFormat, UploadOptions } from '@seqcast/data';
import { Transform, Type } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  Min,
} from 'class-validator';

const list = ({ value }: { value: unknown }) =>
  typeof value === 'string'
    ? value
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : value;
const bool = ({ value }: { value: unknown }) =>
  value === 'true' || value === '1' ? true : value === 'false' || value === '0' ? false : value;
const numbers = ({ value }: { value: unknown }) =>
  typeof value === 'string' ? value.split(',').map((s) => Number(s.trim())) : value;

/** A comma-separated list of column names in the query string. */
const ColumnList = (description: string) =>
  applyDecorators(
    ApiPropertyOptional({ description, type: String }),
    IsOptional(),
    Transform(list),
    IsString({ each: true }),
  );

/** A positive whole-number limit in the query string. */
const UploadLimit = (description: string) =>
  applyDecorators(
    ApiPropertyOptional({ description }),
    IsOptional(),
    Type(() => Number),
    IsInt(),
    Min(1),
  );

/** How to read and check an upload; the body is the data itself (query parameters carry the rest). */
export class UploadQuery {
  @ApiPropertyOptional({
    enum: INPUT_FORMATS,
    description:
      'Input format; defaults from Content-Type (arrow for application/vnd.apache.arrow.stream or .file, parquet for application/vnd.apache.parquet, csv for text/csv, json for application/json, ndjson for application/x-ndjson). tsf, ts (sktime) and easytpp need it.',
  })
  @IsOptional()
  @IsIn(INPUT_FORMATS)
  format?: InputFormat;

  @ApiPropertyOptional({
    description: 'Series key columns, comma-separated (empty: one series).',
    type: String,
    example: 'store,item',
  })
  @IsOptional()
  @Transform(list)
  @IsString({ each: true })
  keyColumns?: string[];

  @ApiPropertyOptional({ description: 'Timestamp (series) or event time column.' })
  @IsOptional()
  @IsString()
  timeColumn?: string;

  @ApiPropertyOptional({
    description:
      'Numeric target columns, comma-separated. Naming them makes every other column need a role (unknown columns are refused).',
    type: String,
  })
  @IsOptional()
  @Transform(list)
  @IsString({ each: true })
  valueColumns?: string[];

  @ColumnList('Covariates known in the future, comma-separated.')
  knownCovariates?: string[];

  @ColumnList('Past-only covariates, comma-separated.')
  pastCovariates?: string[];

  @ApiPropertyOptional({ description: 'Events: the sequence key column.' })
  @IsOptional()
  @IsString()
  sequenceColumn?: string;

  @ApiPropertyOptional({ description: 'Events: the event type column.' })
  @IsOptional()
  @IsString()
  typeColumn?: string;

  @ColumnList('Events: numeric feature columns, comma-separated.')
  numericFeatures?: string[];

  @ColumnList('Events: categorical feature columns, comma-separated.')
  categoricalFeatures?: string[];

  @ApiPropertyOptional({ description: 'Events: sequence-level target (class or value) column.' })
  @IsOptional()
  @IsString()
  targetColumn?: string;

  @ColumnList(
    'Seq2seq: input columns at the input rate, comma-separated (default: every other numeric column).',
  )
  inputColumns?: string[];

  @ColumnList(
    "Seq2seq: target columns at the output rate, comma-separated; filled on each chunk's last row (every ratio-th row of a sequence), empty on the others.",
  )
  targetColumns?: string[];

  @ApiPropertyOptional({
    description:
      'Seq2seq: input rate / output rate, an integer >= 1 (input rows per target row); every sequence has a multiple of it rows.',
    example: 10,
  })
  @IsOptional()
  @Type(() => Number)
  @IsNumber()
  ratio?: number;

  @ApiPropertyOptional({
    enum: ['reject', 'missing'],
    default: 'reject',
    description: 'NaN and infinity: refuse the upload, or store them as missing values.',
  })
  @IsOptional()
  @IsIn(['reject', 'missing'])
  nan?: 'reject' | 'missing';

  @ApiPropertyOptional({
    enum: ['reject', 'allow'],
    description: 'Equal times within a series (default: reject for series, allow for events).',
  })
  @IsOptional()
  @IsIn(['reject', 'allow'])
  duplicates?: 'reject' | 'allow';

  @ApiPropertyOptional({
    default: false,
    description:
      'Sort rows by series and time instead of refusing unsorted data (holds the upload in memory).',
  })
  @IsOptional()
  @Transform(bool)
  @IsBoolean()
  sort?: boolean;

  @ApiPropertyOptional({
    enum: ['zstd', 'lz4'],
    description:
      'Store the version with compressed Arrow record batch bodies (ZSTD or LZ4 frame): smaller on disk, read back transparently; default uncompressed.',
  })
  @IsOptional()
  @IsIn(['zstd', 'lz4'])
  storeCompression?: 'zstd' | 'lz4';

  @ApiPropertyOptional({
    default: false,
    description: 'Refuse series with gaps or stamps off the inferred frequency.',
  })
  @IsOptional()
  @Transform(bool)
  @IsBoolean()
  requireRegular?: boolean;

  @ApiPropertyOptional({ description: 'CSV delimiter (default ,).' })
  @IsOptional()
  @IsString()
  @Length(1, 1)
  delimiter?: string;

  @UploadLimit('Refuse (413) uploads with more rows.')
  maxRows?: number;

  @UploadLimit('Refuse (413) uploads with more series.')
  maxSeries?: number;

  @UploadLimit('Refuse (413) uploads of more bytes (never above MAX_UPLOAD_BYTES).')
  maxBytes?: number;

  @ApiPropertyOptional({
    description: 'Event stream: cut one long stream into sequences by windows of this length (30D, 1M, 1Y).',
    example: '1Y',
  })
  @IsOptional()
  @Matches(/^\d*(ms|s|min|h|D|W|M|Q|Y)$/)
  window?: string;

  @ApiPropertyOptional({ description: 'Event stream: start of the first window (ISO 8601).' })
  @IsOptional()
  @IsString()
  windowOrigin?: string;

  @ApiPropertyOptional({
    description:
      'Event stream: the column that gives types, or the numeric column binned into types with typeBins.',
  })
  @IsOptional()
  @IsString()
  typeFrom?: string;

  @ApiPropertyOptional({
    description: 'Event stream: bin edges, comma-separated (type k: edge k-1 <= value < edge k).',
    type: String,
    example: '2,3',
  })
  @IsOptional()
  @Transform(numbers)
  @IsNumber({}, { each: true })
  typeBins?: number[];

  @ApiPropertyOptional({
    enum: ['D', 'h', 'min', 's'],
    description: 'Event stream: unit of event times within a window (default D).',
  })
  @IsOptional()
  @IsIn(['D', 'h', 'min', 's'])
  timeUnit?: 'D' | 'h' | 'min' | 's';

  @ApiPropertyOptional({
    description: 'Event stream: numeric columns kept as event features, comma-separated.',
    type: String,
  })
  @IsOptional()
  @Transform(list)
  @IsString({ each: true })
  features?: string[];
}

export class CreateDatasetQuery extends UploadQuery {
  @ApiProperty({ description: 'Dataset name.' })
  @IsString()
  @Length(1, 200)
  name!: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  description?: string;

  @ApiPropertyOptional({ enum: ['series', 'events', 'seq2seq'], default: 'series' })
  @IsOptional()
  @IsIn(['series', 'events', 'seq2seq'])
  kind: 'series' | 'events' | 'seq2seq' = 'series';
}

/** The upload options the service takes, from the query. */
export function uploadOptions(q: UploadQuery, format: InputFormat): UploadOptions {
  const roles = Object.fromEntries(
    (
      [
        'keyColumns',
        'timeColumn',
        'valueColumns',
        'knownCovariates',
        'pastCovariates',
        'sequenceColumn',
        'typeColumn',
        'numericFeatures',
        'categoricalFeatures',
        'targetColumn',
        'inputColumns',
        'targetColumns',
        'ratio',
      ] as const
    )
      .filter((k) => q[k] !== undefined)
      .map((k) => [k, q[k]]),
  );
  return {
    format,
    roles,
    nan: q.nan,
    duplicates: q.duplicates,
    sort: q.sort,
    storeCompression: q.storeCompression,
    requireRegular: q.requireRegular,
    delimiter: q.delimiter,
    limits: {
      ...(q.maxRows ? { maxRows: q.maxRows } : {}),
      ...(q.maxSeries ? { maxSeries: q.maxSeries } : {}),
      ...(q.maxBytes ? { maxBytes: q.maxBytes } : {}),
    },
    ...(q.window
      ? {
          eventWindows: {
            timeColumn: q.timeColumn ?? 'time',
            window: q.window,
            origin: q.windowOrigin,
            typeFrom: { column: q.typeFrom ?? 'type', bins: q.typeBins },
            timeUnit: q.timeUnit,
            features: q.features,
          },
          roles: {},
        }
      : {}),
  };
}

export { PageQuery };

export class SeriesListQuery extends PageQuery {
  @ApiPropertyOptional({ description: 'Version number (default: the latest).' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  version?: number;
}

export class SeriesValuesQuery {
  @ApiPropertyOptional({
    description: 'First time (inclusive): ISO 8601, or a number for numeric event times.',
  })
  @IsOptional()
  @IsString()
  from?: string;

  @ApiPropertyOptional({ description: 'Last time (inclusive).' })
  @IsOptional()
  @IsString()
  to?: string;

  @ApiPropertyOptional({ description: 'Version number (default: the latest).' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  version?: number;

  @ApiPropertyOptional({ description: 'Most rows returned (default 100000).', maximum: 1000000 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  limit?: number;
}

/**
 * `?key=` of GET /datasets/:id/values: the series key as a query parameter, where the empty
 * key of a dataset of one series can be written (no path segment can name it).
 */
export class SeriesValuesByKeyQuery extends SeriesValuesQuery {
  @ApiProperty({
    description:
      'Series key as GET /datasets/:id/series lists it (a JSON array for several key columns); empty for a dataset of one series.',
    example: '',
  })
  @IsString()
  key!: string;
}

export class ExportQuery {
  @ApiPropertyOptional({
    enum: ['arrow', 'parquet', 'csv'],
    default: 'arrow',
    description:
      'arrow: an Arrow IPC stream; parquet: a Parquet file (ZSTD, row groups of 65536 rows); csv: text with ISO 8601 timestamps. Arrow and Parquet keep the time zone of the uploaded timestamps.',
  })
  @IsOptional()
  @IsIn(['arrow', 'parquet', 'csv'])
  format: 'arrow' | 'parquet' | 'csv' = 'arrow';

  @ApiPropertyOptional({
    enum: ['zstd', 'lz4'],
    description:
      'Compress the Arrow record batch bodies (ZSTD or LZ4 frame, the codecs of the Arrow IPC format; polars, pyarrow and DuckDB read them). format=arrow only.',
  })
  @IsOptional()
  @IsIn(['zstd', 'lz4'])
  compression?: 'zstd' | 'lz4';

  @ApiPropertyOptional({ description: 'Version number (default: the latest).' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  version?: number;
}

export class VersionViewDto {
  @ApiProperty() id!: string;
  @ApiProperty() datasetId!: string;
  @ApiProperty() version!: number;
  @ApiProperty({
    type: [String],
    description: 'Arrow IPC files (content hashes) holding the rows, oldest first.',
  })
  files!: string[];
  @ApiProperty() contentHash!: string;
  @ApiProperty({ type: Object, description: 'Column roles and Arrow fields.' }) schema!: Record<
    string,
    unknown
  >;
  @ApiProperty({ type: Object, description: 'Per-column statistics, gaps, time range.' }) stats!: Record<
    string,
    unknown
  >;
  @ApiProperty() rowCount!: number;
  @ApiProperty() seriesCount!: number;
  @ApiProperty() eventCount!: number;
  @ApiPropertyOptional({ nullable: true, oneOf: [{ type: 'string' }, { type: 'number' }] }) timeStart!:
    string | number | null;
  @ApiPropertyOptional({ nullable: true, oneOf: [{ type: 'string' }, { type: 'number' }] }) timeEnd!:
    string | number | null;
  @ApiPropertyOptional({ nullable: true, type: String, example: '1h' }) frequency!: string | null;
  @ApiPropertyOptional({
    nullable: true,
    type: Number,
    description:
      "Bytes on disk of the version's files (Arrow files and their indexes); they are shared with earlier versions. Null when the files cannot be read.",
  })
  diskBytes!: number | null;
  @ApiProperty() createdAt!: string;
}

export class DatasetViewDto {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: ['series', 'events', 'seq2seq'] }) kind!: 'series' | 'events' | 'seq2seq';
  @ApiPropertyOptional({ nullable: true, type: String }) description!: string | null;
  @ApiProperty() createdAt!: string;
  @ApiProperty() updatedAt!: string;
  @ApiPropertyOptional({
    nullable: true,
    type: Number,
    description:
      "Bytes on disk of all the dataset's files (Arrow files and their indexes), what DELETE frees unless another dataset holds identical data. Null when the files cannot be read.",
  })
  diskBytes!: number | null;
  @ApiPropertyOptional({ type: VersionViewDto, nullable: true }) latest!: VersionViewDto | null;
}

/** `?force=true` of DELETE /datasets/:id. */
export class DeleteDatasetQuery {
  @ApiPropertyOptional({
    default: false,
    description:
      'Also delete the models (series and event models) configured or trained on the dataset; without it they are a 409.',
  })
  @IsOptional()
  @Transform(bool)
  @IsBoolean()
  force?: boolean;
}

export class DatasetListDto {
  @ApiProperty({ type: [DatasetViewDto] }) items!: DatasetViewDto[];
  @ApiProperty() total!: number;
}

export class SeriesSummaryDto {
  @ApiProperty({ description: 'Series key (a JSON array for several key columns).' }) key!: string;
  @ApiProperty() rows!: number;
  @ApiProperty({ oneOf: [{ type: 'string' }, { type: 'number' }] }) first!: string | number;
  @ApiProperty({ oneOf: [{ type: 'string' }, { type: 'number' }] }) last!: string | number;
  @ApiPropertyOptional({ nullable: true, type: String }) target?: string | null;
}

export class SeriesPageDto {
  @ApiProperty({ type: [SeriesSummaryDto] }) items!: SeriesSummaryDto[];
  @ApiProperty() total!: number;
}

export class SeriesValuesDto {
  @ApiProperty() key!: string;
  @ApiProperty({ type: 'array', items: { oneOf: [{ type: 'string' }, { type: 'number' }] } }) times!: (
    string | number
  )[];
  @ApiProperty({ type: Object, description: 'Column name to values (null where missing).' }) columns!: Record<
    string,
    (number | string | null)[]
  >;
}
