import { DynamicModule, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AppConfig } from '@seqcast/core';
import { PlatformModule } from '@seqcast/platform';
import { LoggerModule } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import { ApiKeyGuard } from './auth/api-key.guard';
import { KeysController } from './auth/keys.controller';
import { RateLimitGuard } from './auth/rate-limit';
import { VerifiedKeys } from './auth/verified-keys';
import { DatasetsController } from './datasets/datasets.controller';
import { EvaluationsController } from './evaluations/evaluations.controller';
import { EventModelsController } from './event-models/event-models.controller';
import { ForecastsController } from './forecasts/forecasts.controller';
import { AdaptersController } from './models/adapters.controller';
import { CalibratorsController } from './models/calibrators.controller';
import { HealthController } from './health/health.controller';
import { requestLogOptions } from './http/request-log';
import { JobsController } from './jobs/jobs.controller';
import { MetricsController } from './metrics/metrics.controller';
import { MetricsService } from './metrics/metrics.service';
import { ModelsController } from './models/models.controller';
import { RetentionService } from './retention/retention.service';
import { SchedulesController } from './schedules/schedules.controller';
import { Seq2SeqModelsController } from './seq2seq-models/seq2seq-models.controller';

/** The HTTP edge: the platform plus its controllers. */
@Module({})
export class AppModule {
  /** `logDestination`: where log lines go instead of stdout (specs read the request log). */
  static forRoot(config: AppConfig, logDestination?: DestinationStream): DynamicModule {
    return {
      module: AppModule,
      imports: [
        LoggerModule.forRoot({
          pinoHttp: logDestination ? [requestLogOptions(config), logDestination] : requestLogOptions(config),
        }),
        PlatformModule.forRoot(config),
      ],
      controllers: [
        HealthController,
        JobsController,
        SchedulesController,
        DatasetsController,
        CalibratorsController,
        AdaptersController,
        ModelsController,
        EvaluationsController,
        EventModelsController,
        Seq2SeqModelsController,
        MetricsController,
        ForecastsController,
        KeysController,
      ],
      // The key check runs before every controller route (AUTH decides whether it asks for one),
      // then the rate limit, which counts against the key the check found (in this order).
      providers: [
        MetricsService,
        RetentionService,
        VerifiedKeys,
        { provide: APP_GUARD, useClass: ApiKeyGuard },
        { provide: APP_GUARD, useClass: RateLimitGuard },
      ],
    };
  }
}
