import { Injectable, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import { ConfigError } from '@seqcast/core';
import { SleepJobHandler } from './diagnostic/sleep.handler';
import { HandlesJob, JobHandler } from './job-handler';
import { JobHandlerRegistry } from './job-handler-registry';
import { declareJobType, isDeclaredJobType } from './job-types';

const ECHO = declareJobType('test.echo', 'returns its payload');
const ORPHAN = declareJobType(
  'test.orphan',
  'declared, and handled only where a test provides OrphanHandler',
);

@Injectable()
@HandlesJob(ECHO)
class EchoHandler implements JobHandler {
  readonly access = 'public';
  validate(p: Record<string, unknown>) {
    return p;
  }
  async run(p: Record<string, unknown>) {
    return p;
  }
}

@Injectable()
@HandlesJob(ORPHAN)
class OrphanHandler implements JobHandler {
  readonly access = 'internal';
  validate(p: Record<string, unknown>) {
    return p;
  }
  async run() {
    return null;
  }
}

@Injectable()
@HandlesJob(ECHO)
class SecondEchoHandler extends EchoHandler {}

/** A handler written before payloads were validated: it would run whatever reaches it. */
@Injectable()
@HandlesJob(ORPHAN)
class UncheckedOrphanHandler {
  async run() {
    return null;
  }
}

/** A service that is not a handler: the registry passes it by. */
@Injectable()
class PlainService {}

/** Boots a Nest application context with these providers and the registry, as JobsModule does. */
async function boot(...providers: (new (...args: never[]) => object)[]) {
  @Module({
    imports: [DiscoveryModule],
    providers: [JobHandlerRegistry, SleepJobHandler, PlainService, ...providers],
  })
  class TestModule {}
  const moduleRef = await Test.createTestingModule({ imports: [TestModule] }).compile();
  await moduleRef.init();
  return moduleRef;
}

async function bootError(...providers: (new (...args: never[]) => object)[]): Promise<ConfigError> {
  const err = await boot(...providers).then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ConfigError);
  return err as ConfigError;
}

describe('JobHandlerRegistry', () => {
  it('fails the boot naming every declared job type that has no handler', async () => {
    const err = await bootError(EchoHandler);
    expect(err.details).toEqual([{ field: ORPHAN, reason: 'declared job type has no handler' }]);
  });

  it('fails the boot when two providers handle one type', async () => {
    const err = await bootError(EchoHandler, SecondEchoHandler, OrphanHandler);
    expect(err.details).toEqual([{ field: ECHO, reason: 'job type has two handlers' }]);
  });

  it('fails the boot when a handler declares no payload validation', async () => {
    const err = await bootError(EchoHandler, UncheckedOrphanHandler);
    expect(err.details).toEqual([{ field: ORPHAN, reason: 'job handler declares no payload validation (validate, access)' }]);
  });

  it('validates a payload by its handler, and refuses internal types to public callers', async () => {
    const moduleRef = await boot(EchoHandler, OrphanHandler);
    const registry = moduleRef.get(JobHandlerRegistry);
    expect(registry.publicTypes()).toEqual(['diagnostic.sleep', ECHO]);
    expect(await registry.validate(ECHO, { x: 1 }, 'public')).toEqual({ x: 1 });
    await expect(registry.validate(ORPHAN, {}, 'public')).rejects.toMatchObject({ details: [{ field: 'type' }] });
    expect(await registry.validate(ORPHAN, {}, 'internal')).toEqual({});
    await expect(registry.validate('diagnostic.sleep', { steps: 0, nap: true }, 'public')).rejects.toMatchObject({
      details: [
        { field: 'nap', reason: 'unknown field' },
        { field: 'steps', reason: 'must be at least 1' },
      ],
    });
    await moduleRef.close();
  });

  it('boots when every declared type has one handler, and finds each by its type', async () => {
    const moduleRef = await boot(EchoHandler, OrphanHandler);
    const registry = moduleRef.get(JobHandlerRegistry);
    expect(registry.types()).toEqual(['diagnostic.sleep', ECHO, ORPHAN]);
    expect(registry.get(ECHO)).toBe(moduleRef.get(EchoHandler));
    expect(await registry.get(ECHO)!.run({ x: 1 }, undefined as never)).toEqual({ x: 1 });
    expect(registry.get('test.undeclared')).toBeUndefined();
    expect(isDeclaredJobType('test.undeclared')).toBe(false);
    await moduleRef.close();
  });
});
