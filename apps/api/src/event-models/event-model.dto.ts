import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsInt,
  IsNumber,
  IsObject,
  IsOptional,
  IsPositive,
  IsString,
  IsUUID,
  Length,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';

export class CreateEventModelDto {
  @ApiProperty({
    example: 'nhp',
    description: 'GET /event-models/kinds lists the kinds and their config schemas.',
  })
  @IsString()
  kind!: string;
  @ApiPropertyOptional({ type: Object }) @IsOptional() @IsObject() config?: Record<string, unknown>;
  @ApiProperty({ format: 'uuid', description: 'An event dataset.' }) @IsUUID() datasetId!: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 200) name?: string;
}

export class TrainEventModelDto {
  @ApiPropertyOptional({ description: 'Seed of the sequence split and the model.' })
  @IsOptional()
  @IsInt()
  @Min(0)
  seed?: number;
}

export class EventHistoryDto {
  @ApiProperty({
    type: 'array',
    items: { oneOf: [{ type: 'number' }, { type: 'string', format: 'date-time' }] },
    description: 'Event times, non-decreasing.',
  })
  @IsArray()
  @ArrayMinSize(1)
  times!: (number | string)[];
  @ApiProperty({
    type: 'array',
    items: { oneOf: [{ type: 'string' }, { type: 'integer' }] },
    description: 'Event types (names as in the dataset, or 0-based ids).',
  })
  @IsArray()
  @ArrayMinSize(1)
  types!: (number | string)[];
}

export class PredictEventDto {
  @ApiProperty({ type: EventHistoryDto })
  @ValidateNested()
  @Type(() => EventHistoryDto)
  history!: EventHistoryDto;
  @ApiPropertyOptional({ type: [Number], example: [0.1, 0.5, 0.9] })
  @IsOptional()
  @IsArray()
  @IsNumber({}, { each: true })
  quantiles?: number[];
  @ApiPropertyOptional({
    default: 200,
    description: 'Monte Carlo draws behind the mean, quantiles and type probabilities.',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(100000)
  samples?: number;
  @ApiPropertyOptional() @IsOptional() @IsInt() seed?: number;
}

export class EventIntensityDto {
  @ApiProperty({ type: EventHistoryDto })
  @ValidateNested()
  @Type(() => EventHistoryDto)
  history!: EventHistoryDto;
  @ApiPropertyOptional({
    default: 200,
    minimum: 2,
    maximum: 2000,
    description: "Grid points over [0, horizon] after the history's last event.",
  })
  @IsOptional()
  @IsInt()
  @Min(2)
  @Max(2000)
  points?: number;
  @ApiPropertyOptional({
    description:
      "The grid's span after the last event, in the dataset's unit (seconds for timestamped data); default: where all but 1% to 0.01% of the next gap's probability lies.",
    example: 5,
  })
  @IsOptional()
  @IsNumber()
  @IsPositive()
  horizon?: number;
  @ApiPropertyOptional({
    default: false,
    description:
      "Also `along`: the intensity over the history's own span (`points` times and a hair either side of each event), each time given the events up to it.",
  })
  @IsOptional()
  @IsBoolean()
  along?: boolean;
}

export class RerankDto {
  @ApiProperty({
    example: 10,
    description: 'Base-model continuations proposed per returned one; the lowest-energy one is kept.',
  })
  @IsInt()
  @Min(1)
  @Max(1000)
  proposals!: number;
}

export class GenerateEventsDto {
  @ApiProperty({ type: EventHistoryDto })
  @ValidateNested()
  @Type(() => EventHistoryDto)
  history!: EventHistoryDto;
  @ApiPropertyOptional({
    description:
      "Generate for this span after the history's last event (in the dataset's unit; seconds for timestamped data).",
    example: 5,
  })
  @IsOptional()
  @IsNumber()
  horizon?: number;
  @ApiPropertyOptional({
    description:
      'Or: generate until this absolute time (a number, or an ISO timestamp for timestamped data).',
    // a union: without oneOf the document would call it an object
    oneOf: [{ type: 'number' }, { type: 'string', format: 'date-time' }],
  })
  @IsOptional()
  until?: number | string;
  @ApiPropertyOptional({ description: 'Or: this many events per continuation.' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1000)
  count?: number;
  @ApiPropertyOptional({ default: 1 }) @IsOptional() @IsInt() @Min(1) @Max(1000) samples?: number;
  @ApiPropertyOptional() @IsOptional() @IsInt() seed?: number;
  @ApiPropertyOptional({
    type: RerankDto,
    description: "HYPRO models only: the proposals behind each continuation (default the model's own).",
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => RerankDto)
  rerank?: RerankDto;
}
