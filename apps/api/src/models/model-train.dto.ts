import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { TrainCheckpointView as Checkpoint } from '@seqcast/models';
import { IsBoolean, IsIn, IsInt, IsOptional, Min } from 'class-validator';
import { ModelDiskView } from './model-disk.dto';

/**
 * What every training request says about checkpoints (POST /models/:id/train and
 * /seq2seq-models/:id/train): start afresh (no body), or resume the checkpoint of an interrupted training.
 */
export class CheckpointedTrainDto {
  @ApiPropertyOptional({
    description:
      "Resume the model's training checkpoint (left by a cancelled, killed or failed training; GET of the model shows it) instead of starting afresh. It must belong to the same request: the model's config, its dataset's newest version and the body's fitOn (series models) or seed (seq2seq models) unchanged (409 otherwise). The job's progress and result say where it resumed. A job retried after a kill or hand-back resumes its own checkpoint without this.",
  })
  @IsOptional()
  @IsBoolean()
  resume?: boolean;

  @ApiPropertyOptional({
    example: 50,
    description:
      'Training steps between checkpoints inside an epoch for this run (one is also written at every epoch end and on cancel); 0: epoch ends only. Default TRAIN_CHECKPOINT_STEPS.',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  checkpointSteps?: number;
}

/** POST /models/:id/train. */
export class TrainModelDto extends CheckpointedTrainDto {
  @ApiPropertyOptional({
    enum: ['split', 'all'],
    default: 'split',
    description:
      "What the stored weights learn. 'split' (default): the first 70% of each series; the next 10% validates (early stopping, picked penalties) and the last 20% gives the version's test metrics. 'all': the same split fit first (validation picks the settings, the test metrics are its), then the model is refitted on every row with those settings (epochs: the early-stopping epoch) and that fit is stored, so forecasts come from a model that has seen the newest data. The version says which (GET /models/:id/versions: fitOn). A version fitted on all rows has no held-out rows to calibrate on (POST /models/:id/calibrators answers 422).",
  })
  @IsOptional()
  @IsIn(['split', 'all'], { message: "fitOn must be 'split' or 'all'" })
  fitOn?: 'split' | 'all';
}

export class TrainCheckpointView implements Checkpoint {
  @ApiProperty({ description: 'The epoch in progress (epochs + 1 once the last ended).' }) epoch!: number;
  @ApiProperty({ description: 'Steps of that epoch taken.' }) step!: number;
  @ApiProperty({ description: 'Steps per epoch.' }) steps!: number;
  @ApiProperty() epochs!: number;
  @ApiProperty() savedAt!: string;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'The job that wrote it.' }) jobId!: string | null;
  @ApiProperty({ example: 'resume at epoch 3 of 20, step 41 of 152' }) message!: string;
}

/** GET /models/:id: the model, its disk use and its training checkpoint. */
export class ModelDetailView extends ModelDiskView {
  @ApiPropertyOptional({
    nullable: true,
    type: TrainCheckpointView,
    description:
      'Where an interrupted training stopped (POST /models/:id/train, or /seq2seq-models/:id/train for a seq2seq model, with {resume: true} goes on from there); null when none is left (a finished training removes it).',
  })
  checkpoint!: TrainCheckpointView | null;
}
