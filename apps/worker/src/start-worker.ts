import { NestFactory } from '@nestjs/core';
import { AppConfig, exitOnShutdownSignals } from '@seqcast/core';
import { metricsPort, PlatformMetrics, PlatformModule, serveMetrics } from '@seqcast/platform';
import { Logger, LoggerModule } from 'nestjs-pino';
import { DynamicModule, Module } from '@nestjs/common';

@Module({})
class WorkerModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: WorkerModule,
      imports: [LoggerModule.forRoot({ pinoHttp: { level: config.LOG_LEVEL } }), PlatformModule.forRoot(config)],
    };
  }
}

/** A process that only runs jobs (no HTTP): the platform with ROLE=worker. */
export async function startWorker(config: AppConfig): Promise<void> {
  const ctx = await NestFactory.createApplicationContext(WorkerModule.forRoot({ ...config, ROLE: 'worker' }), {
    bufferLogs: true,
  });
  ctx.useLogger(ctx.get(Logger));
  await ctx.init();
  // Not Nest's shutdown hooks: they re-raise the signal, which PID 1 (a container) ignores.
  exitOnShutdownSignals(ctx, { graceMs: config.SHUTDOWN_GRACE_MS });
  if (config.WORKER_METRICS_PORT > 0) {
    const server = await serveMetrics(ctx.get(PlatformMetrics), config.WORKER_METRICS_PORT, config.HOST);
    console.log(`seqcast worker ${process.pid} metrics on http://${config.HOST}:${metricsPort(server)}/metrics`);
  }
  console.log(`seqcast worker ${process.pid} running jobs (${config.REDIS_URL ? 'bullmq' : 'in-process'} queue)`);
}
