import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';
import { DiskBytesColumn } from './disk-bytes.column';

/** One trained state of a model: where its artifact is and how it scored. */
@Entity('model_version')
@Index('uq_model_version', ['modelId', 'version'], { unique: true })
export class ModelVersionEntity {
  @PrimaryColumn('varchar', { length: 36 })
  id!: string;

  @Column('varchar', { length: 36 })
  modelId!: string;

  @Column('integer')
  version!: number;

  /** Artifact store reference (a directory id under the artifact root). */
  @Column('varchar', { length: 500 })
  artifactRef!: string;

  @Column('varchar', { length: 36, nullable: true })
  datasetVersionId!: string | null;

  @Column('simple-json', { nullable: true })
  metrics!: Record<string, unknown> | null;

  @Column('varchar', { length: 32, nullable: true })
  backend!: string | null;

  /**
   * What the weights were fitted on: 'split', the train part of each series (the validation and
   * test parts held out, the test metrics measured on this very fit), or 'all', every row, refitted
   * with the settings validation picked on the split fit (whose test metrics the version keeps).
   */
  @Column('varchar', { length: 8, default: 'split' })
  fitOn!: 'split' | 'all';

  /** Bytes of the artifact's files; measured once, the first time it is asked for (artifacts never change). */
  @DiskBytesColumn()
  diskBytes!: number | null;

  @CreateDateColumn()
  createdAt!: Date;
}
