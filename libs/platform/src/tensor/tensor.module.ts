import { Global, Module, OnModuleInit } from '@nestjs/common';
import { AppConfig } from '@seqcast/core';
import { configureTensors } from '@seqcast/tensor';
import { TrainCheckJobHandler } from './train-check.handler';

/**
 * Sets the kernel tier (SEQCAST_NATIVE, SEQCAST_NATIVE_ISA) and chooses the tfjs backend
 * (TF_BACKEND) at boot, so a backend asked for by name that is not available stops the
 * process with a clear message instead of failing the first training job. Worker threads
 * get the same kernel settings from runInWorkerThread and choose their backend from the
 * same setting.
 */
@Global()
@Module({ providers: [TrainCheckJobHandler] })
export class TensorModule implements OnModuleInit {
  constructor(private readonly config: AppConfig) {}

  async onModuleInit(): Promise<void> {
    await configureTensors(this.config);
  }
}
