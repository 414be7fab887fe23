import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/** A persisted forecast: what was predicted, from which model version, for which series. */
@Entity('forecast')
@Index('ix_forecast_model', ['modelId', 'seriesKey'])
export class ForecastEntity {
  @PrimaryColumn('varchar', { length: 36 })
  id!: string;

  @Column('varchar', { length: 36 })
  modelId!: string;

  @Column('varchar', { length: 36, nullable: true })
  modelVersionId!: string | null;

  @Column('varchar', { length: 500 })
  seriesKey!: string;

  /** Time of the last observation the forecast conditions on. */
  @Column({ type: Date, nullable: true })
  origin!: Date | null;

  @Column('integer')
  horizon!: number;

  /** Timestamps, point forecasts and interval bounds per step. */
  @Column('simple-json')
  values!: Record<string, unknown>;

  @Column('varchar', { length: 36, nullable: true })
  jobId!: string | null;

  @CreateDateColumn()
  createdAt!: Date;
}
