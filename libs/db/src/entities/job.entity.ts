import type { EpochMetrics } from '@seqcast/core';
import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';

export const JOB_STATUSES = ['queued', 'running', 'succeeded', 'failed', 'cancelled'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

/**
 * The durable record of a job. Whatever queue driver runs it, this row is the truth
 * that `GET /jobs/:id` reports.
 */
@Entity('job')
@Index('ix_job_status', ['status'])
export class JobEntity {
  @PrimaryColumn('varchar', { length: 36 })
  id!: string;

  @Column('varchar', { length: 100 })
  type!: string;

  @Column('simple-json')
  payload!: Record<string, unknown>;

  @Column('varchar', { length: 16 })
  status!: JobStatus;

  /** Fraction done, 0..1. */
  @Column('double precision', { default: 0 })
  progress!: number;

  @Column('text', { nullable: true })
  progressMessage!: string | null;

  /** The epochs a training job has ended so far, oldest first (ProgressFn's metrics): its loss curve. */
  @Column('simple-json', { nullable: true })
  progressCurve!: EpochMetrics[] | null;

  @Column('simple-json', { nullable: true })
  result!: unknown;

  @Column('text', { nullable: true })
  error!: string | null;

  @Column('integer', { default: 0 })
  attempts!: number;

  @Column('integer', { default: 1 })
  maxAttempts!: number;

  @Column('boolean', { default: false })
  cancelRequested!: boolean;

  @Column('varchar', { length: 36, nullable: true })
  scheduleId!: string | null;

  @CreateDateColumn()
  createdAt!: Date;

  @UpdateDateColumn()
  updatedAt!: Date;

  @Column({ type: Date, nullable: true })
  startedAt!: Date | null;

  @Column({ type: Date, nullable: true })
  finishedAt!: Date | null;
}
