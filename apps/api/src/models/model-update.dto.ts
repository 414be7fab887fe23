import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, IsUUID, Min } from 'class-validator';

/**
 * Which version of the model's dataset an update learns from: one of the two fields, or
 * neither for the newest. Values to learn that are not in the dataset yet are appended
 * first (`POST /datasets/:id/observations` makes the version), so the model learns only
 * from stored, immutable versions and forecasts read their contexts from the same rows.
 */
export class UpdateModelDto {
  @ApiPropertyOptional({
    example: 2,
    description:
      "Number of the version of the model's dataset to learn from (GET /datasets/:id/versions); default: the newest. Only the rows after those the model has already learnt are used (per series, by time); a series the model has not seen is learnt whole.",
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  datasetVersion?: number;

  @ApiPropertyOptional({
    format: 'uuid',
    description:
      "The same version by its id (as in a model version's `datasetVersionId`). A version of another dataset is refused (422).",
  })
  @IsOptional()
  @IsUUID()
  datasetVersionId?: string;
}
