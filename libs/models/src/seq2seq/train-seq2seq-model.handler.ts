import { Injectable } from '@nestjs/common';
import { AppConfig, dataPaths, Unprocessable } from '@seqcast/core';
import { checkPayload, HandlesJob, JobHandler, JobRunContext } from '@seqcast/jobs';
import { runInWorkerThread } from '@seqcast/tensor';
import * as path from 'path';
import { DataSource } from 'typeorm';
import { trainVersion } from '../model-versions';
import { trainingThread } from '../series/train/train-checkpoint-port';
import { TrainCheckpoints } from '../series/train/train-checkpoints';
import { SEQ2SEQ_MODEL_TRAIN, seq2seqTrainKey, TrainSeq2SeqPayload as Payload } from './seq2seq-job-types';
import { Seq2SeqModelsService } from './seq2seq-models.service';
import type { TrainSeq2SeqInput, TrainSeq2SeqOutput } from './train-seq2seq-model.task';

const TASK = path.join(__dirname, `train-seq2seq-model.task${path.extname(__filename)}`);

/**
 * Trains a seq2seq model in a worker thread on its dataset's newest version, split by whole
 * sequences 70/15/15 (the HiSS benchmark's split, seeded by the job's seed): validation picks
 * the best epoch, test is scored once. Checkpoints as series training writes them (every
 * `checkpointSteps` or TRAIN_CHECKPOINT_STEPS steps, at every epoch end and on cancel, one file
 * per model): a retry of the job (after a kill, a crash or a hand-back at shutdown) takes up
 * its own checkpoint, and `resume` one left by an earlier job of the same request.
 */
@Injectable()
@HandlesJob(SEQ2SEQ_MODEL_TRAIN)
export class TrainSeq2SeqModelJobHandler implements JobHandler<Payload> {
  constructor(
    private readonly ds: DataSource,
    private readonly config: AppConfig,
    private readonly seq2seq: Seq2SeqModelsService,
    private readonly checkpoints: TrainCheckpoints,
  ) {}

  /** Enqueued by its own route, which first checks the model exists. */
  readonly access = 'internal';

  validate(p: Record<string, unknown>): Payload {
    return checkPayload<Payload>(SEQ2SEQ_MODEL_TRAIN, p, {
      modelId: { type: 'uuid', required: true },
      seed: { type: 'integer', minimum: 0 },
      resume: { type: 'boolean' },
      checkpointSteps: { type: 'integer', minimum: 0 },
    });
  }

  async run(p: Payload, ctx: JobRunContext) {
    const model = await this.seq2seq.get(p.modelId);
    const { row, result } = await trainVersion(this.ds, model.id, async () => {
      ctx.progress(0, 'reading sequences');
      // loaded on use, as the evaluation handlers do: the eval lib is large and boot need not pay for it
      const { splitBySequence } = await import('@seqcast/eval');
      const data = await this.seq2seq.sequences(model.datasetId!);
      if (data.keys.length < 3)
        throw new Unprocessable(
          `dataset ${model.datasetId} has ${data.keys.length} sequences; at least 3 are needed (train, validation, test)`,
          [{ field: 'datasetId', reason: 'too few sequences' }],
        );
      const split = splitBySequence(
        {
          inputs: data.inputs,
          targets: data.targets,
          ratio: data.ratio,
          // rates are not stored, only their ratio; the split does not read them
          inputRateHz: data.ratio,
          outputRateHz: 1,
          inputChannels: data.inputColumns,
          targetChannels: data.targetColumns,
        },
        { validation: 0.15, test: 0.15 },
        p.seed ?? 0,
      );
      // a sequence keeps its arrays through the split: they find its key again
      const keyOf = new Map(data.inputs.map((seq, i) => [seq, data.keys[i]]));
      const keys = (part: { inputs: Float32Array[][] }) => part.inputs.map((seq) => keyOf.get(seq)!);
      const columns = {
        inputColumns: data.inputColumns,
        targetColumns: data.targetColumns,
        ratio: data.ratio,
      };
      const input: TrainSeq2SeqInput = {
        backend: this.config.TF_BACKEND,
        artifactRoot: dataPaths(this.config).artifacts,
        kind: model.kind,
        config: model.config,
        columns,
        train: { inputs: split.train.inputs, targets: split.train.targets },
        validation: { inputs: split.validation.inputs, targets: split.validation.targets },
        test: { inputs: split.test.inputs, targets: split.test.targets },
        checkpoint: await this.checkpoints.forJob(
          model.id,
          seq2seqTrainKey(model, data.version.id, p.seed ?? 0),
          ctx.jobId,
          { resume: p.resume, everySteps: p.checkpointSteps ?? this.config.TRAIN_CHECKPOINT_STEPS },
        ),
      };
      const out = await runInWorkerThread<TrainSeq2SeqInput, TrainSeq2SeqOutput>(
        TASK,
        'trainSeq2SeqModel',
        input,
        trainingThread(ctx, 0.02),
      );
      return {
        version: {
          artifactRef: out.artifactId,
          datasetVersionId: data.version.id,
          metrics: { test: out.test, validationMse: out.validationMse, epochs: out.epochs },
          backend: out.backend,
        },
        result: {
          split: {
            train: keys(split.train),
            validation: keys(split.validation),
            test: keys(split.test),
          },
          ...columns,
          ...out,
        },
      };
    });
    // the version is recorded: nothing is left to resume
    await this.checkpoints.remove(model.id);
    return { modelId: model.id, modelVersionId: row.id, version: row.version, ...result };
  }
}
