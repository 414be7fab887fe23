import { Injectable, OnModuleInit } from '@nestjs/common';
import { DiscoveryService, Reflector } from '@nestjs/core';
import { ConfigError } from '@seqcast/core';
import { JOB_HANDLER_TYPE, JobHandler } from './job-handler';
import { declaredJobTypes } from './job-types';

/** Finds every `@HandlesJob` provider and refuses to boot if a declared type has none. */
@Injectable()
export class JobHandlerRegistry implements OnModuleInit {
  private readonly handlers = new Map<string, JobHandler>();

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly reflector: Reflector,
  ) {}

  onModuleInit(): void {
    for (const wrapper of this.discovery.getProviders()) {
      const instance = wrapper.instance as JobHandler | undefined;
      if (!instance || !wrapper.metatype) continue;
      const type = this.reflector.get<string | undefined>(JOB_HANDLER_TYPE, wrapper.metatype as new (...args: never[]) => unknown);
      if (!type) continue;
      if (this.handlers.has(type)) {
        throw new ConfigError([{ field: type, reason: 'job type has two handlers' }]);
      }
      this.handlers.set(type, instance);
    }
    const missing = declaredJobTypes().filter((t) => !this.handlers.has(t.type));
    if (missing.length) {
      throw new ConfigError(missing.map((t) => ({ field: t.type, reason: 'declared job type has no handler' })));
    }
  }

  get(type: string): JobHandler | undefined {
    return this.handlers.get(type);
  }

  types(): string[] {
    return [...this.handlers.keys()].sort();
  }
}
