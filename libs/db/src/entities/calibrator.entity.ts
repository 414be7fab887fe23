import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** `superseded`: a newer calibrator of the same model became ready; only one is ready at a time. */
export type CalibratorStatus = 'fitting' | 'ready' | 'failed' | 'superseded';

/** A conformal calibrator attached to a model: forecasts then carry interval bounds. */
@Entity('calibrator')
@Index('ix_calibrator_model', ['modelId'])
export class CalibratorEntity {
  @PrimaryColumn('varchar', { length: 36 })
  id!: string;

  @Column('varchar', { length: 36 })
  modelId!: string;

  /** split | aci | enbpi | spci */
  @Column('varchar', { length: 32 })
  method!: string;

  @Column('simple-json')
  alpha!: number[];

  @Column('simple-json')
  options!: Record<string, unknown>;

  @Column('varchar', { length: 16 })
  status!: CalibratorStatus;

  /** The model version whose residuals it was fitted on. */
  @Column('varchar', { length: 36, nullable: true })
  modelVersionId!: string | null;

  @Column('varchar', { length: 36, nullable: true })
  jobId!: string | null;

  @CreateDateColumn()
  createdAt!: Date;

  @UpdateDateColumn()
  updatedAt!: Date;
}
