import { Column } from 'typeorm';

/**
 * A byte count that may pass 2^31 (a dataset of many GB): `bigint` on both engines, read
 * back as a number (PostgreSQL's driver returns bigint as a string to keep precision;
 * byte counts stay far below 2^53). Null: not measured yet (a row from before the column).
 */
export function DiskBytesColumn(): PropertyDecorator {
  return Column('bigint', {
    nullable: true,
    transformer: {
      to: (v: number | null | undefined) => v,
      from: (v: string | number | null) => (v === null || v === undefined ? null : Number(v)),
    },
  });
}
