import { Global, Module, OnModuleInit } from '@nestjs/common';
import { AppConfig } from '@seqcast/core';
import { selectBackend } from '../backend/select-backend';
import { TrainCheckJobHandler } from './train-check.handler';

/**
 * Chooses the tfjs backend at boot (TF_BACKEND), so a backend asked for by name that is
 * not available stops the process with a clear message instead of failing the first
 * training job. Worker threads choose theirs from the same setting.
 */
@Global()
@Module({ providers: [TrainCheckJobHandler] })
export class TensorModule implements OnModuleInit {
  constructor(private readonly config: AppConfig) {}

  async onModuleInit(): Promise<void> {
    await selectBackend(this.config.TF_BACKEND);
  }
}
