import { Injectable, OnModuleInit } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { ModelCache } from '@seqcast/models';
import { Counter, Histogram, PlatformMetrics, renderAll } from '@seqcast/platform';
import type { Request, Response } from 'express';

/** Seconds; from a cached forecast (~ms) to a slow upload. */
const HTTP_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/** The label of a request no route matched: its raw path would let any caller add series. */
export const UNMATCHED_ROUTE = '(unmatched)';

/**
 * The api's Prometheus metrics: its HTTP latencies (kept as requests are answered) and
 * forecast-cache counters, then the metrics every process has (PlatformMetrics: job runs,
 * queue depth, job progress, memory, event-loop lag).
 */
@Injectable()
export class MetricsService implements OnModuleInit {
  private readonly httpDuration = new Histogram(
    'seqcast_http_request_duration_seconds',
    'HTTP request latency by method, route template and status class.',
    ['method', 'route', 'status'],
    HTTP_BUCKETS,
  );
  private readonly cacheLookups = new Counter(
    'seqcast_model_cache_lookups_total',
    'Forecast model-cache lookups by result (hit, miss).',
    ['result'],
  );
  private modelCache?: ModelCache;

  constructor(
    private readonly platform: PlatformMetrics,
    private readonly moduleRef: ModuleRef,
  ) {}

  onModuleInit(): void {
    // The cache lives deep in the models feature and is not exported up to the app module.
    this.modelCache = this.moduleRef.get(ModelCache, { strict: false });
  }

  /** Express middleware timing every request under its route template once it is answered. */
  readonly httpMiddleware = (req: Request, res: Response, next: () => void): void => {
    const started = process.hrtime.bigint();
    res.once('finish', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      // req.route is the matched route's template ('/models/:id/forecast'), never the raw URL.
      // Nest answers unknown paths from a catch-all route ('/{*path}'); no seqcast route has a
      // wildcard, so one counts as unmatched, as does a request no route saw (static docs, refusals).
      const template = (req.route as { path?: unknown } | undefined)?.path;
      const route =
        typeof template === 'string' && !template.includes('*')
          ? `${req.baseUrl ?? ''}${template}`
          : UNMATCHED_ROUTE;
      this.httpDuration.observe(
        { method: req.method, route, status: `${Math.floor(res.statusCode / 100)}xx` },
        seconds,
      );
    });
    next();
  };

  async render(): Promise<string> {
    if (this.modelCache) {
      this.cacheLookups.setTotal({ result: 'hit' }, this.modelCache.stats.hits);
      this.cacheLookups.setTotal({ result: 'miss' }, this.modelCache.stats.misses);
    }
    return renderAll([this.httpDuration, this.cacheLookups, ...(await this.platform.collect())]);
  }
}
