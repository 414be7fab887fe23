import 'reflect-metadata';
import { ConfigError, exitOnShutdownSignals, loadConfig, runOrExplain } from '@seqcast/core';
import { createApp } from './create-app';
import { requestTurns } from './http/request-turns';

// ROLE=all (default) serves HTTP and runs jobs; ROLE=api only serves HTTP (jobs go to
// BullMQ workers). Worker processes start from apps/worker.
runOrExplain(async () => {
  const config = loadConfig();
  if (config.ROLE === 'worker') {
    throw new ConfigError([
      { field: 'ROLE', reason: 'ROLE=worker runs apps/worker (npm run start:worker), not the api' },
    ]);
  }
  const app = await createApp(config);
  // SIGTERM closes the app and then exits explicitly, also as PID 1 (see exitOnShutdownSignals).
  exitOnShutdownSignals(app, { graceMs: config.SHUTDOWN_GRACE_MS });
  // Under saturation new connections are still accepted every turn (see requestTurns).
  if (config.REQUEST_TURN_BUDGET_MS > 0) requestTurns(app.getHttpServer(), config.REQUEST_TURN_BUDGET_MS);
  await app.listen(config.PORT, config.HOST);
  const url = `http://${config.HOST === '0.0.0.0' ? 'localhost' : config.HOST}:${config.PORT}`;
  console.log(`seqcast ${config.ROLE} listening on ${url} (web console at ${url}/ui/, OpenAPI at ${url}/docs)`);
});
