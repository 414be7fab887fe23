import { Controller, Get, Header } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { EXPOSITION_CONTENT_TYPE } from '@seqcast/platform';
import { MetricsService } from './metrics.service';

/** Prometheus scrapes here (text exposition format 0.0.4). */
@ApiExcludeController()
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: MetricsService) {}

  @Get()
  @Header('Content-Type', EXPOSITION_CONTENT_TYPE)
  @Header('Cache-Control', 'no-store')
  scrape(): Promise<string> {
    return this.metrics.render();
  }
}
