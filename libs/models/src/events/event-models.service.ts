import { Inject, Injectable } from '@nestjs/common';
import { AppConfig, Unprocessable, ValidationFailed } from '@seqcast/core';
import { DATASET_STORE, DatasetsService, DatasetStore, loadEventSequences } from '@seqcast/data';
import type { ModelEntity } from '@seqcast/db';
import { canRerank, eventModelRegistry, RegisteredEventModel } from '@seqcast/events';
import { JOB_QUEUE, JobQueue } from '@seqcast/jobs';
import { ArtifactStore } from '@seqcast/tensor';
import { DataSource } from 'typeorm';
import { ARTIFACT_STORE } from '../artifact-store.provider';
import { FamilyModels } from '../family-models';
import { datasetTimeUnit } from './event-time-unit';
import { EventTimeScale, loadEventArtifact } from './event-artifacts';
import { EVENT_MODEL_TRAIN } from './event-job-types';
import { intensityInDatasetUnit } from './event-intensity';

export interface EventHistoryInput {
  /** Event times: numbers in the dataset's unit, or ISO timestamps for timestamped datasets. */
  times: (number | string)[];
  /** Type names as in the dataset (or their 0-based ids). */
  types: (number | string)[];
}

interface LoadedEventModel {
  versionId: string;
  model: RegisteredEventModel;
  timeScale: EventTimeScale;
}

/** Temporal point process models on event datasets: create, train (jobs), predict, generate. */
@Injectable()
export class EventModelsService {
  private readonly rows: FamilyModels<LoadedEventModel>;

  constructor(
    ds: DataSource,
    config: AppConfig,
    private readonly datasets: DatasetsService,
    @Inject(DATASET_STORE) private readonly store: DatasetStore,
    @Inject(ARTIFACT_STORE) private readonly artifacts: ArtifactStore,
    @Inject(JOB_QUEUE) private readonly queue: JobQueue,
  ) {
    this.rows = new FamilyModels(ds, config.MODEL_CACHE_SIZE, 'events', 'event model', 'event-models');
  }

  async create(input: {
    kind: string;
    config?: Record<string, unknown>;
    datasetId: string;
    name?: string;
  }): Promise<ModelEntity> {
    const config = eventModelRegistry.resolveConfig(input.kind, input.config ?? {});
    const version = await this.datasets.version(input.datasetId);
    if (version.schema.kind !== 'events') {
      throw new Unprocessable(
        `dataset ${input.datasetId} is a ${version.schema.kind} dataset; event models need an event dataset`,
        [{ field: 'datasetId', reason: 'not an event dataset' }],
      );
    }
    return this.rows.save({
      kind: input.kind,
      name: input.name ?? `${input.kind} on ${version.datasetId}`,
      config,
      datasetId: input.datasetId,
    });
  }

  list(page: { limit: number; offset: number }) {
    return this.rows.list(page);
  }

  get(id: string): Promise<ModelEntity> {
    return this.rows.get(id);
  }

  async train(id: string, options: { seed?: number } = {}) {
    await this.get(id);
    this.rows.clear();
    return this.queue.enqueue(EVENT_MODEL_TRAIN, { modelId: id, seed: options.seed ?? 0 });
  }

  /** Frees a deleted model's loaded version (the next request reads the row and finds it gone). */
  forget(versionId: string): void {
    this.rows.forget(versionId);
  }

  /** Sequences of an event dataset (the newest version unless one is named) with type names. */
  async sequences(datasetId: string, version?: number) {
    const v = await this.datasets.version(datasetId, version);
    const loaded = await loadEventSequences(this.store.readBatches(v.files), v.schema);
    const timestamps = /^(Timestamp|Date)/.test(
      v.schema.fields.find((f) => f.name === v.schema.timeColumn)?.type ?? '',
    );
    return { version: v, ...loaded, timestamps };
  }

  private model(id: string): Promise<LoadedEventModel> {
    return this.rows.current(id, async (ref, versionId) => {
      const { artifact, timeScale } = await loadEventArtifact(this.artifacts, ref);
      return { versionId, model: eventModelRegistry.fromArtifact(artifact), timeScale };
    });
  }

  /** A user's history in model time, with its origin (the first event) to map results back. */
  private toModelHistory(h: EventHistoryInput, ts: EventTimeScale) {
    if (
      !Array.isArray(h?.times) ||
      !Array.isArray(h?.types) ||
      h.times.length !== h.types.length ||
      h.times.length === 0
    ) {
      throw new ValidationFailed('history needs times and types of the same, non-zero length', [
        { field: 'history', reason: 'times and types must be arrays of equal length >= 1' },
      ]);
    }
    const raw = h.times.map((t, i) => {
      const v = typeof t === 'string' ? (ts.timestamps ? Date.parse(t) : Number(t)) : t;
      if (!Number.isFinite(v))
        throw new ValidationFailed(`history.times[${i}] is not a time`, [
          { field: `history.times.${i}`, reason: 'not a number or timestamp' },
        ]);
      if (
        i > 0 &&
        v <
          (typeof h.times[i - 1] === 'string'
            ? Date.parse(h.times[i - 1] as string)
            : (h.times[i - 1] as number))
      ) {
        throw new ValidationFailed('history times must not decrease', [
          { field: `history.times.${i}`, reason: 'earlier than the event before it' },
        ]);
      }
      return v;
    });
    const types = h.types.map((k, i) => {
      const id = typeof k === 'number' ? k : ts.typeNames.indexOf(String(k));
      if (!Number.isInteger(id) || id < 0 || id >= ts.typeNames.length) {
        throw new ValidationFailed(`history.types[${i}] is not a type of this model`, [
          { field: `history.types.${i}`, reason: `must be one of: ${ts.typeNames.join(', ')}` },
        ]);
      }
      return id;
    });
    const origin = raw[0];
    return { origin, history: { times: raw.map((t) => (t - origin) / ts.scale), types } };
  }

  private toDataTime(t: number, origin: number, ts: EventTimeScale): number | string {
    const v = origin + t * ts.scale;
    return ts.timestamps ? new Date(v).toISOString() : v;
  }

  async predict(
    id: string,
    body: { history: EventHistoryInput; quantiles?: number[]; samples?: number; seed?: number },
  ) {
    const { model, timeScale: ts, versionId } = await this.model(id);
    const { origin, history } = this.toModelHistory(body.history, ts);
    const p = model.predictNext(history, {
      quantiles: body.quantiles ?? [0.1, 0.5, 0.9],
      samples: body.samples ?? 200,
      seed: body.seed ?? 0,
    });
    const last = history.times[history.times.length - 1];
    // gaps in the dataset's unit (seconds for timestamped data), as generate's horizon, the
    // intensity route and the likelihoods are; times as the dataset gives them
    const { unit, perUnit } = datasetTimeUnit(ts.timestamps);
    const inUnit = (g: number) => (g * ts.scale) / perUnit;
    return {
      modelId: id,
      modelVersionId: versionId,
      // types are the 0-based integer ids histories take; their dataset names beside them
      typeNames: ts.typeNames,
      unit,
      next: {
        gapMean: inUnit(p.gapMean),
        timeMean: this.toDataTime(last + p.gapMean, origin, ts),
        gapQuantiles: Object.fromEntries(Object.entries(p.gapQuantiles).map(([q, g]) => [q, inUnit(g)])),
        timeQuantiles: Object.fromEntries(
          Object.entries(p.gapQuantiles).map(([q, g]) => [q, this.toDataTime(last + g, origin, ts)]),
        ),
        type: p.type,
        typeName: ts.typeNames[p.type],
        typeProbabilities: p.typeProbs.slice(),
      },
    };
  }

  /**
   * lambda_k(t) on a grid after the history's last event (per type and in total), with the
   * compensator, survival and density of the time to the next event; `horizon` in the
   * dataset's unit (default: where all but 1% of the next gap's probability lies); `along`
   * adds the intensity over the history's span, each time given the events up to it.
   */
  async intensity(
    id: string,
    body: { history: EventHistoryInput; points?: number; horizon?: number; along?: boolean },
  ) {
    const { model, timeScale: ts, versionId } = await this.model(id);
    const { origin, history } = this.toModelHistory(body.history, ts);
    const curve = intensityInDatasetUnit(
      model,
      history,
      ts,
      { points: body.points ?? 200, horizon: body.horizon, along: body.along },
      (t) => this.toDataTime(t, origin, ts),
    );
    return { modelId: id, modelVersionId: versionId, typeNames: ts.typeNames, ...curve };
  }

  async generate(
    id: string,
    body: {
      history: EventHistoryInput;
      horizon?: number;
      until?: number | string;
      count?: number;
      samples?: number;
      seed?: number;
      rerank?: { proposals: number };
    },
  ) {
    const { model, timeScale: ts, versionId } = await this.model(id);
    if (body.rerank !== undefined && !canRerank(model)) {
      throw new Unprocessable(`rerank needs a reranking model (hypro); this model is ${model.kind}`, [
        { field: 'rerank', reason: `kind ${model.kind} samples its continuations directly` },
      ]);
    }
    const given = (['horizon', 'until', 'count'] as const).filter((k) => body[k] !== undefined);
    if (given.length !== 1) {
      throw new ValidationFailed(
        'give one of horizon (a span after the last event), until (an absolute time) or count (events per continuation)',
        [{ field: given[1] ?? 'horizon', reason: 'exactly one of horizon, until and count' }],
      );
    }
    const { origin, history } = this.toModelHistory(body.history, ts);
    const last = history.times[history.times.length - 1];
    let horizon: number | undefined;
    if (body.horizon !== undefined) {
      // a span in the dataset's unit (seconds for timestamped data), from the last event
      if (!(typeof body.horizon === 'number' && Number.isFinite(body.horizon) && body.horizon > 0))
        throw new ValidationFailed('horizon is a positive span after the last event', [
          {
            field: 'horizon',
            reason: `a positive number (in ${ts.timestamps ? 'seconds' : "the dataset's unit"})`,
          },
        ]);
      horizon = last + (body.horizon * (ts.timestamps ? 1000 : 1)) / ts.scale;
    }
    if (body.until !== undefined) {
      const h = typeof body.until === 'string' ? Date.parse(body.until) : body.until;
      if (!Number.isFinite(h))
        throw new ValidationFailed('until is not a time', [
          { field: 'until', reason: 'not a number or timestamp' },
        ]);
      horizon = (h - origin) / ts.scale;
      if (horizon <= last) {
        throw new Unprocessable('until must be after the last event of the history', [
          { field: 'until', reason: 'not after the history' },
        ]);
      }
    }
    const out = model.generate(history, {
      horizon,
      count: body.count,
      samples: body.samples ?? 1,
      seed: body.seed ?? 0,
      maxEvents: 1000,
      rerank: body.rerank,
    });
    return {
      modelId: id,
      modelVersionId: versionId,
      samples: out.samples.map((s) => ({
        times: s.times.map((t) => this.toDataTime(t, origin, ts)),
        types: s.types.slice(),
      })),
      typeNames: ts.typeNames,
    };
  }
}
