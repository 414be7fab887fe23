import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import { eventModelRegistry } from '@seqcast/events';
import { DeletionsService, EventModelsService, ModelDiskUsage } from '@seqcast/models';
import { ErrorResponses, ErrorView } from '../http/api-errors';
import { PageQuery } from '../http/page.query';
import { JobView } from '../jobs/job.dto';
import { ModelView } from '../models/model.dto';
import { ModelDiskListView, ModelDiskView } from '../models/model-disk.dto';
import {
  CreateEventModelDto,
  EventIntensityDto,
  GenerateEventsDto,
  PredictEventDto,
  TrainEventModelDto,
} from './event-model.dto';

@ApiTags('event models')
@ErrorResponses()
@Controller('event-models')
export class EventModelsController {
  constructor(
    private readonly events: EventModelsService,
    private readonly usage: ModelDiskUsage,
    private readonly deletions: DeletionsService,
  ) {}

  @Get('kinds')
  @ApiOperation({ summary: 'Temporal point process kinds with their config schemas' })
  kinds() {
    return eventModelRegistry.describe();
  }

  @Post()
  @ApiOperation({ summary: 'Configure a point process model on an event dataset' })
  async create(@Body() dto: CreateEventModelDto) {
    return ModelView.of(await this.events.create(dto));
  }

  @Get()
  @ApiOkResponse({ type: ModelDiskListView })
  async list(@Query() q: PageQuery): Promise<ModelDiskListView> {
    return ModelDiskListView.of(await this.events.list(q), this.usage);
  }

  @Get(':id')
  @ApiOkResponse({ type: ModelDiskView })
  async get(@Param('id', new ParseUUIDPipe()) id: string): Promise<ModelDiskView> {
    return ModelDiskView.measured(await this.events.get(id), this.usage);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({
    summary:
      'Delete an event model with its versions and artifacts; 409 while a job for it is queued or running',
  })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiResponse({
    status: 409,
    description: 'A job for the model is queued or running (details name the jobs)',
    type: ErrorView,
  })
  async remove(@Param('id', new ParseUUIDPipe()) id: string): Promise<void> {
    await this.deletions.deleteModel(id, 'events');
  }

  @Post(':id/train')
  @HttpCode(202)
  @ApiOperation({
    summary:
      'Train as a job (progress at GET /jobs/:id); the result has test log-likelihood per event, RMSE and error rate',
  })
  @ApiAcceptedResponse({ type: JobView })
  async train(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() dto: TrainEventModelDto,
  ): Promise<JobView> {
    return JobView.of(await this.events.train(id, dto));
  }

  @Post(':id/predict')
  @HttpCode(200)
  @ApiOperation({
    summary: "The next event after a history: time (mean and quantiles) and the type's probabilities",
  })
  predict(@Param('id', new ParseUUIDPipe()) id: string, @Body() dto: PredictEventDto) {
    return this.events.predict(id, dto);
  }

  @Post(':id/intensity')
  @HttpCode(200)
  @ApiOperation({
    summary:
      "The intensity after a history on a grid of times (per type and total), with the compensator, survival and density of the time to the next event; IntensityFree's intensity is its density over its survival",
  })
  intensity(@Param('id', new ParseUUIDPipe()) id: string, @Body() dto: EventIntensityDto) {
    return this.events.intensity(id, dto);
  }

  @Post(':id/generate')
  @HttpCode(200)
  @ApiOperation({ summary: 'Sampled continuations of a history, up to a time horizon or a count of events' })
  generate(@Param('id', new ParseUUIDPipe()) id: string, @Body() dto: GenerateEventsDto) {
    return this.events.generate(id, dto);
  }
}
