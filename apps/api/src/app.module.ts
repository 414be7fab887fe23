import { DynamicModule, Module } from '@nestjs/common';
import { AppConfig } from '@seqcast/core';
import { PlatformModule } from '@seqcast/platform';
import { LoggerModule } from 'nestjs-pino';
import { DatasetsController } from './datasets/datasets.controller';
import { EvaluationsController } from './evaluations/evaluations.controller';
import { EventModelsController } from './event-models/event-models.controller';
import { CalibratorsController } from './models/calibrators.controller';
import { HealthController } from './health/health.controller';
import { JobsController } from './jobs/jobs.controller';
import { ModelsController } from './models/models.controller';
import { SchedulesController } from './schedules/schedules.controller';

/** The HTTP edge: the platform plus its controllers. */
@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        LoggerModule.forRoot({
          pinoHttp: {
            level: config.LOG_LEVEL,
            autoLogging: { ignore: (req) => req.url === '/health' },
            redact: ['req.headers.authorization'],
          },
        }),
        PlatformModule.forRoot(config),
      ],
      controllers: [
        HealthController,
        JobsController,
        SchedulesController,
        DatasetsController,
        CalibratorsController,
        ModelsController,
        EvaluationsController,
        EventModelsController,
      ],
    };
  }
}
