import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { eventModelRegistry } from '@seqcast/events';
import { EventModelsService } from '@seqcast/models';
import { ErrorResponses } from '../http/api-errors';
import { PageQuery } from '../http/page.query';
import { JobView } from '../jobs/job.dto';
import { ModelView } from '../models/model.dto';
import {
  CreateEventModelDto,
  GenerateEventsDto,
  PredictEventDto,
  TrainEventModelDto,
} from './event-model.dto';

@ApiTags('event models')
@ErrorResponses()
@Controller('event-models')
export class EventModelsController {
  constructor(private readonly events: EventModelsService) {}

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
  async list(@Query() q: PageQuery) {
    const [rows, total] = await this.events.list(q);
    return { items: rows.map(ModelView.of), total };
  }

  @Get(':id')
  async get(@Param('id', new ParseUUIDPipe()) id: string) {
    return ModelView.of(await this.events.get(id));
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

  @Post(':id/generate')
  @HttpCode(200)
  @ApiOperation({ summary: 'Sampled continuations of a history, up to a time horizon or a count of events' })
  generate(@Param('id', new ParseUUIDPipe()) id: string, @Body() dto: GenerateEventsDto) {
    return this.events.generate(id, dto);
  }
}
