// Preloaded into a child (NODE_OPTIONS=--require) to make it as hard to stop as PID 1 in a
// container: SIGTERM has no default action there (here: a handler that does nothing, so a
// re-raised signal is swallowed) and something may keep the event loop alive (a timer).
process.on('SIGTERM', () => undefined);
setInterval(() => undefined, 1 << 30);
