import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** What owns an online state: a conformal calibrator or an adapter. */
export type OnlineOwnerKind = 'calibrator' | 'adapter';

/**
 * One series' state of something that learns online from observations (a calibrator's
 * residuals, an adapter's modules and stream), saved after every update so it survives a restart.
 */
@Entity('online_state')
export class OnlineStateEntity {
  @PrimaryColumn('varchar', { length: 36 })
  ownerId!: string;

  @PrimaryColumn('varchar', { length: 500 })
  seriesKey!: string;

  @Column('varchar', { length: 16 })
  ownerKind!: OnlineOwnerKind;

  /** The owner's plain-JSON state (a calibrator's residuals per step; an adapter's snapshot). */
  @Column('simple-json')
  state!: Record<string, unknown>;

  @Column('integer', { default: 0 })
  updates!: number;

  @UpdateDateColumn()
  updatedAt!: Date;
}

/** An earlier state of one series' adapter, kept for rollback (`seq` = the adapter's stream position then). */
@Entity('online_snapshot')
export class OnlineSnapshotEntity {
  @PrimaryColumn('varchar', { length: 36 })
  ownerId!: string;

  @PrimaryColumn('varchar', { length: 500 })
  seriesKey!: string;

  @PrimaryColumn('integer')
  seq!: number;

  @Column('simple-json')
  state!: Record<string, unknown>;

  @CreateDateColumn()
  createdAt!: Date;
}
