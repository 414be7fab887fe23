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
    description:
      "Forecast origins before the first fold whose residuals start the calibrator: consecutive, `step` apart (the folds' cadence), so each step's residual series keeps one time spacing.",
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  calibrationWindows?: number;
}

export class EvaluationAdapterDto {
  @ApiProperty({ enum: ['tafas', 'petsa', 'onenet'] }) @IsString() method!: string;
  @ApiPropertyOptional({ type: Object, description: "The method's options (GET /models/adapter-methods)." })
  @IsOptional()
  @IsObject()
  options?: Record<string, unknown>;
  @ApiPropertyOptional({ description: 'Row name in the report (default: the method).' })
  @IsOptional()
  @IsString()
  name?: string;
}

export class EvaluationAdaptationDto {
  @ApiProperty({ type: [EvaluationAdapterDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ValidateNested({ each: true })
  @Type(() => EvaluationAdapterDto)
  adapters!: EvaluationAdapterDto[];
  @ApiPropertyOptional({ default: 0.7, description: 'Fraction of each series to train on (time order).' })
  @IsOptional()
  @IsNumber()
  @Min(0.01)
  @Max(0.98)
  train?: number;
  @ApiPropertyOptional({ default: 0.1, description: 'Fraction for validation; the rest is the test stream.' })
  @IsOptional()
  @IsNumber()
  @Min(0.01)
  @Max(0.98)
  valid?: number;
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
  @ApiPropertyOptional({
    type: EvaluationAdaptationDto,
    description:
      'Also run the online protocol of test-time adaptation: each series split train / validation / test in time order, the models frozen after train, the test part fed step by step to each adapter (and the intervals, when asked, around the adapted forecasts).',
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => EvaluationAdaptationDto)
  adaptation?: EvaluationAdaptationDto;
}
