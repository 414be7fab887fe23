import { Controller, Get, Inject, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { AppConfig, SEQCAST_VERSION } from '@seqcast/core';
import { databaseEngine } from '@seqcast/db';
import { JOB_QUEUE, JobQueue } from '@seqcast/jobs';
import { getBackendInfo } from '@seqcast/tensor';
import type { Response } from 'express';
import { DataSource } from 'typeorm';
import { PublicRoute } from '../auth/api-key.guard';

class ComponentHealth {
  @ApiProperty() ok!: boolean;
  @ApiPropertyOptional() detail?: string;
}
class DatabaseHealth extends ComponentHealth {
  @ApiProperty({ enum: ['sqlite', 'postgres'] }) engine!: string;
}
class QueueHealth extends ComponentHealth {
  @ApiProperty({ enum: ['in-process', 'bullmq'] }) driver!: string;
}
class TensorHealth {
  @ApiProperty({ example: 'wasm', description: 'tfjs backend in use (TF_BACKEND chooses it)' })
  backend!: string;
  @ApiProperty({ example: 'seqcast-fast' }) kernels!: string;
  @ApiPropertyOptional() detail?: string;
}
export class HealthView {
  @ApiProperty({ enum: ['ok', 'degraded'] }) status!: 'ok' | 'degraded';
  @ApiProperty() version!: string;
  @ApiProperty({ enum: ['api', 'worker', 'all'] }) role!: string;
  @ApiProperty({ type: DatabaseHealth }) database!: DatabaseHealth;
  @ApiProperty({ type: QueueHealth }) queue!: QueueHealth;
  @ApiProperty({ type: TensorHealth }) tensor!: TensorHealth;
  @ApiProperty() uptimeSeconds!: number;
}

@ApiTags('health')
@PublicRoute()
@Controller('health')
export class HealthController {
  constructor(
    private readonly ds: DataSource,
    private readonly config: AppConfig,
    @Inject(JOB_QUEUE) private readonly queue: JobQueue,
  ) {}

  private tensor(): TensorHealth {
    const info = getBackendInfo();
    return { backend: info.name, kernels: info.kernels, detail: info.details };
  }

  @Get()
  @ApiOperation({ summary: 'Liveness and readiness: database, queue, version (503 when degraded)' })
  @ApiOkResponse({ type: HealthView })
  async health(@Res({ passthrough: true }) res: Response): Promise<HealthView> {
    const database = await this.ds
      .query('select 1')
      .then(() => ({ engine: databaseEngine(this.config), ok: true }))
      .catch((e) => ({ engine: databaseEngine(this.config), ok: false, detail: String(e) }));
    const queue = await this.queue.health();
    const ok = database.ok && queue.ok;
    if (!ok) res.status(503);
    return {
      status: ok ? 'ok' : 'degraded',
      version: SEQCAST_VERSION,
      role: this.config.ROLE,
      database,
      queue,
      tensor: this.tensor(),
      uptimeSeconds: Math.round(process.uptime()),
    };
  }
}
