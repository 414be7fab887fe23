import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ModelEntity, ModelVersionEntity } from '@seqcast/db';
import type { ModelDiskUsage } from '@seqcast/models';
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

  /** One model with its bytes measured. */
  static async measured(m: ModelEntity, usage: ModelDiskUsage): Promise<ModelDiskView> {
    return ModelDiskView.with(m, await usage.of([m.id]));
  }
}

export class ModelDiskListView {
  @ApiProperty({ type: [ModelDiskView] }) items!: ModelDiskView[];
  @ApiProperty() total!: number;

  /** A page of models (rows and total, as a service's list gives them) with their bytes. */
  static async of([rows, total]: [ModelEntity[], number], usage: ModelDiskUsage): Promise<ModelDiskListView> {
    const bytes = await usage.of(rows.map((m) => m.id));
    return { items: rows.map((m) => ModelDiskView.with(m, bytes)), total };
  }
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
