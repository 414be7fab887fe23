import { Injectable, OnModuleInit } from '@nestjs/common';
import { DiscoveryService, Reflector } from '@nestjs/core';
import { ConfigError, ValidationFailed } from '@seqcast/core';
import { JOB_HANDLER_TYPE, JobAccess, JobHandler } from './job-handler';
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
      // A handler without a validator would run whatever payload reaches it.
      if (typeof instance.validate !== 'function' || (instance.access !== 'public' && instance.access !== 'internal')) {
        throw new ConfigError([{ field: type, reason: 'job handler declares no payload validation (validate, access)' }]);
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

  /**
   * The payload a job of this type stores, after its handler's validation. `from: 'public'`
   * (POST /jobs, schedules) refuses the types that only their own route may enqueue.
   */
  async validate(type: string, payload: Record<string, unknown>, from: JobAccess): Promise<Record<string, unknown>> {
    return (await this.accepting(type, from).validate(payload)) as Record<string, unknown>;
  }

  /**
   * The handler of `type`, if `from` may enqueue it; otherwise a ValidationFailed on
   * `typeField` (the request body's name for the type: `type` in POST /jobs, `jobType` in schedules).
   */
  accepting(type: string, from: JobAccess, typeField = 'type'): JobHandler {
    const handler = this.handlers.get(type);
    if (!handler) {
      throw new ValidationFailed(`unknown job type '${type}'`, [{ field: typeField, reason: `must be one of: ${this.types().join(', ')}` }]);
    }
    if (from === 'public' && handler.access !== 'public') {
      throw new ValidationFailed(`job type '${type}' is enqueued only by its own route`, [
        { field: typeField, reason: `not accepted here; must be one of: ${this.publicTypes().join(', ')}` },
      ]);
    }
    return handler;
  }

  /** The types POST /jobs and schedules accept. */
  publicTypes(): string[] {
    return this.types().filter((t) => this.handlers.get(t)!.access === 'public');
  }

  types(): string[] {
    return [...this.handlers.keys()].sort();
  }
}
