import {
  Body,
  Controller,
  Delete,
  Get,
  Headers,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
  Res,
  StreamableFile,
  UseInterceptors,
} from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import { AppConfig, dataPaths, NotFound, ValidationFailed } from '@seqcast/core';
import { exportParquet, openArrowFile } from '@seqcast/data';
import { forecasterRegistry, seq2seqRegistry } from '@seqcast/forecast';
import { JobStore } from '@seqcast/jobs';
import {
  DeletionsService,
  ForecastService,
  forecastsToIpc,
  ModelDiskUsage,
  ModelsService,
  ModelUpdatesService,
  TrainCheckpoints,
} from '@seqcast/models';
import type { Response } from 'express';
import { createReadStream, existsSync } from 'fs';
import { Readable } from 'stream';
import * as path from 'path';
import { ErrorResponses, ErrorView } from '../http/api-errors';
import { ModelDetailView, TrainModelDto } from './model-train.dto';
import { PageQuery } from '../http/page.query';
import { JobView } from '../jobs/job.dto';
import { ScheduleView } from '../schedules/schedule.dto';
import { ContextCapInterceptor } from './context-cap';
import { ModelDiskListView, ModelDiskView, ModelVersionDiskView } from './model-disk.dto';
import {
  BatchForecastDto,
  CreateModelDto,
  ForecastDto,
  SamplesDto,
  ForecastView,
  ModelScheduleDto,
  ModelView,
} from './model.dto';
import { UpdateModelDto } from './model-update.dto';

const ARROW_STREAM = 'application/vnd.apache.arrow.stream';

@ApiTags('models')
@ErrorResponses()
@Controller('models')
export class ModelsController {
  constructor(
    private readonly models: ModelsService,
    private readonly forecasts: ForecastService,
    private readonly updates: ModelUpdatesService,
    private readonly jobs: JobStore,
    private readonly config: AppConfig,
    private readonly usage: ModelDiskUsage,
    private readonly deletions: DeletionsService,
    private readonly checkpoints: TrainCheckpoints,
  ) {}

  @Get('kinds')
  @ApiOperation({
    summary:
      'Model kinds with their descriptions and config schemas (defaults included): forecasters (family series, created here) and sequence-to-sequence kinds (family seq2seq, created at POST /seq2seq-models)',
  })
  kinds() {
    return [...forecasterRegistry.describeAll(), ...seq2seqRegistry.describe()];
  }

  @Post()
  @ApiOperation({ summary: 'Configure a model on a dataset column; train it with POST /models/:id/train' })
  @ApiCreatedResponse({ type: ModelView })
  async create(@Body() dto: CreateModelDto): Promise<ModelView> {
    return ModelView.of(await this.models.create(dto));
  }

  @Get()
  @ApiOperation({ summary: 'List forecasting models, newest first, each with the bytes its artifacts take' })
  @ApiOkResponse({ type: ModelDiskListView })
  async list(@Query() q: PageQuery): Promise<ModelDiskListView> {
    return ModelDiskListView.of(await this.models.list(q), this.usage);
  }

  @Get(':id')
  @ApiOkResponse({ type: ModelDetailView })
  async get(@Param('id', new ParseUUIDPipe()) id: string): Promise<ModelDetailView> {
    const m = await this.models.get(id);
    return {
      ...(await ModelDiskView.measured(m, this.usage)),
      checkpoint: await this.checkpoints.describe(id),
    };
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({
    summary:
      'Delete a model: its versions, artifacts, calibrators, stored forecasts, batch-forecast files and schedules; 409 while a job for it is queued or running',
  })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiResponse({
    status: 409,
    description: 'A job for the model is queued or running (details name the jobs)',
    type: ErrorView,
  })
  async remove(@Param('id', new ParseUUIDPipe()) id: string): Promise<void> {
    await this.deletions.deleteModel(id, 'series');
  }

  @Get(':id/versions')
  @ApiOperation({ summary: 'Trained versions, newest first, with their test metrics and artifact sizes' })
  @ApiOkResponse({ type: [ModelVersionDiskView] })
  async versions(@Param('id', new ParseUUIDPipe()) id: string): Promise<ModelVersionDiskView[]> {
    return (await this.usage.measure(await this.models.versionsOf(id))).map(ModelVersionDiskView.with);
  }

  @Post(':id/train')
  @HttpCode(202)
  @ApiOperation({
    summary:
      "Train on the dataset's newest version ({fitOn: 'all'} refits on every row once validation picked the settings), or resume an interrupted training ({resume: true}); follow the job at GET /jobs/:id",
  })
  @ApiAcceptedResponse({ type: JobView })
  @ApiResponse({
    status: 409,
    description: 'resume: the model has no checkpoint, or it belongs to another config or dataset version',
    type: ErrorView,
  })
  async train(@Param('id', new ParseUUIDPipe()) id: string, @Body() dto: TrainModelDto): Promise<JobView> {
    return JobView.of(await this.models.train(id, dto ?? {}));
  }

  @Post(':id/update')
  @HttpCode(202)
  @ApiOperation({
    summary:
      'Update a trained model with the rows of a newer version of its dataset it has not learnt, as a job (model.update); the result becomes its current version',
    description:
      'No retraining from scratch: closed-form kinds (classic-ar, dlinear, nlinear) update their normal equations exactly (the same fit as on all the rows learnt so far), trained kinds take a few optimiser steps on the windows ending in the new rows, stateless kinds (naive, drift) learn nothing. The scales stay those fitted in training. The model version records what it has learnt, so updating again with the same version finds no rows (409). Follow the job at GET /jobs/:id.',
  })
  @ApiAcceptedResponse({ type: JobView })
  @ApiResponse({
    status: 409,
    description: 'The model is not trained yet, or the dataset version has no rows it has not learnt',
    type: ErrorView,
  })
  @ApiResponse({
    status: 422,
    description:
      'The kind cannot update, the artifact predates updates (train again), or the dataset version is of another dataset',
    type: ErrorView,
  })
  async update(@Param('id', new ParseUUIDPipe()) id: string, @Body() dto: UpdateModelDto): Promise<JobView> {
    return JobView.of(await this.updates.update(id, dto));
  }

  @Post(':id/forecast')
  @HttpCode(200)
  @UseInterceptors(ContextCapInterceptor)
  @ApiOperation({
    summary:
      'Forecast one series; JSON, or Arrow IPC with Accept: application/vnd.apache.arrow.stream (long format: series, channel when more than one, step, timestamp, value, sample when samples are asked for, then one column per quantile q-0.1 and per bound lo-90, hi-90)',
  })
  @ApiProduces('application/json', ARROW_STREAM)
  @ApiOkResponse({ type: ForecastView })
  async forecast(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() dto: ForecastDto,
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<ForecastView | StreamableFile> {
    const result = await this.forecasts.forecast(id, dto);
    if (accept?.includes(ARROW_STREAM)) {
      res.setHeader('content-type', ARROW_STREAM);
      return new StreamableFile(Buffer.from(forecastsToIpc([result], 'stream')));
    }
    return result;
  }

  @Post(':id/samples')
  @HttpCode(200)
  @ApiOperation({
    summary:
      "Unconditional sample paths of a generative model (LS4): {count, length, seed?, seriesKey?, times?}; paths[sample][channel][step], in the series' units when seriesKey names a training series, else standardised; with times (one ISO stamp per step) drawn at those times, each step's dt its gap over the model's nominal gap",
  })
  samples(@Param('id', new ParseUUIDPipe()) id: string, @Body() dto: SamplesDto) {
    return this.forecasts.samples(id, dto);
  }

  @Post(':id/batch-forecasts')
  @HttpCode(202)
  @ApiOperation({
    summary:
      'Forecast every series of the dataset as a job; the result names an Arrow file (the long format of a forecast answer, every series in one table)',
  })
  @ApiAcceptedResponse({ type: JobView })
  async batch(@Param('id', new ParseUUIDPipe()) id: string, @Body() dto: BatchForecastDto): Promise<JobView> {
    return JobView.of(
      await this.models.batchForecast(id, dto.horizon, { quantiles: dto.quantiles, samples: dto.samples }),
    );
  }

  @Get(':id/batch-forecasts/:jobId')
  @ApiOperation({
    summary:
      "Download the Arrow IPC file a batch forecast job wrote, or (format=parquet) the same rows as a Parquet file, converted row group by row group; timestamps carry the dataset's time zone",
  })
  @ApiProduces('application/vnd.apache.arrow.file', 'application/vnd.apache.parquet')
  async batchFile(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Param('jobId', new ParseUUIDPipe()) jobId: string,
    @Query('format') format: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<StreamableFile> {
    if (format !== undefined && format !== 'arrow' && format !== 'parquet')
      throw new ValidationFailed(`Unknown batch forecast format ${format}`, [
        { field: 'format', reason: 'expected arrow or parquet' },
      ]);
    const job = await this.jobs.get(jobId);
    const file = (job.result as { file?: string; modelId?: string } | null) ?? {};
    if (job.status !== 'succeeded' || file.modelId !== id || !file.file) {
      throw new NotFound(`no batch forecast file for job ${jobId} of model ${id}`, [
        { field: 'jobId', reason: `job is ${job.status}` },
      ]);
    }
    const full = path.join(dataPaths(this.config).root, file.file);
    if (!existsSync(full))
      throw new NotFound(`batch forecast file of job ${jobId} is gone`, [
        { field: 'jobId', reason: 'file removed' },
      ]);
    if (format === 'parquet') {
      const file = await openArrowFile(full);
      res.setHeader('content-type', 'application/vnd.apache.parquet');
      res.setHeader('content-disposition', `attachment; filename="${jobId}.parquet"`);
      return new StreamableFile(Readable.from(exportParquet(file.schema, file.batches)));
    }
    res.setHeader('content-type', 'application/vnd.apache.arrow.file');
    res.setHeader('content-disposition', `attachment; filename="${jobId}.arrow"`);
    return new StreamableFile(createReadStream(full));
  }

  @Get(':id/coefficients')
  @ApiOperation({ summary: 'Learned lag coefficients of AR-Net and Classic-AR models' })
  coefficients(@Param('id', new ParseUUIDPipe()) id: string) {
    return this.models.coefficients(id);
  }

  @Post(':id/schedules')
  @ApiOperation({ summary: "Retrain on the dataset's newest version, or batch-forecast, on a cron schedule" })
  @ApiCreatedResponse({ type: ScheduleView })
  async schedule(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() dto: ModelScheduleDto,
  ): Promise<ScheduleView> {
    return ScheduleView.of(await this.models.schedule(id, dto.action, dto.cron, dto.timezone));
  }

  @Get(':id/schedules')
  @ApiOkResponse({ type: [ScheduleView] })
  async schedules(@Param('id', new ParseUUIDPipe()) id: string): Promise<ScheduleView[]> {
    return (await this.models.schedulesOf(id)).map(ScheduleView.of);
  }
}
