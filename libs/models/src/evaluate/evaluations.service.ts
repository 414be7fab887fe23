import { Inject, Injectable } from '@nestjs/common';
import { AppConfig, dataPaths, NotFound, ValidationFailed } from '@seqcast/core';
import { DatasetsService } from '@seqcast/data';
import { calibratorRegistry } from '@seqcast/conformal';
import { forecasterRegistry } from '@seqcast/forecast';
import { JOB_QUEUE, JobQueue, JobStore } from '@seqcast/jobs';
import { promises as fsp } from 'fs';
import * as path from 'path';
import { forecasterConfig } from '../model-config';
import { checkSeriesTarget } from '../series-data';
import { EVALUATION_TPP } from './tpp-eval.handler';
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
}

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

  async get(id: string) {
    const job = await this.jobs.get(id);
    if (job.type !== EVALUATION_BACKTEST && job.type !== EVALUATION_TPP)
      throw new NotFound(`evaluation ${id} not found`, [{ field: 'id', reason: 'not an evaluation' }]);
    return job;
  }

  /** A file of a finished evaluation's report directory. */
  async file(id: string, name: 'report.md' | 'forecasts.svg' | 'intervals.svg'): Promise<Buffer> {
    const job = await this.get(id);
    if (job.type === EVALUATION_TPP && name === 'report.md' && job.status === 'succeeded') {
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
