import { Command } from 'commander';
import { loadConfig, printableConfig } from '@seqcast/core';
import { databaseEngine, openDatabase } from '@seqcast/db';
import { MIGRATIONS } from '@seqcast/migrations';
import { ApiClient } from '../api-client';

export function serverCommands(client: () => ApiClient): Command[] {
  const serve = new Command('serve')
    .description('start the HTTP API (ROLE=all also runs jobs; the embedded default)')
    .action(async () => {
      await import('../../../api/src/main');
    });
  const worker = new Command('worker')
    .description('start a job worker process (needs REDIS_URL)')
    .action(async () => {
      await import('../../../worker/src/main');
    });
  const migrate = new Command('migrate').description(
    'bring the database schema up to date, or revert the last migration',
  );
  migrate.option('--revert', 'undo the last migration').action(async (o: { revert?: boolean }) => {
    const config = loadConfig();
    const ds = await openDatabase(config, { migrate: false });
    try {
      if (o.revert) {
        await ds.undoLastMigration({ transaction: 'each' });
        console.log(`reverted the last migration (${databaseEngine(config)})`);
      } else {
        const done = await ds.runMigrations({ transaction: 'each' });
        console.log(
          `${done.length} migration(s) applied, ${MIGRATIONS.length} known (${databaseEngine(config)})`,
        );
      }
    } finally {
      await ds.destroy();
    }
  });
  const config = new Command('config')
    .description('validate the configuration from the environment and print it')
    .action(() => {
      console.log(JSON.stringify(printableConfig(loadConfig()), null, 2));
    });
  const health = new Command('health')
    .description('ask a running server for its health ($SEQCAST_URL)')
    .action(async () => {
      console.log(JSON.stringify(await client().request('GET', '/health'), null, 2));
    });
  const backend = new Command('backend')
    .description('choose the tfjs backend as the server would (TF_BACKEND) and say which runs, and why')
    .action(async () => {
      const { configureTensors } = await import('@seqcast/tensor');
      const info = await configureTensors(loadConfig());
      console.log(`backend: ${info.name} (requested ${info.requested}, kernels ${info.kernels})`);
      console.log(`details: ${info.details}`);
      for (const s of info.skipped) console.log(`skipped: ${s}`);
    });
  return [serve, worker, migrate, config, health, backend];
}
