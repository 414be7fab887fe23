import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * An API key. Only the SHA-256 of the key is kept: the key itself is shown once, at
 * creation. `prefix` (the key's first characters, not secret) names it in listings.
 */
@Entity('api_key')
export class ApiKeyEntity {
  @PrimaryColumn('varchar', { length: 36 })
  id!: string;

  @Column('varchar', { length: 200, default: '' })
  name!: string;

  @Column('varchar', { length: 32 })
  prefix!: string;

  /** Hex SHA-256 of the whole key; unique, so a key resolves to one row. */
  @Index('ux_api_key_hash', { unique: true })
  @Column('varchar', { length: 64 })
  hash!: string;

  @Column('simple-json')
  scopes!: string[];

  @Column({ type: Date, nullable: true })
  revokedAt!: Date | null;

  @CreateDateColumn()
  createdAt!: Date;
}
