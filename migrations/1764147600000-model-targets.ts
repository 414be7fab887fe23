import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';
import { columns } from './portable-columns';

/**
 * A forecasting model may forecast several value columns (one channel each): `targets`
 * names them in order. Rows from before keep it null and forecast their one `target`.
 */
export class ModelTargets1764147600000 implements MigrationInterface {
  name = 'ModelTargets1764147600000';

  async up(qr: QueryRunner): Promise<void> {
    await qr.addColumn('model', new TableColumn(columns(qr).json('targets', true)));
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropColumn('model', 'targets');
  }
}
