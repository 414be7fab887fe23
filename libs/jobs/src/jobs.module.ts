import { DynamicModule, Global, Inject, Module, OnApplicationBootstrap, BeforeApplicationShutdown } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { AppConfig } from '@seqcast/core';
import { SleepJobHandler } from './diagnostic/sleep.handler';
import { JobEvents } from './job-events';
import { JobHandlerRegistry } from './job-handler-registry';
import { JobRunner } from './job-runner';
import { JobStore } from './job-store';
import { BullMqQueue } from './queue/bullmq.driver';
import { InProcessQueue } from './queue/in-process.driver';
import { JOB_QUEUE, JobQueue } from './queue/job-queue';
import { SchedulerService } from './scheduler/scheduler.service';

/**
 * The job system: REDIS_URL chooses BullMQ, otherwise in-process. Processes whose ROLE
 * runs jobs (worker, all) start consuming once every module is ready; shutdown stops
 * consuming and hands running jobs back.
 */
@Global()
@Module({})
export class JobsModule implements OnApplicationBootstrap, BeforeApplicationShutdown {
  constructor(
    @Inject(JOB_QUEUE) private readonly queue: JobQueue,
    private readonly config: AppConfig,
  ) {}

  static forRoot(): DynamicModule {
    return {
      module: JobsModule,
      imports: [DiscoveryModule],
      providers: [
        JobStore,
        JobHandlerRegistry,
        JobRunner,
        JobEvents,
        SleepJobHandler,
        {
          provide: JOB_QUEUE,
          inject: [AppConfig, JobStore, JobRunner],
          useFactory: (config: AppConfig, store: JobStore, runner: JobRunner) =>
            config.REDIS_URL ? new BullMqQueue(config, store, runner) : new InProcessQueue(config, store, runner),
        },
        SchedulerService,
      ],
      exports: [JOB_QUEUE, JobStore, JobEvents, JobHandlerRegistry, SchedulerService],
    };
  }

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.ROLE !== 'api') await this.queue.startWorker();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.queue.stop();
  }
}
