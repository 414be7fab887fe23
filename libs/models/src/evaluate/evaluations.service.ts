import { Inject, Injectable } from '@nestjs/common';
import { AppConfig, dataPaths, NotFound, ValidationFailed } from '@seqcast/core';
import { DatasetsService } from '@seqcast/data';
import { adapterRegistry } from '@seqcast/adapt';
import { calibratorRegistry } from '@seqcast/conformal';
import { forecasterRegistry } from '@seqcast/forecast';
import type { JobStatus } from '@seqcast/db';
import { JOB_QUEUE, JobQueue, JobStore } from '@seqcast/jobs';
import { promises as fsp } from 'fs';
import * as path from 'path';
import { forecasterConfig } from '../model-config';
import { checkSeriesTarget } from '../series-data';
import { EVALUATION_TPP } from './tpp-eval.handler';
import { EVALUATION_SEQUENCES } from './sequences-eval.handler';
import { EVALUATION_GENERATION } from './generation-eval.handler';
import { BacktestJobResult, BacktestPayload, EVALUATION_BACKTEST } from './backtest.handler';

export interface NewEvaluation {
  datasetId: string;
  target: string;
  lookback: number;
  horizon: number;
  folds?: number;
  step?: number;
  refit?: 'once' | 'every-fold';
  seasonality?: number;
  series?: string[];
  models: { kind: string; config?: Record<string, unknown>; name?: string }[];
  /** Also score conformal intervals of this method and level. */
  intervals?: {
    method: string;
    alpha?: number;
    options?: Record<string, unknown>;
    calibrationWindows?: number;
  };
  /**
   * Also run the online protocol of test-time adaptation: each series split in time order
   * (train / validation / test fractions), every model fitted on train and frozen, the test
   * part fed step by step to each adapter; scored on what was predicted before each truth.
   */
  adaptation?: {
    adapters: { method: string; options?: Record<string, unknown>; name?: string }[];
    train?: number;
    valid?: number;
  };
}

/** The evaluations whose report is the Markdown table in their result (the backtest's is a file). */
const TABLE_REPORTS = new Set([EVALUATION_TPP, EVALUATION_SEQUENCES, EVALUATION_GENERATION]);

/** The job types that are evaluations, as GET /evaluations lists them. */
export const EVALUATION_TYPES = [EVALUATION_BACKTEST, ...TABLE_REPORTS];

/** Backtests are jobs; an evaluation's id is its job's id. */
@Injectable()
export class EvaluationsService {
  constructor(
    private readonly config: AppConfig,
    private readonly datasets: DatasetsService,
    private readonly jobs: JobStore,
    @Inject(JOB_QUEUE) private readonly queue: JobQueue,
  ) {}

  async create(input: NewEvaluation) {
    if (!input.models?.length)
      throw new ValidationFailed('name at least one model', [{ field: 'models', reason: 'empty' }]);
    const models = input.models.map((m, i) => {
      if (!forecasterRegistry.has(m.kind)) {
        throw new ValidationFailed(`unknown model kind '${m.kind}'`, [
          { field: `models.${i}.kind`, reason: `must be one of: ${forecasterRegistry.kinds().join(', ')}` },
        ]);
      }
      return {
        name: m.name ?? m.kind,
        kind: m.kind,
        config: forecasterConfig(m.kind, m.config ?? {}, input.lookback, input.horizon),
      };
    });
    checkSeriesTarget(await this.datasets.version(input.datasetId), input.target);
    let intervals: BacktestPayload['intervals'];
    if (input.intervals) {
      const alpha = input.intervals.alpha ?? 0.1;
      const probe = calibratorRegistry.create(input.intervals.method, [alpha], input.intervals.options ?? {});
      intervals = {
        method: input.intervals.method,
        alpha,
        options: { ...probe.options },
        calibrationWindows: input.intervals.calibrationWindows ?? 200,
      };
    }
    let adaptation: BacktestPayload['adaptation'];
    if (input.adaptation) {
      const a = input.adaptation;
      if (!a.adapters?.length)
        throw new ValidationFailed('name at least one adapter', [
          { field: 'adaptation.adapters', reason: 'empty' },
        ]);
      const adapters = a.adapters.map((ad, i) => {
        try {
          return {
            name: ad.name ?? ad.method,
            method: ad.method,
            options: adapterRegistry.options(ad.method, ad.options ?? {}),
          };
        } catch (e) {
          if (!(e instanceof ValidationFailed)) throw e;
          throw new ValidationFailed(
            e.message,
            e.details.map((d) => ({ ...d, field: `adaptation.adapters.${i}.${d.field}` })),
          );
        }
      });
      const train = a.train ?? 0.7;
      const valid = a.valid ?? 0.1;
      if (!(train > 0 && valid > 0 && train + valid < 1))
        throw new ValidationFailed('train and valid fractions must be > 0 and leave a test part', [
          { field: 'adaptation.train', reason: `train ${train} + valid ${valid} must be < 1, both > 0` },
        ]);
      adaptation = { adapters, train, valid };
    }
    const payload: BacktestPayload = {
      datasetId: input.datasetId,
      target: input.target,
      lookback: input.lookback,
      horizon: input.horizon,
      folds: input.folds ?? 5,
      ...(input.step ? { step: input.step } : {}),
      refit: input.refit ?? 'once',
      ...(input.seasonality ? { seasonality: input.seasonality } : {}),
      ...(input.series ? { series: input.series } : {}),
      models,
      ...(intervals ? { intervals } : {}),
      ...(adaptation ? { adaptation } : {}),
    };
    return this.queue.enqueue(EVALUATION_BACKTEST, payload as unknown as Record<string, unknown>, {
      maxAttempts: 1,
    });
  }

  /**
   * An EasyTPP-style evaluation of event models from a config object. The queue runs the
   * handler's validation (form, shared-folder files, pinned datasets) before it stores the
   * job, the same check POST /jobs gets.
   */
  async createTpp(config: Record<string, unknown>) {
    return this.queue.enqueue(EVALUATION_TPP, config, { maxAttempts: 1 });
  }

  /**
   * An EBES-style evaluation of sequence-level models (POST /evaluations with kind
   * 'sequences'); the queue runs the handler's checks (form, files, targets) before storing it.
   */
  async createSequences(config: Record<string, unknown>) {
    return this.queue.enqueue(EVALUATION_SEQUENCES, config, { maxAttempts: 1 });
  }

  /**
   * LS4's generation protocol on a stored dataset column (POST /evaluations with kind
   * 'generation'); the queue runs the handler's checks (form, dataset, column) first.
   */
  async createGeneration(config: Record<string, unknown>) {
    return this.queue.enqueue(EVALUATION_GENERATION, config, { maxAttempts: 1 });
  }

  /** Every kind of evaluation, newest first; `kind` is the type after `evaluation.` (backtest, tpp, ...). */
  list(q: { kind?: string; status?: JobStatus; limit: number; offset: number }) {
    return this.jobs.list({
      types: EVALUATION_TYPES,
      ...(q.kind ? { type: `evaluation.${q.kind}` } : {}),
      ...(q.status ? { status: q.status } : {}),
      limit: q.limit,
      offset: q.offset,
    });
  }

  /**
   * Every figure of a finished evaluation as JSON: a backtest's result.json (metrics, the
   * forecasts chart's data, the intervals point by point), or a table evaluation's job result.
   */
  async result(id: string): Promise<unknown> {
    const job = await this.get(id);
    if (TABLE_REPORTS.has(job.type) && job.status === 'succeeded') return job.result;
    return JSON.parse((await this.file(id, 'result.json')).toString('utf8'));
  }

  async get(id: string) {
    const job = await this.jobs.get(id);
    if (!EVALUATION_TYPES.includes(job.type))
      throw new NotFound(`evaluation ${id} not found`, [{ field: 'id', reason: 'not an evaluation' }]);
    return job;
  }

  /** A file of a finished evaluation's report directory. */
  async file(
    id: string,
    name: 'report.md' | 'forecasts.svg' | 'intervals.svg' | 'result.json',
  ): Promise<Buffer> {
    const job = await this.get(id);
    if (TABLE_REPORTS.has(job.type) && name === 'report.md' && job.status === 'succeeded') {
      return Buffer.from(String((job.result as { table?: string }).table ?? ''));
    }
    const result = job.result as BacktestJobResult | null;
    if (job.status !== 'succeeded' || !result) {
      throw new NotFound(`evaluation ${id} has no report (it is ${job.status})`, [
        { field: 'id', reason: `job ${job.status}` },
      ]);
    }
    return fsp.readFile(path.join(dataPaths(this.config).root, result.reportDir, name)).catch(() => {
      throw new NotFound(`evaluation ${id} has no ${name}`, [
        { field: 'file', reason: 'not produced by this evaluation' },
      ]);
    });
  }
}
