import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';
import { DiskBytesColumn } from './disk-bytes.column';

/**
 * One immutable version of a dataset: Arrow IPC files (a version made by appending
 * observations lists its parent's files plus one new file) and what validation learned.
 */
@Entity('dataset_version')
@Index('uq_dataset_version', ['datasetId', 'version'], { unique: true })
export class DatasetVersionEntity {
  @PrimaryColumn('varchar', { length: 36 })
  id!: string;

  @Column('varchar', { length: 36 })
  datasetId!: string;

  @Column('integer')
  version!: number;

  /** Arrow IPC files relative to the dataset store root, in row order. */
  @Column('simple-json')
  files!: string[];

  @Column('varchar', { length: 64 })
  contentHash!: string;

  @Column('simple-json')
  schema!: Record<string, unknown>;

  @Column('simple-json')
  stats!: Record<string, unknown>;

  @Column('integer')
  rowCount!: number;

  @Column('integer', { default: 0 })
  seriesCount!: number;

  @Column('integer', { default: 0 })
  eventCount!: number;

  @Column({ type: Date, nullable: true })
  timeStart!: Date | null;

  @Column({ type: Date, nullable: true })
  timeEnd!: Date | null;

  @Column('varchar', { length: 32, nullable: true })
  frequency!: string | null;

  /**
   * Bytes on disk of the version's files (Arrow files and their index files), recorded when
   * the version is written. Versions share files with their parent, so the newest version's
   * count is the whole dataset's.
   */
  @DiskBytesColumn()
  diskBytes!: number | null;

  @CreateDateColumn()
  createdAt!: Date;
}
