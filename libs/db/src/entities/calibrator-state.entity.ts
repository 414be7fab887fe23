import { Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** One series' residual state of a calibrator, saved after every update so it survives a restart. */
@Entity('calibrator_state')
export class CalibratorStateEntity {
  @PrimaryColumn('varchar', { length: 36 })
  calibratorId!: string;

  @PrimaryColumn('varchar', { length: 500 })
  seriesKey!: string;

  /** The calibrator's plain-JSON state (residuals per horizon step, method state). */
  @Column('simple-json')
  state!: Record<string, unknown>;

  @Column('integer', { default: 0 })
  updates!: number;

  @UpdateDateColumn()
  updatedAt!: Date;
}
