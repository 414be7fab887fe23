import { ConfigError } from '@seqcast/core';
import * as path from 'path';

/** Absolute paths of the plugin modules this process loaded, in load order. */
const loaded: string[] = [];

/**
 * Loads plugin modules (SEQCAST_PLUGINS): each registers its model kinds when imported
 * (`forecasterRegistry.register(definition)`, one line). They are remembered, so
 * runInWorkerThread loads the same modules in every worker thread before its task: a
 * kind known only to this process would be unknown where training and calibration run.
 * Loading a module twice is a no-op (the registries refuse a kind registered twice).
 */
export function loadPlugins(modulePaths: readonly string[]): void {
  for (const p of modulePaths) {
    const absolute = path.resolve(p);
    if (loaded.includes(absolute)) continue;
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      require(absolute);
    } catch (e) {
      throw new ConfigError([
        {
          field: 'SEQCAST_PLUGINS',
          reason: `${p} does not load: ${e instanceof Error ? e.message : String(e)}`,
        },
      ]);
    }
    loaded.push(absolute);
  }
}

/** The plugin modules loaded so far (what worker threads load too). */
export function loadedPlugins(): string[] {
  return [...loaded];
}
