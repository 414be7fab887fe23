import { DiscoveryService, Reflector } from '@nestjs/core';
import { AppConfig, loadConfig } from '@seqcast/core';
import { openDatabase } from '@seqcast/db';
import { DataSource } from 'typeorm';
import { JobHandlerRegistry } from '../job-handler-registry';

/** The job system's own database, migrated, in memory: unit specs need no PostgreSQL or Redis. */
export async function memoryDatabase(
  env: Record<string, string> = {},
): Promise<{ ds: DataSource; config: AppConfig }> {
  const config = loadConfig({ SQLITE_PATH: ':memory:', ...env });
  return { ds: await openDatabase(config), config };
}

/** A registry booted over these providers, as Nest's discovery would hand them over. */
export function registryOf(...providers: object[]): JobHandlerRegistry {
  const discovery = {
    getProviders: () => providers.map((instance) => ({ instance, metatype: instance.constructor })),
  };
  const registry = new JobHandlerRegistry(discovery as unknown as DiscoveryService, new Reflector());
  registry.onModuleInit();
  return registry;
}

/** Resolves when `check` holds, polling (jobs run on their own timers). */
export async function eventually(check: () => Promise<boolean>, ms = 5000): Promise<void> {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}
