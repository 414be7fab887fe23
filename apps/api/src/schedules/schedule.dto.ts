import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ScheduleEntity } from '@seqcast/db';
import { validateCron } from '@seqcast/jobs';
import { IsBoolean, IsObject, IsOptional, IsString, Length } from 'class-validator';

export class CreateScheduleDto {
  @ApiProperty({ example: 'nightly retrain' }) @IsString() @Length(1, 200) name!: string;
  @ApiProperty({
    example: '0 3 * * *',
    description:
      'Cron expression, 5 fields (or 6 with seconds first). Fires closer than SCHEDULE_MIN_INTERVAL_S are refused; a fire is skipped while the previous job is still queued or running.',
  })
  @IsString()
  cron!: string;
  @ApiProperty({ example: 'diagnostic.sleep' }) @IsString() jobType!: string;
  @ApiPropertyOptional({ type: Object }) @IsOptional() @IsObject() payload?: Record<string, unknown>;
  @ApiPropertyOptional({ default: 'UTC', example: 'Europe/Paris' })
  @IsOptional()
  @IsString()
  timezone?: string;
  @ApiPropertyOptional({ default: true }) @IsOptional() @IsBoolean() enabled?: boolean;
}

export class UpdateScheduleDto {
  @ApiProperty() @IsBoolean() enabled!: boolean;
}

export class ScheduleView {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
  @ApiProperty() cron!: string;
  @ApiProperty() timezone!: string;
  @ApiProperty() jobType!: string;
  @ApiProperty({ type: Object }) payload!: Record<string, unknown>;
  @ApiProperty() enabled!: boolean;
  @ApiPropertyOptional({ nullable: true, type: Date }) lastFiredAt!: Date | null;
  @ApiProperty({ description: 'Fires skipped because the previous job of this schedule was still queued or running.' })
  skippedRuns!: number;
  @ApiPropertyOptional({ nullable: true, type: Date }) lastSkippedAt!: Date | null;
  @ApiProperty() createdAt!: Date;
  @ApiPropertyOptional({
    nullable: true,
    type: Date,
    description: 'When the cron fires next in its time zone; null while the schedule is disabled.',
  })
  nextFireAt!: Date | null;

  static of(s: ScheduleEntity): ScheduleView {
    const { id, name, cron, timezone, jobType, payload, enabled, lastFiredAt, skippedRuns, lastSkippedAt, createdAt } = s;
    // a stored cron was checked when it was created: it has a next fire
    const nextFireAt = enabled ? validateCron(cron, timezone) : null;
    return { id, name, cron, timezone, jobType, payload, enabled, lastFiredAt, skippedRuns, lastSkippedAt, createdAt, nextFireAt };
  }
}
