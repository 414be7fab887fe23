import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

export type ModelStatus = 'created' | 'training' | 'trained' | 'failed';

/** A configured model on a dataset; trained weights are in its versions. */
@Entity('model')
export class ModelEntity {
  @PrimaryColumn('varchar', { length: 36 })
  id!: string;

  @Column('varchar', { length: 200 })
  name!: string;

  /** `series` (forecasting zoo, /models) or `events` (point processes, /event-models). */
  @Column('varchar', { length: 16, default: 'series' })
  family!: 'series' | 'events' | 'seq2seq';

  /** Registry kind, e.g. `arnet`, `spacetime`, `nhp`. */
  @Column('varchar', { length: 64 })
  kind!: string;

  @Column('simple-json')
  config!: Record<string, unknown>;

  @Column('varchar', { length: 36, nullable: true })
  datasetId!: string | null;

  /** The first (or only) target column; `targets` names them all. */
  @Column('varchar', { length: 200, nullable: true })
  target!: string | null;

  /**
   * Every value column the model forecasts, one channel each, in order. Null on rows from
   * before multichannel models: they forecast `target` alone.
   */
  @Column('simple-json', { nullable: true })
  targets!: string[] | null;

  @Column('integer', { nullable: true })
  lookback!: number | null;

  @Column('integer', { nullable: true })
  horizon!: number | null;

  @Column('varchar', { length: 16, default: 'created' })
  status!: ModelStatus;

  @Column('varchar', { length: 36, nullable: true })
  latestVersionId!: string | null;

  @CreateDateColumn()
  createdAt!: Date;

  @UpdateDateColumn()
  updatedAt!: Date;
}
