import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ModelEntity, ModelVersionEntity } from '@seqcast/db';
import { ModelVersionView, ModelView } from './model.dto';

/** A model (series or event model) with the bytes its artifacts take. */
export class ModelDiskView extends ModelView {
  @ApiProperty({
    description:
      "Bytes on disk of the model's artifacts, every version's; what DELETE frees (with its stored forecasts' rows). 0 before training.",
  })
  diskBytes!: number;

  static with(m: ModelEntity, usage: Map<string, number>): ModelDiskView {
    return { ...ModelView.of(m), diskBytes: usage.get(m.id) ?? 0 };
  }
}

export class ModelDiskListView {
  @ApiProperty({ type: [ModelDiskView] }) items!: ModelDiskView[];
  @ApiProperty() total!: number;
}

/** A trained version with the bytes of its artifact. */
export class ModelVersionDiskView extends ModelVersionView {
  @ApiPropertyOptional({
    nullable: true,
    type: Number,
    description: "Bytes on disk of this version's artifact; null when the artifact is missing.",
  })
  diskBytes!: number | null;

  static with(v: ModelVersionEntity): ModelVersionDiskView {
    return { ...ModelVersionView.of(v), diskBytes: v.diskBytes };
  }
}
