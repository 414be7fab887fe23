import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import { seq2seqRegistry } from '@seqcast/forecast';
import { DeletionsService, ModelDiskUsage, Seq2SeqModelsService } from '@seqcast/models';
import { ErrorResponses, ErrorView } from '../http/api-errors';
import { PageQuery } from '../http/page.query';
import { JobView } from '../jobs/job.dto';
import { ModelView } from '../models/model.dto';
import { ModelDiskListView, ModelDiskView } from '../models/model-disk.dto';
import { ModelDetailView } from '../models/model-train.dto';
import { CreateSeq2SeqModelDto, PredictSeq2SeqDto, TrainSeq2SeqModelDto } from './seq2seq-model.dto';

@ApiTags('seq2seq models')
@ErrorResponses()
@Controller('seq2seq-models')
export class Seq2SeqModelsController {
  constructor(
    private readonly seq2seq: Seq2SeqModelsService,
    private readonly usage: ModelDiskUsage,
    private readonly deletions: DeletionsService,
  ) {}

  @Get('kinds')
  @ApiOperation({
    summary: 'Sequence-to-sequence kinds (HiSS and its flat baselines) with their config schemas',
  })
  kinds() {
    return seq2seqRegistry.describe();
  }

  @Post()
  @ApiOperation({ summary: "Configure a seq2seq model on a seq2seq dataset (its ratio is the dataset's)" })
  async create(@Body() dto: CreateSeq2SeqModelDto) {
    return ModelView.of(await this.seq2seq.create(dto));
  }

  @Get()
  @ApiOkResponse({ type: ModelDiskListView })
  async list(@Query() q: PageQuery): Promise<ModelDiskListView> {
    return ModelDiskListView.of(await this.seq2seq.list(q), this.usage);
  }

  @Get(':id')
  @ApiOkResponse({ type: ModelDetailView })
  async get(@Param('id', new ParseUUIDPipe()) id: string): Promise<ModelDetailView> {
    return {
      ...(await ModelDiskView.measured(await this.seq2seq.get(id), this.usage)),
      checkpoint: await this.seq2seq.checkpoint(id),
    };
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({
    summary:
      'Delete a seq2seq model with its versions and artifacts; 409 while a job for it is queued or running',
  })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiResponse({
    status: 409,
    description: 'A job for the model is queued or running (details name the jobs)',
    type: ErrorView,
  })
  async remove(@Param('id', new ParseUUIDPipe()) id: string): Promise<void> {
    await this.deletions.deleteModel(id, 'seq2seq');
  }

  @Post(':id/train')
  @HttpCode(202)
  @ApiOperation({
    summary:
      'Train as a job (progress at GET /jobs/:id): sequences split 70/15/15 into train, validation (best epoch) and test; the result names the split and has the test MSE per target column beside the mean predictor. Checkpoints are written as the training goes; {resume: true} goes on from an interrupted one',
  })
  @ApiAcceptedResponse({ type: JobView })
  @ApiResponse({
    status: 409,
    description:
      'resume: the model has no checkpoint, or it belongs to another config, dataset version or split seed',
    type: ErrorView,
  })
  async train(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() dto: TrainSeq2SeqModelDto,
  ): Promise<JobView> {
    return JobView.of(await this.seq2seq.train(id, dto));
  }

  @Post(':id/predict')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Outputs at the target rate for input sequences: predictions[sequence][target column][output step], one output per `ratio` inputs',
  })
  @ApiResponse({
    status: 400,
    description:
      'Wrong channel counts, lengths not a multiple of the ratio, non-numbers (details name inputs[s][c])',
    type: ErrorView,
  })
  @ApiResponse({ status: 409, description: 'The model is not trained yet', type: ErrorView })
  predict(@Param('id', new ParseUUIDPipe()) id: string, @Body() dto: PredictSeq2SeqDto) {
    return this.seq2seq.predict(id, dto);
  }
}
