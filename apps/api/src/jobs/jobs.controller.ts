import { Body, Controller, Delete, Get, HttpCode, Inject, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ValidationFailed } from '@seqcast/core';
import {
  declaredJobTypes,
  inPayloadFields,
  isDeclaredJobType,
  JOB_QUEUE,
  JobHandlerRegistry,
  JobQueue,
  JobStore,
} from '@seqcast/jobs';
import { ErrorResponses } from '../http/api-errors';
import { CreateJobDto, JobListView, JobTypeView, JobView, ListJobsQuery } from './job.dto';

@ApiTags('jobs')
@ErrorResponses()
@Controller('jobs')
export class JobsController {
  constructor(
    @Inject(JOB_QUEUE) private readonly queue: JobQueue,
    private readonly store: JobStore,
    private readonly registry: JobHandlerRegistry,
  ) {}

  @Post()
  @HttpCode(202)
  @ApiOperation({ summary: 'Enqueue a job; follow it at GET /jobs/:id' })
  @ApiAcceptedResponse({ type: JobView })
  async create(@Body() dto: CreateJobDto): Promise<JobView> {
    if (!isDeclaredJobType(dto.type)) {
      throw new ValidationFailed(`unknown job type '${dto.type}'`, [
        {
          field: 'type',
          reason: `must be one of: ${declaredJobTypes()
            .map((t) => t.type)
            .join(', ')}`,
        },
      ]);
    }
    // Types that only their own route may enqueue are refused here (400 on `type`).
    this.registry.accepting(dto.type, 'public');
    // The queue runs the handler's payload validation, the same as the type's own route.
    return JobView.of(
      await inPayloadFields(() =>
        this.queue.enqueue(dto.type, dto.payload ?? {}, { maxAttempts: dto.maxAttempts, from: 'public' }),
      ),
    );
  }

  @Get()
  @ApiOperation({ summary: 'List jobs, newest first' })
  @ApiOkResponse({ type: JobListView })
  async list(@Query() q: ListJobsQuery): Promise<JobListView> {
    const [rows, total] = await this.store.list(q);
    return { items: rows.map(JobView.of), total };
  }

  @Get('types')
  @ApiOperation({ summary: 'The job types this deployment runs' })
  @ApiOkResponse({ type: [JobTypeView] })
  types(): JobTypeView[] {
    return declaredJobTypes();
  }

  @Get(':id')
  @ApiOperation({ summary: 'A job: status, progress, result or error' })
  @ApiOkResponse({ type: JobView })
  async get(@Param('id', new ParseUUIDPipe()) id: string): Promise<JobView> {
    return JobView.of(await this.store.get(id));
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @ApiOperation({ summary: 'Cancel a queued or running job (a running one stops at its next check)' })
  @ApiOkResponse({ type: JobView })
  async cancel(@Param('id', new ParseUUIDPipe()) id: string): Promise<JobView> {
    return JobView.of(await this.queue.cancel(id));
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a finished job (succeeded, failed or cancelled); a queued or running one is 409' })
  @ApiNoContentResponse({ description: 'Deleted' })
  async remove(@Param('id', new ParseUUIDPipe()) id: string): Promise<void> {
    await this.store.deleteFinished(id);
  }
}
