import {
  Controller,
  Delete,
  Get,
  Headers,
  HttpCode,
  Param,
  ParseIntPipe,
  ParseUUIDPipe,
  Post,
  Query,
  Req,
  Res,
} from '@nestjs/common';
import {
  ApiBody,
  ApiConsumes,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import { PayloadTooLarge, UnsupportedMediaType } from '@seqcast/core';
import { DatasetsService, INPUT_FORMATS, formatFromContentType } from '@seqcast/data';
import { DeletionsService } from '@seqcast/models';
import type { Request, Response } from 'express';
import { ErrorResponses, ErrorView } from '../http/api-errors';
import { contentEncodings, decoded } from './upload-encoding';
import {
  CreateDatasetQuery,
  DatasetListDto,
  DatasetViewDto,
  DeleteDatasetQuery,
  ExportQuery,
  PageQuery,
  SeriesPageDto,
  SeriesListQuery,
  SeriesValuesByKeyQuery,
  SeriesValuesDto,
  SeriesValuesQuery,
  UploadQuery,
  VersionViewDto,
  uploadOptions,
} from './dataset.dto';

/**
 * The content types an upload may declare, the ones README.md documents. `application/x-tsf`
 * is Monash .tsf; sktime .ts and EasyTPP JSON are sent as `application/octet-stream` (or
 * EasyTPP as `application/json`) with `format=`. Anything else is refused, `text/plain`,
 * forms and a missing type included: those are the bodies a page on another origin can post
 * without the browser asking first.
 */
const UPLOAD_TYPES = [
  'application/vnd.apache.arrow.stream',
  'application/vnd.apache.arrow.file',
  'application/vnd.apache.parquet',
  'application/x-parquet',
  'text/csv',
  'application/json',
  'application/x-ndjson',
  'application/x-tsf',
  'application/octet-stream',
];

/**
 * The bytes of an upload, decompressed per its Content-Encoding. No body parser reads an
 * upload (see upload-routes.ts), JSON included, so the request is a readable stream of any
 * type: rows are validated and written as they arrive and nothing buffers the whole upload.
 */
function uploadBody(req: Request, encodings: string[]): AsyncIterable<Uint8Array | string> {
  return decoded(req, encodings);
}

/** How much of a refused upload's remaining body is read and dropped before the connection is cut (see refuse). */
const REFUSED_DRAIN_BYTES = 256 * 1024 * 1024;
const REFUSED_DRAIN_MS = 30_000;

/** Reads and drops a request's remaining body until it ends, `bytes` more arrive, or `ms` pass. */
function drainBody(req: Request, bytes: number, ms: number): Promise<void> {
  return new Promise((resolve) => {
    let seen = 0;
    const done = () => {
      clearTimeout(timer);
      req.off('data', onData);
      req.off('end', done);
      req.off('close', done);
      req.off('error', done);
      req.pause();
      resolve();
    };
    const onData = (chunk: Buffer) => {
      seen += chunk.length;
      if (seen > bytes) done();
    };
    const timer = setTimeout(done, ms);
    // the reader that gave up may have left a 'readable' listener (an async iterator does),
    // which keeps the stream from flowing
    req.removeAllListeners('readable');
    req.on('data', onData);
    req.once('end', done);
    req.once('close', done);
    req.once('error', done);
    req.resume();
  });
}

@ApiTags('datasets')
@ErrorResponses()
@Controller('datasets')
export class DatasetsController {
  constructor(
    private readonly datasets: DatasetsService,
    private readonly deletions: DeletionsService,
  ) {}

  private format(q: UploadQuery, contentType: string | undefined) {
    const mediaType = contentType?.split(';')[0].trim().toLowerCase();
    if (!mediaType || !UPLOAD_TYPES.includes(mediaType))
      throw new UnsupportedMediaType(`Uploads cannot be sent as Content-Type ${contentType ?? '(none)'}`, [
        { field: 'content-type', reason: `use one of ${UPLOAD_TYPES.join(', ')}` },
      ]);
    const format = q.format ?? formatFromContentType(contentType);
    if (!format) {
      throw new UnsupportedMediaType(
        `Cannot read Content-Type ${contentType ?? '(none)'} without a format parameter`,
        [
          {
            field: 'format',
            reason: `send Content-Type application/vnd.apache.arrow.stream, application/vnd.apache.parquet, text/csv, application/json, application/x-ndjson or application/x-tsf, or set format to one of ${INPUT_FORMATS.join(', ')}`,
          },
        ],
      );
    }
    return format;
  }

  /** Refuses an upload whose declared length is over the limit before reading any of it. */
  private checkLength(req: Request, q: UploadQuery, limit: number) {
    const max = Math.min(q.maxBytes ?? Infinity, limit);
    const length = Number(req.headers['content-length']);
    if (Number.isFinite(length) && length > max)
      throw new PayloadTooLarge(`The upload is ${length} bytes; the limit is ${max}`, [
        { field: 'Content-Length', reason: `more than ${max} bytes` },
      ]);
  }

  /**
   * After a refused upload, let the client read the error rather than a reset connection.
   * Where the upload was being read (a bad row, a field or the whole body over a limit), the
   * rest of the body is read and dropped before the answer goes out: a client that asked
   * for `Connection: close` (or any client, once the server closes) and is still writing
   * would otherwise see EPIPE or a reset and never read the 4xx (a lingering close). At most
   * REFUSED_DRAIN_BYTES more or REFUSED_DRAIN_MS: past either the answer goes and the
   * connection closes. Where nothing was read yet (a declared length over the limit), the
   * answer goes at once, for a client that waits for it before sending the body.
   */
  private async refuse(req: Request, res: Response, e: unknown): Promise<never> {
    if (!req.readableEnded) {
      // only while the client is still sending: a body received whole, or a request already
      // destroyed, has nothing left to wait for
      if (req.readableDidRead && !req.complete && !req.destroyed)
        await drainBody(req, REFUSED_DRAIN_BYTES, REFUSED_DRAIN_MS);
      if (!req.readableEnded) {
        res.setHeader('Connection', 'close');
        req.resume();
      }
    }
    throw e;
  }

  @Post()
  @HttpCode(201)
  @ApiOperation({
    summary:
      'Upload a dataset: the body is the data (Arrow IPC stream or file, CSV, JSON, NDJSON, Monash .tsf, sktime .ts, EasyTPP JSON)',
    description:
      'Rows are validated as they stream in; the first version is stored as an Arrow IPC file named by its content hash. Errors name row, column and reason; a refused upload leaves nothing stored.',
  })
  @ApiConsumes(...UPLOAD_TYPES)
  @ApiBody({ schema: { type: 'string', format: 'binary' } })
  @ApiCreatedResponse({ type: DatasetViewDto })
  @ApiResponse({ status: 413, description: 'Upload over the size limit', type: ErrorView })
  @ApiResponse({
    status: 415,
    description:
      'Content type not an upload type (text/plain, forms), unknown Content-Encoding, or a generic type and no format',
    type: ErrorView,
  })
  async create(
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
    @Query() q: CreateDatasetQuery,
    @Headers('content-type') contentType?: string,
  ): Promise<DatasetViewDto> {
    try {
      const format = this.format(q, contentType);
      const encodings = contentEncodings(req.headers['content-encoding']);
      this.checkLength(req, q, this.datasets.maxUploadBytes);
      return (await this.datasets.create(
        uploadBody(req, encodings),
        { name: q.name, description: q.description, kind: q.kind },
        uploadOptions(q, format),
      )) as unknown as DatasetViewDto;
    } catch (e) {
      return this.refuse(req, res, e);
    }
  }

  @Post(':id/observations')
  @HttpCode(201)
  @ApiOperation({
    summary: 'Append observations as a new version',
    description:
      'The new rows become one new file; the version lists the previous files plus it, so history is never rewritten. Rows must continue each series in time.',
  })
  @ApiConsumes(...UPLOAD_TYPES)
  @ApiBody({ schema: { type: 'string', format: 'binary' } })
  @ApiCreatedResponse({ type: VersionViewDto })
  @ApiResponse({
    status: 409,
    description: 'Columns differ from the dataset, or a concurrent append won',
    type: ErrorView,
  })
  async append(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
    @Query() q: UploadQuery,
    @Headers('content-type') contentType?: string,
  ): Promise<VersionViewDto> {
    try {
      const format = this.format(q, contentType);
      const encodings = contentEncodings(req.headers['content-encoding']);
      this.checkLength(req, q, this.datasets.maxUploadBytes);
      return (await this.datasets.append(
        id,
        uploadBody(req, encodings),
        uploadOptions(q, format),
      )) as unknown as VersionViewDto;
    } catch (e) {
      return this.refuse(req, res, e);
    }
  }

  @Get()
  @ApiOperation({ summary: 'List datasets, newest first, each with its latest version' })
  @ApiOkResponse({ type: DatasetListDto })
  async list(@Query() q: PageQuery): Promise<DatasetListDto> {
    return (await this.datasets.list(q)) as unknown as DatasetListDto;
  }

  @Get(':id')
  @ApiOperation({ summary: 'A dataset and its latest version' })
  @ApiOkResponse({ type: DatasetViewDto })
  async get(@Param('id', new ParseUUIDPipe()) id: string): Promise<DatasetViewDto> {
    return (await this.datasets.get(id)) as unknown as DatasetViewDto;
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({
    summary: 'Delete a dataset: every version and its files',
    description:
      'Models configured or trained on the dataset are a 409 naming them (details: field models), unless force=true deletes them too (as DELETE /models/:id). Queued or running jobs that use the dataset or those models are a 409 naming them (field jobs), with force too. Rows go in one transaction; files are removed after it commits, except those another dataset holds (identical data is stored once).',
  })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiResponse({
    status: 409,
    description: 'Used by models (without force) or by queued or running jobs',
    type: ErrorView,
  })
  async remove(@Param('id', new ParseUUIDPipe()) id: string, @Query() q: DeleteDatasetQuery): Promise<void> {
    await this.deletions.deleteDataset(id, q.force ?? false);
  }

  @Get(':id/versions')
  @ApiOperation({ summary: 'Every version of a dataset, oldest first' })
  @ApiOkResponse({ type: [VersionViewDto] })
  async versions(@Param('id', new ParseUUIDPipe()) id: string): Promise<VersionViewDto[]> {
    return (await this.datasets.listVersions(id)) as unknown as VersionViewDto[];
  }

  @Get(':id/versions/:version')
  @ApiOperation({ summary: 'One version: schema, counts, time range, frequency, per-column statistics' })
  @ApiOkResponse({ type: VersionViewDto })
  async version(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Param('version', ParseIntPipe) version: number,
  ): Promise<VersionViewDto> {
    return (await this.datasets.version(id, version)) as unknown as VersionViewDto;
  }

  @Get(':id/series')
  @ApiOperation({ summary: 'The series (or sequences) of a version, paged' })
  @ApiOkResponse({ type: SeriesPageDto })
  async series(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Query() q: SeriesListQuery,
  ): Promise<SeriesPageDto> {
    return (await this.datasets.series(id, q)) as unknown as SeriesPageDto;
  }

  @Get(':id/series/:key')
  @ApiOperation({ summary: 'The values of one series between from and to (inclusive)' })
  @ApiOkResponse({ type: SeriesValuesDto })
  async values(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Param('key') key: string,
    @Query() q: SeriesValuesQuery,
  ): Promise<SeriesValuesDto> {
    return this.seriesValues(id, key, q);
  }

  @Get(':id/values')
  @ApiOperation({
    summary: 'The values of one series named by ?key= (the empty key of a one-series dataset included)',
    description: 'As GET /datasets/:id/series/:key, for keys a path segment cannot carry.',
  })
  @ApiOkResponse({ type: SeriesValuesDto })
  async valuesByKey(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Query() q: SeriesValuesByKeyQuery,
  ): Promise<SeriesValuesDto> {
    const { key, ...range } = q;
    return this.seriesValues(id, key, range);
  }

  private async seriesValues(id: string, key: string, q: SeriesValuesQuery): Promise<SeriesValuesDto> {
    return (await this.datasets.seriesValues(id, key, {
      ...q,
      limit: q.limit ?? 100_000,
    })) as SeriesValuesDto;
  }

  @Get(':id/export')
  @ApiOperation({ summary: 'Download a version as an Arrow IPC stream, a Parquet file or CSV' })
  @ApiProduces('application/vnd.apache.arrow.stream', 'application/vnd.apache.parquet', 'text/csv')
  @ApiOkResponse({ schema: { type: 'string', format: 'binary' } })
  async export(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Query() q: ExportQuery,
    @Res() res: Response,
  ): Promise<void> {
    const out = await this.datasets.exportVersion(id, q.format, q.version, q.compression);
    res.status(200).setHeader('Content-Type', out.contentType);
    res.setHeader('Content-Disposition', `attachment; filename="${out.fileName}"`);
    try {
      for await (const chunk of out.chunks) {
        if (!res.write(chunk)) await new Promise((r) => res.once('drain', r));
      }
      res.end();
    } catch (e) {
      // Headers are gone: the only honest signal left is a broken stream.
      res.destroy(e as Error);
    }
  }
}
