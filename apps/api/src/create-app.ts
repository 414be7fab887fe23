import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { AppConfig, SEQCAST_VERSION } from '@seqcast/core';
import { Logger } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import { AppModule } from './app.module';
import { unknownBodyEncoding } from './datasets/upload-encoding';
import { isUpload } from './datasets/upload-routes';
import { crossSiteWriteGuard } from './http/cross-site';
import { ErrorFilter } from './http/error.filter';
import { jsonBodyParser, jsonDepthGuard, jsonTooLarge } from './http/json-body';
import { forecastArrayCap } from './models/context-cap';
import { validationPipe } from './http/validation.pipe';
import { serveConsole } from './console/serve-console';
import { requestIdMiddleware } from './http/request-id';
import { MetricsService } from './metrics/metrics.service';

export interface CreateAppOptions {
  /** Where the logs go instead of stdout (specs that read the request log). */
  logDestination?: DestinationStream;
}

/** Builds the HTTP application (used by main.ts and by the tests) without listening. */
export async function createApp(config: AppConfig, options: CreateAppOptions = {}): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config, options.logDestination), {
    bufferLogs: true,
    abortOnError: false,
  });
  app.useLogger(app.get(Logger));
  // First of all: every answer, even a refusal by a later middleware, has an id and is timed.
  app.use(requestIdMiddleware, app.get(MetricsService).httpMiddleware);
  app.useGlobalPipes(validationPipe());
  app.useGlobalFilters(new ErrorFilter());
  app.disable('x-powered-by');
  // Before the body parsers: a refused cross-site write is not read at all.
  app.use(crossSiteWriteGuard(config.CORS_ORIGINS));
  if (config.CORS_ORIGINS.length > 0) app.enableCors({ origin: config.CORS_ORIGINS });
  // Big bodies are parsed in turns, so /health answers meanwhile; uploads stream past it.
  // A forecast context over MAX_CONTEXT_VALUES is refused while it is parsed, never built.
  app.use(jsonBodyParser(config.MAX_JSON_BYTES, isUpload, forecastArrayCap(config.MAX_CONTEXT_VALUES)));
  app.use(jsonTooLarge(config.MAX_JSON_BYTES), jsonDepthGuard(config.MAX_JSON_DEPTH));
  app.use(unknownBodyEncoding());
  serveConsole(app);
  // Signals are main.ts's (exitOnShutdownSignals): closing ends with an explicit exit there.
  const doc = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('seqcast')
      .setDescription(
        'Forecasting platform for time series and event sequences. Every error has the shape { error, message, details[] }.',
      )
      .setVersion(SEQCAST_VERSION)
      // Either header carries an API key (see AUTH); the requirement applies to every operation.
      .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'API key' }, 'bearer')
      .addApiKey({ type: 'apiKey', in: 'header', name: 'X-Api-Key' }, 'apiKey')
      .addSecurityRequirements('bearer')
      .addSecurityRequirements('apiKey')
      .build(),
  );
  SwaggerModule.setup('docs', app, doc, { jsonDocumentUrl: 'docs/json' });
  return app;
}
