import { QueryRunner, TableColumnOptions } from 'typeorm';

/**
 * Column builders that produce the same schema the entities declare, on SQLite and on
 * PostgreSQL alike, so every migration is written once for both engines.
 */
export function columns(qr: QueryRunner) {
  const pg = qr.connection.driver.options.type === 'postgres';
  const date = pg ? 'timestamp' : 'datetime';
  const now = pg ? 'now()' : "datetime('now')";
  return {
    id: (name = 'id'): TableColumnOptions => ({ name, type: 'varchar', length: '36', isPrimary: true }),
    ref: (name: string, nullable = false): TableColumnOptions => ({ name, type: 'varchar', length: '36', isNullable: nullable }),
    varchar: (name: string, length: number, opts: Partial<TableColumnOptions> = {}): TableColumnOptions => ({
      name,
      type: 'varchar',
      length: String(length),
      isNullable: false,
      ...opts,
    }),
    text: (name: string, nullable = false): TableColumnOptions => ({ name, type: 'text', isNullable: nullable }),
    /** TypeORM's simple-json is text on both engines. */
    json: (name: string, nullable = false): TableColumnOptions => ({ name, type: 'text', isNullable: nullable }),
    int: (name: string, opts: Partial<TableColumnOptions> = {}): TableColumnOptions => ({
      name,
      type: 'integer',
      isNullable: false,
      ...opts,
    }),
    float: (name: string, opts: Partial<TableColumnOptions> = {}): TableColumnOptions => ({
      name,
      type: 'double precision',
      isNullable: false,
      ...opts,
    }),
    bool: (name: string, def: boolean): TableColumnOptions => ({
      name,
      type: 'boolean',
      isNullable: false,
      default: pg ? String(def) : def ? 1 : 0,
    }),
    date: (name: string): TableColumnOptions => ({ name, type: date, isNullable: true }),
    created: (name = 'createdAt'): TableColumnOptions => ({ name, type: date, isNullable: false, default: now }),
    updated: (name = 'updatedAt'): TableColumnOptions => ({ name, type: date, isNullable: false, default: now }),
  };
}
