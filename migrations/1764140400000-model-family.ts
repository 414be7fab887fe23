import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';
import { columns } from './portable-columns';

/** Models are forecasters of series or point processes of events. */
export class ModelFamily1764140400000 implements MigrationInterface {
  name = 'ModelFamily1764140400000';

  async up(qr: QueryRunner): Promise<void> {
    await qr.addColumn('model', new TableColumn(columns(qr).varchar('family', 16, { default: "'series'" })));
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropColumn('model', 'family');
  }
}
