// A plugin module for plugins.spec: each load counts itself on the global object, where a
// real plugin would register a model kind.
const g = globalThis as { seqcastTestPluginLoads?: number };
g.seqcastTestPluginLoads = (g.seqcastTestPluginLoads ?? 0) + 1;

export {};
