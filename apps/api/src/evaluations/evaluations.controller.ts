import { Body, Controller, Get, Header, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBody,
  ApiExtraModels,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import { EvaluationsService } from '@seqcast/models';
import { ErrorResponses } from '../http/api-errors';
import { JobView } from '../jobs/job.dto';
import { CreateEvaluationDto } from './evaluation.dto';
import { EvaluationListView, EvaluationSummaryView, ListEvaluationsQuery } from './evaluation-list.dto';
import {
  EvaluationBodyPipe,
  GenerationEvaluationBody,
  SequencesEvaluationBody,
} from './evaluation-body.pipe';
import { GENERATION_EVALUATION_BODY } from './generation-evaluation.schema';
import { SEQUENCES_EVALUATION_BODY } from './sequences-evaluation.schema';
import { TPP_EVALUATION_BODY } from './tpp-evaluation.schema';

@ApiTags('evaluations')
@ErrorResponses()
@Controller('evaluations')
export class EvaluationsController {
  constructor(private readonly evaluations: EvaluationsService) {}

  @Post()
  @HttpCode(202)
  @ApiOperation({
    summary:
      "Rolling-origin backtest (MSE, MAE, sMAPE, MASE) as a job; its id is the evaluation id. With `kind: 'sequences'` the body is instead an EBES-style evaluation of sequence-level models (the config `seqcast eval sequences` reads); its report is the Markdown table, its result every figure. With `kind: 'generation'`, LS4's generation protocol on a stored dataset column (generative models against a Gaussian AR and a block bootstrap; marginal, classification and prediction scores).",
  })
  @ApiExtraModels(CreateEvaluationDto)
  @ApiBody({
    schema: {
      oneOf: [
        { $ref: getSchemaPath(CreateEvaluationDto) },
        SEQUENCES_EVALUATION_BODY,
        GENERATION_EVALUATION_BODY,
      ],
    },
  })
  @ApiAcceptedResponse({ type: JobView })
  async create(
    @Body(EvaluationBodyPipe) body: CreateEvaluationDto | SequencesEvaluationBody | GenerationEvaluationBody,
  ): Promise<JobView> {
    if ((body as GenerationEvaluationBody).kind === 'generation')
      return JobView.of(await this.evaluations.createGeneration(body as GenerationEvaluationBody));
    if ((body as SequencesEvaluationBody).kind === 'sequences')
      return JobView.of(await this.evaluations.createSequences(body as SequencesEvaluationBody));
    return JobView.of(await this.evaluations.create(body as CreateEvaluationDto));
  }

  @Post('tpp')
  @HttpCode(202)
  @ApiOperation({
    summary:
      'EasyTPP-style evaluation of event models (datasets x models x seeds) as a job; the report is the Markdown table. Body: the same config as `seqcast eval tpp`, where a dataset source may also be a stored event dataset, `{kind: "dataset", datasetId, version?, seed?}` (split as training splits it); files must lie in the shared data folder.',
  })
  @ApiBody({ schema: TPP_EVALUATION_BODY })
  @ApiAcceptedResponse({ type: JobView })
  async createTpp(@Body() config: Record<string, unknown>): Promise<JobView> {
    return JobView.of(await this.evaluations.createTpp(config));
  }

  @Get()
  @ApiOperation({
    summary:
      'List evaluations of every kind (backtest, tpp, sequences, generation), newest first: kind, status, progress and a one-line summary of models and data',
  })
  @ApiOkResponse({ type: EvaluationListView })
  async list(@Query() q: ListEvaluationsQuery): Promise<EvaluationListView> {
    const [rows, total] = await this.evaluations.list(q);
    return { items: rows.map(EvaluationSummaryView.of), total };
  }

  @Get(':id')
  @ApiOperation({ summary: 'Status, progress and, when done, the metrics per model' })
  @ApiOkResponse({ type: JobView })
  async get(@Param('id', new ParseUUIDPipe()) id: string): Promise<JobView> {
    return JobView.of(await this.evaluations.get(id));
  }

  @Get(':id/report')
  @ApiOperation({ summary: 'The Markdown report (its chart is at ./forecasts.svg)' })
  @ApiProduces('text/markdown')
  @Header('content-type', 'text/markdown; charset=utf-8')
  async report(@Param('id', new ParseUUIDPipe()) id: string): Promise<string> {
    return (await this.evaluations.file(id, 'report.md')).toString('utf8');
  }

  @Get(':id/result.json')
  @ApiOperation({
    summary:
      "Every figure of a finished evaluation as JSON: a backtest's metrics per model, fold and step, the forecasts chart's data (`chart`) and, when scored, its intervals point by point (`intervalChart`); a table evaluation's result (rows per dataset and model). 404 naming id while it is not done.",
  })
  @ApiOkResponse({ schema: { type: 'object' } })
  async result(@Param('id', new ParseUUIDPipe()) id: string): Promise<unknown> {
    return this.evaluations.result(id);
  }

  @Get(':id/intervals.svg')
  @ApiOperation({ summary: 'The chart of the conformal intervals, when the evaluation scored them' })
  @ApiProduces('image/svg+xml')
  @Header('content-type', 'image/svg+xml')
  async intervalChart(@Param('id', new ParseUUIDPipe()) id: string): Promise<string> {
    return (await this.evaluations.file(id, 'intervals.svg')).toString('utf8');
  }

  @Get(':id/forecasts.svg')
  @ApiOperation({ summary: 'The chart of forecasts against truth' })
  @ApiProduces('image/svg+xml')
  @Header('content-type', 'image/svg+xml')
  async chart(@Param('id', new ParseUUIDPipe()) id: string): Promise<string> {
    return (await this.evaluations.file(id, 'forecasts.svg')).toString('utf8');
  }
}
