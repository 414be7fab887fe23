import { ConfigError } from '@seqcast/core';
import * as path from 'path';
import { loadedPlugins, loadPlugins } from './plugins';
import { runInWorkerThread } from './run-in-worker-thread';

const plugin = path.join(__dirname, '..', 'testing', 'worker-plugin.ts');
const probe = path.join(__dirname, '..', 'testing', 'worker-plugin-probe.ts');
const loadsHere = () => (globalThis as { seqcastTestPluginLoads?: number }).seqcastTestPluginLoads ?? 0;

describe('plugins', () => {
  it('are loaded once here and again in every worker thread before its task', async () => {
    expect(await runInWorkerThread(probe, 'pluginLoads', {})).toBe(0);
    loadPlugins([plugin]);
    expect(loadsHere()).toBe(1);
    // the same module named again, relative to the working directory: not loaded twice
    loadPlugins([path.relative(process.cwd(), plugin)]);
    expect(loadsHere()).toBe(1);
    expect(loadedPlugins()).toEqual([plugin]);
    expect(await runInWorkerThread(probe, 'pluginLoads', {})).toBe(1);
    expect(await runInWorkerThread(probe, 'pluginLoads', {})).toBe(1);
  }, 30000);

  it('a module that does not load stops the boot, naming SEQCAST_PLUGINS', () => {
    let error: unknown;
    try {
      loadPlugins([path.join(__dirname, 'no-such-plugin.js')]);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).details).toEqual([
      { field: 'SEQCAST_PLUGINS', reason: expect.stringContaining('no-such-plugin.js does not load') },
    ]);
    expect(loadedPlugins()).toEqual([plugin]);
  });
});
