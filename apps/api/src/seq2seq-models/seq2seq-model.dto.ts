import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsArray, IsInt, IsObject, IsOptional, IsString, IsUUID, Length, Min } from 'class-validator';
import { CheckpointedTrainDto } from '../models/model-train.dto';

export class CreateSeq2SeqModelDto {
  @ApiProperty({
    example: 'hiss',
    description:
      'GET /seq2seq-models/kinds (or GET /models/kinds, family seq2seq) lists the kinds and their config schemas.',
  })
  @IsString()
  kind!: string;
  @ApiPropertyOptional({
    type: Object,
    description: "Model configuration; `ratio` is the dataset's (leave it out, or give the same value).",
  })
  @IsOptional()
  @IsObject()
  config?: Record<string, unknown>;
  @ApiProperty({ format: 'uuid', description: 'A seq2seq dataset.' }) @IsUUID() datasetId!: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 200) name?: string;
}

/** POST /seq2seq-models/:id/train: the split's seed, and the checkpoint fields every training takes. */
export class TrainSeq2SeqModelDto extends CheckpointedTrainDto {
  @ApiPropertyOptional({
    description: 'Seed of the sequence split (train/validation/test by whole sequences).',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  seed?: number;
}

export class PredictSeq2SeqDto {
  @ApiProperty({
    type: 'array',
    items: { type: 'array', items: { type: 'array', items: { type: 'number' } } },
    description:
      "Input sequences, [sequence][input column][step], the columns in the model's order (its inputColumns); each length a multiple of the ratio. 1 to 1000 sequences.",
    example: [
      [
        [0.1, 0.2, 0.3, 0.4],
        [1, 1, 1, 1],
      ],
    ],
  })
  @IsArray()
  inputs!: unknown[];
}
