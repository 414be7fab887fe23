import { PageQuery } from '../http/page.query';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { JOB_STATUSES, JobEntity, JobStatus } from '@seqcast/db';
import { IsIn, IsInt, IsObject, IsOptional, IsString, Max, Min } from 'class-validator';

export class CreateJobDto {
  @ApiProperty({ example: 'diagnostic.sleep', description: 'A declared job type (GET /jobs/types).' })
  @IsString()
  type!: string;

  @ApiPropertyOptional({
    example: { steps: 5, stepMs: 200 },
    description: 'Input of the job, as its type defines it.',
  })
  @IsOptional()
  @IsObject()
  payload?: Record<string, unknown>;

  @ApiPropertyOptional({
    minimum: 1,
    maximum: 20,
    description: 'Attempts before the job is failed (default JOBS_ATTEMPTS).',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(20)
  maxAttempts?: number;
}

export class ListJobsQuery extends PageQuery {
  @ApiPropertyOptional({ enum: JOB_STATUSES })
  @IsOptional()
  @IsIn(JOB_STATUSES)
  status?: JobStatus;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  type?: string;
}

export class EpochMetricsView {
  @ApiProperty({ example: 3 }) epoch!: number;
  @ApiProperty({
    example: 20,
    description: 'Epochs the training was set to run (early stopping may end it sooner).',
  })
  epochs!: number;
  @ApiProperty({ example: 0.0412, description: 'Mean training loss over the epoch.' }) loss!: number;
  @ApiPropertyOptional({
    example: 0.0533,
    description: 'The validation metric the training watches (early stopping), when it has one.',
  })
  valLoss?: number;
}

export class JobProgressView {
  @ApiProperty({ minimum: 0, maximum: 1 }) fraction!: number;
  @ApiPropertyOptional({ nullable: true, type: String }) message!: string | null;
  @ApiProperty({
    type: [EpochMetricsView],
    description:
      "The epochs a training has ended so far, oldest first: its loss curve (empty for jobs that train nothing). A job that trains several times (a backtest's folds) starts again at epoch 1; a retried job shows its latest attempt's.",
  })
  curve!: EpochMetricsView[];
}

export class JobView {
  @ApiProperty() id!: string;
  @ApiProperty() type!: string;
  @ApiProperty({ enum: JOB_STATUSES }) status!: JobStatus;
  @ApiProperty({ type: JobProgressView }) progress!: JobProgressView;
  @ApiProperty({ type: Object }) payload!: Record<string, unknown>;
  @ApiPropertyOptional({ nullable: true, description: 'What the job produced, when it succeeded.' })
  result!: unknown;
  @ApiPropertyOptional({ nullable: true, type: String }) error!: string | null;
  @ApiProperty() attempts!: number;
  @ApiProperty() maxAttempts!: number;
  @ApiProperty() cancelRequested!: boolean;
  @ApiPropertyOptional({ nullable: true, type: String }) scheduleId!: string | null;
  @ApiProperty() createdAt!: Date;
  @ApiPropertyOptional({ nullable: true, type: Date }) startedAt!: Date | null;
  @ApiPropertyOptional({ nullable: true, type: Date }) finishedAt!: Date | null;

  static of(j: JobEntity): JobView {
    return {
      id: j.id,
      type: j.type,
      status: j.status,
      progress: { fraction: j.progress, message: j.progressMessage, curve: j.progressCurve ?? [] },
      payload: j.payload,
      result: j.result ?? null,
      error: j.error,
      attempts: j.attempts,
      maxAttempts: j.maxAttempts,
      cancelRequested: j.cancelRequested,
      scheduleId: j.scheduleId,
      createdAt: j.createdAt,
      startedAt: j.startedAt,
      finishedAt: j.finishedAt,
    };
  }
}

export class JobListView {
  @ApiProperty({ type: [JobView] }) items!: JobView[];
  @ApiProperty() total!: number;
}

export class JobTypeView {
  @ApiProperty() type!: string;
  @ApiProperty() description!: string;
}
