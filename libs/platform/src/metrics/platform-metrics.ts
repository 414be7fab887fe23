import { Injectable, OnModuleDestroy, OnModuleInit, Optional } from '@nestjs/common';
import { JobEntity } from '@seqcast/db';
import { JobEvents, JobStore } from '@seqcast/jobs';
import { monitorEventLoopDelay, IntervalHistogram } from 'perf_hooks';
import { DataSource, Repository } from 'typeorm';
import { Counter, Gauge, Histogram } from './exposition';

/** Seconds; from a diagnostic sleep to a long training run. */
const JOB_BUCKETS = [0.1, 0.5, 1, 5, 15, 60, 300, 900, 3600, 14400];
/** Running jobs listed by the progress gauge; more would be a label explosion, not a dashboard. */
const MAX_PROGRESS_SERIES = 200;

/**
 * The metrics every seqcast process has, api or worker: job runs and durations in this
 * process (fed by JobEvents), queue depth and the progress of every running job (read from
 * the database at scrape, so every process's jobs), process memory and event-loop lag.
 * The api adds its HTTP and cache metrics; a worker serves these alone (WORKER_METRICS_PORT).
 */
@Injectable()
export class PlatformMetrics implements OnModuleInit, OnModuleDestroy {
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
  private readonly queueDepth = new Gauge('seqcast_jobs', 'Jobs in the queue by status (all processes).', [
    'status',
  ]);
  private readonly progress = new Gauge(
    'seqcast_job_progress_ratio',
    'Progress (0 to 1) of each running job, as its handler reports it (training: epochs done), all processes.',
    ['type', 'job'],
  );
  private readonly memory = new Gauge(
    'seqcast_process_memory_bytes',
    'Process memory by kind (rss, heap_used, heap_total, external).',
    ['kind'],
  );
  private readonly loopLag = new Gauge(
    'seqcast_event_loop_lag_seconds',
    'Event-loop delay since the previous scrape (mean, p99, max).',
    ['stat'],
  );
  private readonly loopDelay: IntervalHistogram = monitorEventLoopDelay({ resolution: 10 });
  private readonly jobs: Repository<JobEntity>;
  private unsubscribe?: () => void;

  constructor(
    private readonly jobStore: JobStore,
    ds: DataSource,
    @Optional() private readonly jobEvents?: JobEvents,
  ) {
    this.jobs = ds.getRepository(JobEntity);
  }

  onModuleInit(): void {
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

  /** Reads what is read at scrape and returns the metrics to render, in order. */
  async collect(): Promise<Array<{ render(): string }>> {
    const depth = await this.jobStore.countByStatus(['queued', 'running']);
    for (const [status, n] of Object.entries(depth)) this.queueDepth.set({ status }, n);
    const running = await this.jobs.find({
      select: { id: true, type: true, progress: true },
      where: { status: 'running' },
      order: { startedAt: 'ASC' },
      take: MAX_PROGRESS_SERIES,
    });
    this.progress.clear();
    for (const j of running) this.progress.set({ type: j.type, job: j.id }, j.progress ?? 0);
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
    return [this.jobRuns, this.jobDuration, this.queueDepth, this.progress, this.memory, this.loopLag];
  }
}
