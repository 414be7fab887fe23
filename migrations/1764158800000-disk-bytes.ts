import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';

/**
 * `diskBytes` of dataset and model versions: the bytes their files take, so GET /datasets
 * and GET /models report disk usage without walking the files. Null on rows from before:
 * they are measured once, when first asked for.
 */
export class DiskBytes1764158800000 implements MigrationInterface {
  name = 'DiskBytes1764158800000';

  async up(qr: QueryRunner): Promise<void> {
    for (const table of ['dataset_version', 'model_version'])
      await qr.addColumn(table, new TableColumn({ name: 'diskBytes', type: 'bigint', isNullable: true }));
  }

  async down(qr: QueryRunner): Promise<void> {
    for (const table of ['model_version', 'dataset_version']) await qr.dropColumn(table, 'diskBytes');
  }
}
