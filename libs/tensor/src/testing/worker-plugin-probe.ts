/** Worker task for plugins.spec: how many times the thread loaded worker-plugin.ts before this task. */
export function pluginLoads(): number {
  return (globalThis as { seqcastTestPluginLoads?: number }).seqcastTestPluginLoads ?? 0;
}
