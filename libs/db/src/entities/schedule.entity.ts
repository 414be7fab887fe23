import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** A cron schedule that enqueues a job of `jobType` with `payload` each time it fires. */
@Entity('schedule')
export class ScheduleEntity {
  @PrimaryColumn('varchar', { length: 36 })
  id!: string;

  @Column('varchar', { length: 200 })
  name!: string;

  @Column('varchar', { length: 100 })
  cron!: string;

  @Column('varchar', { length: 64, default: 'UTC' })
  timezone!: string;

  @Column('varchar', { length: 100 })
  jobType!: string;

  @Column('simple-json')
  payload!: Record<string, unknown>;

  @Column('boolean', { default: true })
  enabled!: boolean;

  @Column({ type: Date, nullable: true })
  lastFiredAt!: Date | null;

  /** Fires skipped because the schedule's previous job was still queued or running. */
  @Column('integer', { default: 0 })
  skippedRuns!: number;

  @Column({ type: Date, nullable: true })
  lastSkippedAt!: Date | null;

  @CreateDateColumn()
  createdAt!: Date;

  @UpdateDateColumn()
  updatedAt!: Date;
}
