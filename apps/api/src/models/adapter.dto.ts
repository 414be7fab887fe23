import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { AdapterEntity } from '@seqcast/db';
import { IsInt, IsObject, IsOptional, IsString, Min } from 'class-validator';

export class CreateAdapterDto {
  @ApiProperty({
    enum: ['tafas', 'petsa', 'onenet'],
    description: 'GET /models/adapter-methods lists them with their options.',
  })
  @IsString()
  method!: string;
  @ApiPropertyOptional({ type: Object, description: "The method's options (defaults filled in)." })
  @IsOptional()
  @IsObject()
  options?: Record<string, unknown>;
}

export class AdapterSeriesDto {
  @ApiProperty({ description: 'The series whose adapter state is changed.' }) @IsString() seriesKey!: string;
}

export class RollbackDto extends AdapterSeriesDto {
  @ApiProperty({ description: 'The rollback point: a stream time listed in GET .../state (rollbackPoints).' })
  @IsInt()
  @Min(0)
  seq!: number;
}

export class AdapterView {
  @ApiProperty() id!: string;
  @ApiProperty() modelId!: string;
  @ApiProperty() method!: string;
  @ApiProperty({ type: Object }) options!: Record<string, unknown>;
  @ApiProperty({ enum: ['ready', 'superseded', 'detached'] }) status!: string;
  @ApiPropertyOptional({ nullable: true, type: String }) modelVersionId!: string | null;
  @ApiProperty() createdAt!: Date;

  static of(a: AdapterEntity): AdapterView {
    const { id, modelId, method, options, status, modelVersionId, createdAt } = a;
    return { id, modelId, method, options, status, modelVersionId, createdAt };
  }
}
