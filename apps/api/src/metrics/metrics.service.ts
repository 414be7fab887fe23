import { Injectable, OnModuleDestroy, OnModuleInit, Optional } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { JobEvents, JobStore } from '@seqcast/jobs';
import { ModelCache } from '@seqcast/models';
import type { Request, Response } from 'express';
import { monitorEventLoopDelay, IntervalHistogram } from 'perf_hooks';
import { Counter, Gauge, Histogram, renderAll } from './exposition';

/** Seconds; from a cached forecast (~ms) to a slow upload. */
const HTTP_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
/** Seconds; from a diagnostic sleep to a long training run. */
const JOB_BUCKETS = [0.1, 0.5, 1, 5, 15, 60, 300, 900, 3600, 14400];

/** The label of a request no route matched: its raw path would let any caller add series. */
export const UNMATCHED_ROUTE = '(unmatched)';

/**
 * The api's Prometheus metrics. Counts and histograms are kept as events happen (requests,
 * job runs); queue depth, cache counters, memory and event-loop lag are read at scrape.
 */
@Injectable()
export class MetricsService implements OnModuleInit, OnModuleDestroy {
  private readonly httpDuration = new Histogram(
    'seqcast_http_request_duration_seconds',
    'HTTP request latency by method, route template and status class.',
    ['method', 'route', 'status'],
    HTTP_BUCKETS,
  );
  private readonly jobRuns = new Counter(
    'seqcast_job_runs_total',
    'Job runs in this process by type and outcome (succeeded, failed, retry, cancelled, handed-back).',
    ['type', 'outcome'],
  );
  private readonly jobDuration = new Histogram(
    'seqcast_job_duration_seconds',
    'Duration of job runs in this process by type and outcome.',
    ['type', 'outcome'],
    JOB_BUCKETS,
  );
  private readonly queueDepth = new Gauge('seqcast_jobs', 'Jobs in the queue by status (all processes).', ['status']);
  private readonly cacheLookups = new Counter(
    'seqcast_model_cache_lookups_total',
    'Forecast model-cache lookups by result (hit, miss).',
    ['result'],
  );
  private readonly memory = new Gauge('seqcast_process_memory_bytes', 'Process memory by kind (rss, heap_used, heap_total, external).', ['kind']);
  private readonly loopLag = new Gauge(
    'seqcast_event_loop_lag_seconds',
    'Event-loop delay since the previous scrape (mean, p99, max).',
    ['stat'],
  );
  private readonly loopDelay: IntervalHistogram = monitorEventLoopDelay({ resolution: 10 });
  private unsubscribe?: () => void;
  private modelCache?: ModelCache;

  constructor(
    private readonly jobStore: JobStore,
    private readonly moduleRef: ModuleRef,
    @Optional() private readonly jobEvents?: JobEvents,
  ) {}

  onModuleInit(): void {
    // The cache lives deep in the models feature and is not exported up to the app module.
    this.modelCache = this.moduleRef.get(ModelCache, { strict: false });
    this.loopDelay.enable();
    this.unsubscribe = this.jobEvents?.subscribe(({ type, outcome, seconds }) => {
      this.jobRuns.inc({ type, outcome });
      this.jobDuration.observe({ type, outcome }, seconds);
    });
  }

  onModuleDestroy(): void {
    this.loopDelay.disable();
    this.unsubscribe?.();
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
        typeof template === 'string' && !template.includes('*') ? `${req.baseUrl ?? ''}${template}` : UNMATCHED_ROUTE;
      this.httpDuration.observe({ method: req.method, route, status: `${Math.floor(res.statusCode / 100)}xx` }, seconds);
    });
    next();
  };

  async render(): Promise<string> {
    const depth = await this.jobStore.countByStatus(['queued', 'running']);
    for (const [status, n] of Object.entries(depth)) this.queueDepth.set({ status }, n);
    if (this.modelCache) {
      this.cacheLookups.setTotal({ result: 'hit' }, this.modelCache.stats.hits);
      this.cacheLookups.setTotal({ result: 'miss' }, this.modelCache.stats.misses);
    }
    const mem = process.memoryUsage();
    this.memory.set({ kind: 'rss' }, mem.rss);
    this.memory.set({ kind: 'heap_used' }, mem.heapUsed);
    this.memory.set({ kind: 'heap_total' }, mem.heapTotal);
    this.memory.set({ kind: 'external' }, mem.external);
    const ns = (v: number) => (Number.isFinite(v) ? v / 1e9 : 0);
    this.loopLag.set({ stat: 'mean' }, ns(this.loopDelay.mean));
    this.loopLag.set({ stat: 'p99' }, ns(this.loopDelay.percentile(99)));
    this.loopLag.set({ stat: 'max' }, ns(this.loopDelay.max));
    this.loopDelay.reset();
    return renderAll([
      this.httpDuration,
      this.jobRuns,
      this.jobDuration,
      this.queueDepth,
      this.cacheLookups,
      this.memory,
      this.loopLag,
    ]);
  }
}
