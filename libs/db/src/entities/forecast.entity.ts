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

  /** Channels forecast (the value columns of the series). */
  @Column('integer', { default: 1 })
  channels!: number;

  /** Interval levels stored ('80', '90': bounds lo-80, hi-80, ...), or null. */
  @Column('simple-json', { nullable: true })
  levels!: string[] | null;

  /** Quantile levels stored (0.1, 0.9, ...), or null. */
  @Column('simple-json', { nullable: true })
  quantiles!: number[] | null;

  /** Sample paths stored (0: none). */
  @Column('integer', { default: 0 })
  samples!: number;

  /**
   * The forecast: `{format: 2, frequency, forecast}` with the Forecast value's JSON (every
   * channel, intervals, quantiles, samples), or, in rows written before format 2,
   * `{frequency, point, bounds?, calibratorId?}` of one channel. `observed` holds the truth once given.
   */
  @Column('simple-json')
  values!: Record<string, unknown>;

  @Column('varchar', { length: 36, nullable: true })
  jobId!: string | null;

  @CreateDateColumn()
  createdAt!: Date;
}
