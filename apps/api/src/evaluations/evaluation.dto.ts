import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsNumber,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';

export class EvaluationModelDto {
  @ApiProperty({ example: 'nlinear' }) @IsString() kind!: string;
  @ApiPropertyOptional({ type: Object }) @IsOptional() @IsObject() config?: Record<string, unknown>;
  @ApiPropertyOptional({ description: 'Label in the report (default: the kind).' })
  @IsOptional()
  @IsString()
  name?: string;
}

export class EvaluationIntervalsDto {
  @ApiProperty({ enum: ['split', 'aci', 'enbpi', 'spci'] }) @IsString() method!: string;
  @ApiPropertyOptional({ default: 0.1 }) @IsOptional() @IsNumber() alpha?: number;
  @ApiPropertyOptional({ type: Object }) @IsOptional() @IsObject() options?: Record<string, unknown>;
  @ApiPropertyOptional({
    default: 200,
    description: 'Windows before the first origin whose residuals start the calibrator.',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  calibrationWindows?: number;
}

export class CreateEvaluationDto {
  @ApiProperty({ format: 'uuid' }) @IsUUID() datasetId!: string;
  @ApiProperty({ example: 'OT' }) @IsString() target!: string;
  @ApiProperty({ example: 336 }) @IsInt() @Min(1) @Max(100000) lookback!: number;
  @ApiProperty({ example: 96 }) @IsInt() @Min(1) @Max(100000) horizon!: number;
  @ApiPropertyOptional({
    default: 5,
    description: 'Forecast origins, the last one ending at the end of each series.',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1000)
  folds?: number;
  @ApiPropertyOptional({ description: 'Steps between origins (default: horizon).' })
  @IsOptional()
  @IsInt()
  @Min(1)
  step?: number;
  @ApiPropertyOptional({ enum: ['once', 'every-fold'], default: 'once' })
  @IsOptional()
  @IsIn(['once', 'every-fold'])
  refit?: 'once' | 'every-fold';
  @ApiPropertyOptional({ description: 'Season length m of the MASE scale (default 1).' })
  @IsOptional()
  @IsInt()
  @Min(1)
  seasonality?: number;
  @ApiPropertyOptional({ type: [String], description: 'Only these series (default: all).' })
  @IsOptional()
  @IsArray()
  @IsString({ each: true })
  series?: string[];
  @ApiProperty({ type: [EvaluationModelDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ValidateNested({ each: true })
  @Type(() => EvaluationModelDto)
  models!: EvaluationModelDto[];
  @ApiPropertyOptional({
    type: EvaluationIntervalsDto,
    description: 'Also score conformal intervals (coverage, width, Winkler, rolling coverage).',
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => EvaluationIntervalsDto)
  intervals?: EvaluationIntervalsDto;
}
