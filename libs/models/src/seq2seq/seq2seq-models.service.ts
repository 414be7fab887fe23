import { Inject, Injectable } from '@nestjs/common';
import { AppConfig, ErrorDetail, Unprocessable, ValidationFailed } from '@seqcast/core';
import {
  DATASET_STORE,
  DatasetsService,
  DatasetStore,
  loadSeq2SeqSequences,
  Seq2SeqSchema,
} from '@seqcast/data';
import type { ModelEntity } from '@seqcast/db';
import { NeuralSeq2SeqModel, seq2seqRegistry } from '@seqcast/forecast';
import { JOB_QUEUE, JobQueue } from '@seqcast/jobs';
import { ArtifactStore } from '@seqcast/tensor';
import { DataSource } from 'typeorm';
import { ARTIFACT_STORE } from '../artifact-store.provider';
import { FamilyModels } from '../family-models';
import { TrainCheckpoints, TrainCheckpointView } from '../series/train/train-checkpoints';
import { loadSeq2SeqArtifact, Seq2SeqColumns } from './seq2seq-artifacts';
import { SEQ2SEQ_MODEL_TRAIN, seq2seqTrainKey, TrainSeq2SeqPayload } from './seq2seq-job-types';

/** Sequences one predict request may carry (the JSON body limit bounds their length). */
export const MAX_PREDICT_SEQUENCES = 1000;

interface LoadedSeq2SeqModel {
  versionId: string;
  model: NeuralSeq2SeqModel;
  columns: Seq2SeqColumns;
}

/**
 * Sequence-to-sequence models (HiSS and its flat baselines) on seq2seq datasets: create,
 * train (jobs), predict. The model's `ratio` is its dataset's: a config that names another
 * one is refused, one that names none takes the dataset's.
 */
@Injectable()
export class Seq2SeqModelsService {
  private readonly rows: FamilyModels<LoadedSeq2SeqModel>;

  constructor(
    ds: DataSource,
    config: AppConfig,
    private readonly datasets: DatasetsService,
    @Inject(DATASET_STORE) private readonly store: DatasetStore,
    @Inject(ARTIFACT_STORE) private readonly artifacts: ArtifactStore,
    @Inject(JOB_QUEUE) private readonly queue: JobQueue,
    private readonly checkpoints: TrainCheckpoints,
  ) {
    this.rows = new FamilyModels(ds, config.MODEL_CACHE_SIZE, 'seq2seq', 'seq2seq model', 'seq2seq-models');
  }

  async create(input: {
    kind: string;
    config?: Record<string, unknown>;
    datasetId: string;
    name?: string;
  }): Promise<ModelEntity> {
    // the kind and the config's own fields first, so a bad request is named before the dataset is read
    seq2seqRegistry.resolveConfig(input.kind, input.config ?? {});
    const version = await this.datasets.version(input.datasetId);
    if (version.schema.kind !== 'seq2seq')
      throw new Unprocessable(
        `dataset ${input.datasetId} is a ${version.schema.kind} dataset; seq2seq models need a seq2seq dataset`,
        [{ field: 'datasetId', reason: 'not a seq2seq dataset' }],
      );
    const ratio = (version.schema as Seq2SeqSchema).ratio;
    const asked = input.config?.ratio;
    if (asked !== undefined && asked !== ratio)
      throw new Unprocessable(`config.ratio ${String(asked)} differs from the dataset's ratio ${ratio}`, [
        { field: 'config.ratio', reason: `must be the dataset's ratio ${ratio}, or left out` },
      ]);
    return this.rows.save({
      kind: input.kind,
      name: input.name ?? `${input.kind} on ${version.datasetId}`,
      config: seq2seqRegistry.resolveConfig(input.kind, { ...(input.config ?? {}), ratio }),
      datasetId: input.datasetId,
    });
  }

  list(page: { limit: number; offset: number }) {
    return this.rows.list(page);
  }

  get(id: string): Promise<ModelEntity> {
    return this.rows.get(id);
  }

  /**
   * Queues a seq2seq-model.train job. `resume` takes up the model's checkpoint, which must
   * belong to this request (same config, dataset version and split seed; 409 naming resume
   * before anything is queued); `checkpointSteps` overrides TRAIN_CHECKPOINT_STEPS for this run.
   */
  async train(id: string, options: Omit<TrainSeq2SeqPayload, 'modelId'> = {}) {
    const model = await this.get(id);
    const seed = options.seed ?? 0;
    if (options.resume) {
      const version = await this.datasets.version(model.datasetId!);
      await this.checkpoints.requireMatching(id, seq2seqTrainKey(model, version.id, seed));
    }
    this.rows.clear();
    return this.queue.enqueue(SEQ2SEQ_MODEL_TRAIN, {
      modelId: id,
      seed,
      ...(options.resume ? { resume: true } : {}),
      ...(options.checkpointSteps !== undefined ? { checkpointSteps: options.checkpointSteps } : {}),
    });
  }

  /** Where the model's interrupted training stopped (null when none is left). */
  checkpoint(id: string): Promise<TrainCheckpointView | null> {
    return this.checkpoints.describe(id);
  }

  /** Frees a deleted model's loaded version. */
  forget(versionId: string): void {
    this.rows.forget(versionId);
  }

  /** A seq2seq dataset's sequences (the newest version unless one is named). */
  async sequences(datasetId: string, version?: number) {
    const v = await this.datasets.version(datasetId, version);
    return { version: v, ...(await loadSeq2SeqSequences(this.store.readBatches(v.files), v.schema)) };
  }

  private model(id: string): Promise<LoadedSeq2SeqModel> {
    return this.rows.current(id, async (ref, versionId) => {
      const { artifact, columns } = await loadSeq2SeqArtifact(this.artifacts, ref);
      return { versionId, model: seq2seqRegistry.fromArtifact(artifact), columns };
    });
  }

  /**
   * Outputs at the target rate for input sequences given as JSON, [sequence][input
   * column][step] in the model's input column order; each length a multiple of the ratio.
   */
  async predict(id: string, body: { inputs: unknown }) {
    const { model, columns, versionId } = await this.model(id);
    const inputs = parseInputs(body?.inputs, columns);
    const predictions = model.predict(inputs);
    return {
      modelId: id,
      modelVersionId: versionId,
      kind: model.kind,
      ratio: model.ratio,
      inputColumns: columns.inputColumns,
      targetColumns: columns.targetColumns,
      predictions: predictions.map((seq) => seq.map((c) => Array.from(c))),
    };
  }
}

/**
 * JSON input sequences to Float32Arrays, every problem named (`inputs[1][2][40]`): an array
 * of 1 to MAX_PREDICT_SEQUENCES sequences, each with one array per input column of finite
 * numbers. Lengths against the ratio are the model's own check (checkSeq2SeqInputs).
 */
function parseInputs(raw: unknown, columns: Seq2SeqColumns): Float32Array[][] {
  const fail = (details: ErrorDetail[]): never => {
    throw new ValidationFailed(
      `Invalid inputs: ${details[0].field}: ${details[0].reason}`,
      details.slice(0, 20),
    );
  };
  if (!Array.isArray(raw) || raw.length === 0 || raw.length > MAX_PREDICT_SEQUENCES)
    fail([
      {
        field: 'inputs',
        reason: `must be an array of 1 to ${MAX_PREDICT_SEQUENCES} sequences, each [input column][step]`,
      },
    ]);
  const want = columns.inputColumns.length;
  const bad: ErrorDetail[] = [];
  const out = (raw as unknown[]).map((seq, s) => {
    if (!Array.isArray(seq) || seq.length !== want) {
      bad.push({
        field: `inputs[${s}]`,
        reason: `must hold ${want} channels (${columns.inputColumns.join(', ')}), got ${Array.isArray(seq) ? seq.length : typeof seq}`,
      });
      return [];
    }
    return seq.map((ch: unknown, c) => {
      if (!Array.isArray(ch)) {
        bad.push({
          field: `inputs[${s}][${c}]`,
          reason: `must be an array of numbers (${columns.inputColumns[c]})`,
        });
        return new Float32Array(0);
      }
      const i = ch.findIndex((v) => typeof v !== 'number' || !Number.isFinite(v));
      if (i >= 0) bad.push({ field: `inputs[${s}][${c}][${i}]`, reason: 'must be a finite number' });
      return Float32Array.from(ch as number[]);
    });
  });
  if (bad.length) fail(bad);
  return out;
}
