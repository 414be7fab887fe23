import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** `detached`: removed from the model (its states stay for inspection until the model is deleted). */
export type AdapterStatus = 'ready' | 'superseded' | 'detached';

/** An online adapter attached to a model: forecasts of the model are then adapted per series. */
@Entity('adapter')
@Index('ix_adapter_model', ['modelId'])
export class AdapterEntity {
  @PrimaryColumn('varchar', { length: 36 })
  id!: string;

  @Column('varchar', { length: 36 })
  modelId!: string;

  /** tafas | petsa | onenet */
  @Column('varchar', { length: 32 })
  method!: string;

  /** The method's options with defaults filled in. */
  @Column('simple-json')
  options!: Record<string, unknown>;

  @Column('varchar', { length: 16 })
  status!: AdapterStatus;

  /** The model version it was attached to (its states wrap that version's forecaster). */
  @Column('varchar', { length: 36, nullable: true })
  modelVersionId!: string | null;

  @CreateDateColumn()
  createdAt!: Date;

  @UpdateDateColumn()
  updatedAt!: Date;
}
