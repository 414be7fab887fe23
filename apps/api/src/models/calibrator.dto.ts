import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CalibratorEntity } from '@seqcast/db';
import { Type } from 'class-transformer';
import {
  ArrayMinSize,
  IsArray,
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

export class CalibrationSettingsDto {
  @ApiPropertyOptional({
    description:
      "Horizon steps with their own residuals (default: the model's horizon). Forecasts longer than this get intervals only with extrapolateIntervals.",
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1000)
  steps?: number;
  @ApiPropertyOptional({
    description:
      'Most forecast origins per series whose held-out residuals start the calibrator, the latest ones (default 1000).',
  })
  @IsOptional()
  @IsInt()
  @Min(10)
  @Max(100000)
  maxWindows?: number;
  @ApiPropertyOptional({
    description:
      "Rows between consecutive calibration origins (default 1): the cadence forecasts will be made and their truths posted at, so each step's residual series keeps one time spacing online.",
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(100000)
  originEvery?: number;
}

export class CreateCalibratorDto {
  @ApiProperty({ enum: ['split', 'aci', 'enbpi', 'spci'] }) @IsString() method!: string;
  @ApiPropertyOptional({
    type: [Number],
    example: [0.1, 0.05],
    description: 'Miscoverage rates; 0.1 gives bounds lo-90 and hi-90.',
  })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @IsNumber({}, { each: true })
  alpha?: number[];
  @ApiPropertyOptional({
    type: Object,
    description: "The method's options (GET /models/calibrator-methods lists them with defaults).",
  })
  @IsOptional()
  @IsObject()
  options?: Record<string, unknown>;
  @ApiPropertyOptional({ type: CalibrationSettingsDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => CalibrationSettingsDto)
  calibration?: CalibrationSettingsDto;
}

export class ObservationDto {
  @ApiProperty() @IsString() seriesKey!: string;
  @ApiPropertyOptional({
    description:
      'The forecast step of the first value (1 = one step ahead; default 1). Truth may come in pieces: a prefix now, the rest later; a step given twice is refused (409).',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  fromStep?: number;
  @ApiPropertyOptional({
    type: [Number],
    description: "Truth for steps fromStep.. of the forecast's first channel (or of `channel`).",
  })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @IsNumber({ allowNaN: false, allowInfinity: false }, { each: true })
  values?: number[];
  @ApiPropertyOptional({
    type: 'array',
    items: { type: 'array', items: { type: 'number' } },
    description:
      "Truth for steps fromStep.. of every channel, in the forecast's channel order (instead of values; an adapter on a multichannel model needs them all at once).",
  })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @IsArray({ each: true })
  valuesByChannel?: number[][];
  @ApiPropertyOptional({
    format: 'uuid',
    description: 'The forecast the values are the truth of (default: the newest of the series).',
  })
  @IsOptional()
  @IsUUID()
  forecastId?: string;
  @ApiPropertyOptional({
    description: "The channel observed, by name (default: the forecast's first channel).",
  })
  @IsOptional()
  @IsString()
  channel?: string;
}

export class CalibratorView {
  @ApiProperty() id!: string;
  @ApiProperty() modelId!: string;
  @ApiProperty() method!: string;
  @ApiProperty({ type: [Number] }) alpha!: number[];
  @ApiProperty({ type: Object }) options!: Record<string, unknown>;
  @ApiProperty({ enum: ['fitting', 'ready', 'failed', 'superseded'] }) status!: string;
  @ApiPropertyOptional({ nullable: true, type: String }) jobId!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) modelVersionId!: string | null;
  @ApiProperty() createdAt!: Date;

  static of(c: CalibratorEntity): CalibratorView {
    const { id, modelId, method, alpha, options, status, jobId, modelVersionId, createdAt } = c;
    return { id, modelId, method, alpha, options, status, jobId, modelVersionId, createdAt };
  }
}
