import { Body, Controller, Delete, Get, HttpCode, Inject, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiConflictResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { Conflict, ValidationFailed } from '@seqcast/core';
import type { JobStatus } from '@seqcast/db';
import {
  declaredJobTypes,
  inPayloadFields,
  isDeclaredJobType,
  JOB_QUEUE,
  JobHandlerRegistry,
  JobQueue,
  JobStore,
} from '@seqcast/jobs';
import { ErrorResponses, ErrorView } from '../http/api-errors';
import { CreateJobDto, JobListView, JobTypeView, JobView, ListJobsQuery } from './job.dto';

/** The statuses a job may be retried from: it ended without a result. */
const RETRYABLE: JobStatus[] = ['failed', 'cancelled'];

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
    return this.enqueuePublic(dto.type, dto.payload ?? {}, dto.maxAttempts);
  }

  @Post(':id/retry')
  @HttpCode(202)
  @ApiOperation({
    summary:
      'Run a failed or cancelled job again as a new job with the same type, payload and maxAttempts, checked as POST /jobs checks it: a type only its own route enqueues (training, backtests) is 400 naming `type` (send that route its request again), a payload no longer valid (a deleted dataset) is 400 naming its `payload.` field. A queued or running job is 409 naming `status` (it has not finished); a succeeded one is 409 too (its result stands; POST /jobs runs it anew). The original job is left as it is; the new one does not record its id.',
  })
  @ApiAcceptedResponse({ type: JobView })
  @ApiConflictResponse({ description: 'The job is queued, running or succeeded', type: ErrorView })
  async retry(@Param('id', new ParseUUIDPipe()) id: string): Promise<JobView> {
    const job = await this.store.get(id);
    if (!RETRYABLE.includes(job.status)) {
      throw new Conflict(`job ${id} is ${job.status}; only a failed or cancelled job is retried`, [
        { field: 'status', reason: `${job.status}, not ${RETRYABLE.join(' or ')}` },
      ]);
    }
    return this.enqueuePublic(job.type, job.payload, job.maxAttempts);
  }

  /** POST /jobs's path: the type must be declared and public, the payload pass its handler. */
  private async enqueuePublic(
    type: string,
    payload: Record<string, unknown>,
    maxAttempts: number | undefined,
  ): Promise<JobView> {
    if (!isDeclaredJobType(type)) {
      throw new ValidationFailed(`unknown job type '${type}'`, [
        {
          field: 'type',
          reason: `must be one of: ${declaredJobTypes()
            .map((t) => t.type)
            .join(', ')}`,
        },
      ]);
    }
    // Types that only their own route may enqueue are refused here (400 on `type`).
    this.registry.accepting(type, 'public');
    // The queue runs the handler's payload validation, the same as the type's own route.
    return JobView.of(
      await inPayloadFields(() => this.queue.enqueue(type, payload, { maxAttempts, from: 'public' })),
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
