import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ModelEntity, ModelVersionEntity } from '@seqcast/db';
import { modelTargets } from '@seqcast/models';
import { IsFiniteNumbers } from '../http/finite-numbers';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsISO8601,
  IsNumber,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Max,
  Min,
} from 'class-validator';

export class CreateModelDto {
  @ApiProperty({
    example: 'nlinear',
    description: 'Model kind; GET /models/kinds lists them with their config schemas.',
  })
  @IsString()
  kind!: string;

  @ApiPropertyOptional({
    type: Object,
    description: 'Model configuration (see the `<kind>Config` schemas); defaults fill the rest.',
  })
  @IsOptional()
  @IsObject()
  config?: Record<string, unknown>;

  @ApiProperty({ format: 'uuid' }) @IsUUID() datasetId!: string;
  @ApiPropertyOptional({
    example: 'OT',
    description: 'Value column to forecast (one channel). Give this or `targets`.',
  })
  @IsOptional()
  @IsString()
  target?: string;
  @ApiPropertyOptional({
    type: [String],
    example: ['OT', 'HUFL'],
    description:
      'Value columns to forecast, one channel each, in this order (each a numeric value column of the dataset, none twice). Channels are modelled as the kind says: on their own (the weights shared across channels and series) unless the kind is multivariate.',
  })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @IsString({ each: true })
  targets?: string[];
  @ApiProperty({ example: 336, description: 'Steps of history a forecast reads.' })
  @IsInt()
  @Min(1)
  @Max(100000)
  lookback!: number;
  @ApiProperty({ example: 96, description: 'Steps ahead the model is trained and scored for.' })
  @IsInt()
  @Min(1)
  @Max(100000)
  horizon!: number;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 200) name?: string;
}

export class ForecastDto {
  @ApiPropertyOptional({
    example: 'co2',
    description: 'Series key (GET /datasets/:id/series); may be left out when the dataset has one series.',
  })
  @IsOptional()
  @IsString()
  seriesKey?: string;
  @ApiProperty({ example: 24 }) @IsInt() @Min(1) horizon!: number;
  @ApiPropertyOptional({
    type: [Number],
    description: 'History to forecast from, oldest first (default: the newest values in the dataset).',
  })
  @IsOptional()
  @IsFiniteNumbers()
  context?: number[];
  @ApiPropertyOptional({
    type: 'array',
    items: { type: 'array', items: { type: 'number' } },
    description:
      "History per target channel, in the order of the model's `targets`, oldest first (instead of `context`; needed for a model with several targets).",
  })
  @IsOptional()
  @IsArray()
  @IsArray({ each: true })
  contexts?: number[][];
  @ApiPropertyOptional({
    description: 'Time of the last context value, so the forecast steps get timestamps.',
  })
  @IsOptional()
  @IsISO8601()
  contextEnd?: string;
  @ApiPropertyOptional({
    type: [String],
    example: ['2024-01-01T00:00:00Z', '2024-01-01T00:40:00Z', '2024-01-01T02:10:00Z'],
    description:
      "The time of every context value (ISO 8601), oldest first, instead of contextEnd. A 'timed' model (ls4) reads the gaps between them (dt = gap over its nominal gap; `timing` in the answer); other kinds read the values as equally spaced steps and take the last time as the origin.",
  })
  @IsOptional()
  @IsArray()
  @IsISO8601({}, { each: true })
  contextTimes?: string[];

  @ApiPropertyOptional({
    type: [Number],
    example: [0.1, 0.9],
    description:
      "Quantile levels in (0, 1) to serve, from the model's own quantiles or its sample paths (422 for a point model). JSON: `quantiles['0.1'][channel][step]` and `q-0.1` in each step; Arrow: one column per level (`q-0.1`).",
  })
  @IsOptional()
  @IsArray()
  @IsNumber({ allowNaN: false, allowInfinity: false }, { each: true })
  @Min(0, { each: true })
  @Max(1, { each: true })
  quantiles?: number[];

  @ApiPropertyOptional({
    description:
      'Serve the sample paths of a probabilistic model (422 for a point model). JSON: `samples[sample][channel][step]`; Arrow: extra rows after the point rows, with the path index in the `sample` column (null on point rows) and the path value in `value`.',
  })
  @IsOptional()
  @IsBoolean()
  samples?: boolean;

  @ApiPropertyOptional({
    description:
      "Intervals past the calibrator's calibrated steps (the forecast's `calibratedSteps`) reuse the last calibrated step's widths; without it such a horizon is refused (422 naming horizon).",
  })
  @IsOptional()
  @IsBoolean()
  extrapolateIntervals?: boolean;
}

export class BatchForecastDto {
  @ApiPropertyOptional({ description: "Steps ahead (default: the model's horizon)." })
  @IsOptional()
  @IsInt()
  @Min(1)
  horizon?: number;

  @ApiPropertyOptional({
    type: [Number],
    description: 'Quantile levels in (0, 1) to include as columns q-0.1, ... (as in a forecast request).',
  })
  @IsOptional()
  @IsArray()
  @IsNumber({ allowNaN: false, allowInfinity: false }, { each: true })
  @Min(0, { each: true })
  @Max(1, { each: true })
  quantiles?: number[];

  @ApiPropertyOptional({
    description: 'Include sample paths as rows with a `sample` index (as in a forecast request).',
  })
  @IsOptional()
  @IsBoolean()
  samples?: boolean;
}

export class ModelScheduleDto {
  @ApiProperty({ enum: ['retrain', 'batch-forecast'] }) @IsIn(['retrain', 'batch-forecast']) action!:
    'retrain' | 'batch-forecast';
  @ApiProperty({ example: '0 3 * * *' }) @IsString() cron!: string;
  @ApiPropertyOptional({ example: 'UTC' }) @IsOptional() @IsString() timezone?: string;
}

export class ModelVersionView {
  @ApiProperty() id!: string;
  @ApiProperty() version!: number;
  @ApiProperty() artifactRef!: string;
  @ApiPropertyOptional({ nullable: true, type: String }) datasetVersionId!: string | null;
  @ApiPropertyOptional({ type: Object, nullable: true }) metrics!: Record<string, unknown> | null;
  @ApiPropertyOptional({ nullable: true, type: String }) backend!: string | null;
  @ApiProperty({
    enum: ['split', 'all'],
    description:
      "What the weights learnt: 'split' the train part of each series (metrics.test measured on this fit), 'all' every row, refitted after the split fit picked the settings (metrics.test is the split fit's).",
  })
  fitOn!: 'split' | 'all';
  @ApiProperty() createdAt!: Date;

  static of(v: ModelVersionEntity): ModelVersionView {
    const { id, version, artifactRef, datasetVersionId, metrics, backend, fitOn, createdAt } = v;
    return { id, version, artifactRef, datasetVersionId, metrics, backend, fitOn, createdAt };
  }
}

export class ModelView {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
  @ApiProperty() kind!: string;
  @ApiProperty({ type: Object }) config!: Record<string, unknown>;
  @ApiProperty() datasetId!: string;
  @ApiProperty({ description: 'The first (or only) target column.' }) target!: string;
  @ApiProperty({ type: [String], description: 'Every target column, one forecast channel each.' })
  targets!: string[];
  @ApiProperty() lookback!: number;
  @ApiProperty() horizon!: number;
  @ApiProperty({ enum: ['created', 'training', 'trained', 'failed'] }) status!: string;
  @ApiPropertyOptional({ nullable: true, type: String }) latestVersionId!: string | null;
  @ApiProperty() createdAt!: Date;
  @ApiProperty() updatedAt!: Date;

  static of(m: ModelEntity): ModelView {
    return {
      id: m.id,
      name: m.name,
      kind: m.kind,
      config: m.config,
      datasetId: m.datasetId!,
      target: m.target!,
      targets: modelTargets(m),
      lookback: m.lookback!,
      horizon: m.horizon!,
      status: m.status,
      latestVersionId: m.latestVersionId,
      createdAt: m.createdAt,
      updatedAt: m.updatedAt,
    };
  }
}

export class ForecastStepView {
  @ApiProperty() step!: number;
  @ApiPropertyOptional({ nullable: true, type: String }) timestamp!: string | null;
  @ApiProperty({
    description:
      'Point value of the first channel; with intervals also lo-90, hi-90, ... and with quantiles q-0.1, ...',
  })
  value!: number;
}

export class ForecastExtrapolatedView {
  @ApiProperty() fromStep!: number;
  @ApiProperty() toStep!: number;
  @ApiProperty() note!: string;
}

export class ForecastIntervalView {
  @ApiProperty() calibratorId!: string;
  @ApiProperty() method!: string;
  @ApiProperty({ type: [String], example: ['80', '90'], description: 'Levels: bounds lo-80, hi-80, ...' })
  levels!: string[];
  @ApiPropertyOptional({
    nullable: true,
    type: Number,
    description:
      'Horizon steps the calibrator has residuals for (null for forecasts stored before it was recorded)',
  })
  calibratedSteps!: number | null;
  @ApiPropertyOptional({
    nullable: true,
    type: ForecastExtrapolatedView,
    description:
      "Set when the horizon is longer than calibratedSteps: those steps' bounds reuse the last calibrated step's widths",
  })
  extrapolated!: ForecastExtrapolatedView | null;
}

export class ForecastView {
  @ApiProperty() id!: string;
  @ApiProperty() modelId!: string;
  @ApiProperty() modelVersionId!: string;
  @ApiProperty() seriesKey!: string;
  @ApiProperty() horizon!: number;
  @ApiPropertyOptional({ nullable: true, type: String }) origin!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) frequency!: string | null;
  @ApiPropertyOptional({
    nullable: true,
    type: String,
    description: 'Time of the first step (ISO), when known.',
  })
  start!: string | null;
  @ApiPropertyOptional({ nullable: true, type: ForecastIntervalView }) interval!: ForecastIntervalView | null;
  @ApiProperty({
    type: [ForecastStepView],
    description:
      'The first channel step by step (what univariate clients read); every channel is in `point`.',
  })
  steps!: ForecastStepView[];
  @ApiProperty({
    type: [String],
    description: 'Channel names (the value columns forecast), in the order of `point`.',
  })
  channels!: string[];
  @ApiProperty({
    type: 'array',
    items: { type: 'array', items: { type: 'number' } },
    description: 'point[channel][step].',
  })
  point!: number[][];
  @ApiPropertyOptional({
    type: Object,
    description:
      "Interval bounds per channel by name: bounds['lo-90'][channel][step]. Arrow: long format, one row per series, channel and step, one column per bound.",
  })
  bounds?: Record<string, number[][]>;
  @ApiPropertyOptional({
    type: Object,
    description: "Requested quantiles per channel: quantiles['0.1'][channel][step].",
  })
  quantiles?: Record<string, number[][]>;
  @ApiPropertyOptional({
    type: 'array',
    items: { type: 'array', items: { type: 'array', items: { type: 'number' } } },
    description: 'Requested sample paths: samples[sample][channel][step].',
  })
  samples?: number[][][];
  @ApiPropertyOptional({
    type: Object,
    description:
      "Set when a 'timed' model (ls4) read the gaps of an unevenly spaced context: {dt: true, unit ('steps of 1D', or 'ms' for a dataset without a frequency), nominalGap (the time that is dt 1), note}. The steps are one nominal gap apart, which `frequency` labels.",
  })
  timing?: { dt: boolean; unit: string; nominalGap: number; note: string };
}

export class SamplesDto {
  @ApiProperty({ example: 10, description: 'Sample paths to generate (1..1000).' })
  @IsInt()
  @Min(1)
  @Max(1000)
  count!: number;
  @ApiProperty({ example: 96, description: 'Steps of each path (1..10000).' })
  @IsInt()
  @Min(1)
  @Max(10000)
  length!: number;
  @ApiPropertyOptional({ description: "Seed of the draws (default: the model's)." })
  @IsOptional()
  @IsInt()
  @Min(0)
  seed?: number;
  @ApiPropertyOptional({
    description:
      "A series the model was trained on: the paths come in its units (its training scale); without it they are in the model's standardised units.",
  })
  @IsOptional()
  @IsString()
  seriesKey?: string;
  @ApiPropertyOptional({
    type: [String],
    example: ['2024-01-01T00:00:00Z', '2024-01-01T00:40:00Z', '2024-01-01T02:10:00Z'],
    description:
      "Draw the paths at these times (ISO 8601, one per step: `length` of them, strictly increasing; a 'timed' kind, ls4): step t's dt is its gap over the model's nominal gap (one step of its training data's frequency, or the median gap it was trained with), the first step's 1. 400 naming `times` or `times[i]`; a stamp off a monthly, quarterly or yearly training grid is a 422 naming `times[i]`. Without it the steps are one nominal gap apart.",
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10000)
  @IsISO8601({}, { each: true })
  times?: string[];
}
