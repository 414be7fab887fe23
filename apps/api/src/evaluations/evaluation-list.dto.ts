import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { JOB_STATUSES, JobEntity, JobStatus } from '@seqcast/db';
import { IsIn, IsOptional } from 'class-validator';
import { PageQuery } from '../http/page.query';
import { JobProgressView, JobView } from '../jobs/job.dto';
import { EVALUATION_KINDS, EvaluationKind, evaluationSummary } from './evaluation-summary';

export class ListEvaluationsQuery extends PageQuery {
  @ApiPropertyOptional({ enum: EVALUATION_KINDS })
  @IsOptional()
  @IsIn(EVALUATION_KINDS)
  kind?: EvaluationKind;

  @ApiPropertyOptional({ enum: JOB_STATUSES })
  @IsOptional()
  @IsIn(JOB_STATUSES)
  status?: JobStatus;
}

/** An evaluation in a list: what it is and how far it got, without its figures. */
export class EvaluationSummaryView {
  @ApiProperty() id!: string;
  @ApiProperty({ enum: EVALUATION_KINDS }) kind!: EvaluationKind;
  @ApiProperty({ enum: JOB_STATUSES }) status!: JobStatus;
  @ApiProperty({
    example: 'naive, nlinear on CO2: horizon 12, 4 folds',
    description: 'Models, data and settings in one line.',
  })
  summary!: string;
  @ApiProperty({ type: JobProgressView }) progress!: JobProgressView;
  @ApiPropertyOptional({ nullable: true, type: String }) error!: string | null;
  @ApiProperty() createdAt!: Date;
  @ApiPropertyOptional({ nullable: true, type: Date }) startedAt!: Date | null;
  @ApiPropertyOptional({ nullable: true, type: Date }) finishedAt!: Date | null;

  static of(j: JobEntity): EvaluationSummaryView {
    return {
      id: j.id,
      kind: j.type.slice('evaluation.'.length) as EvaluationKind,
      status: j.status,
      summary: evaluationSummary(j),
      // as a job shows it, whatever a job's progress carries
      progress: JobView.of(j).progress,
      error: j.error,
      createdAt: j.createdAt,
      startedAt: j.startedAt,
      finishedAt: j.finishedAt,
    };
  }
}

export class EvaluationListView {
  @ApiProperty({ type: [EvaluationSummaryView] }) items!: EvaluationSummaryView[];
  @ApiProperty() total!: number;
}
