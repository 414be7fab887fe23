/** What a process shuts down on a signal: a Nest application or application context. */
export interface Closable {
  close(): Promise<void>;
}

export interface ExitOnSignalsOptions {
  /** SHUTDOWN_GRACE_MS: how long running work may take to finish. */
  graceMs: number;
  /** Beyond the grace, time to hand work back and close connections before the exit is forced. */
  marginMs?: number;
  signals?: NodeJS.Signals[];
  /** For tests; the default is process.exit. */
  exit?: (code: number) => void;
  log?: (message: string) => void;
}

const SIGNAL_CODES: Partial<Record<NodeJS.Signals, number>> = { SIGHUP: 1, SIGINT: 2, SIGTERM: 15 };

/**
 * On SIGTERM or SIGINT: closes `target` (graceful shutdown), then ends the process with an
 * explicit exit. Re-raising the signal (what Nest's shutdown hooks do) is not enough: as
 * PID 1 in a container a signal without a handler does nothing, and a lingering handle would
 * keep the process alive until SIGKILL. If closing takes longer than the grace plus a margin,
 * the process exits anyway (code 1); a second signal exits at once (128 + signal number).
 */
export function exitOnShutdownSignals(target: Closable, options: ExitOnSignalsOptions): () => void {
  const signals = options.signals ?? ['SIGTERM', 'SIGINT'];
  const exit = options.exit ?? ((code: number) => process.exit(code));
  const log = options.log ?? ((m: string) => console.error(m));
  const deadlineMs = options.graceMs + (options.marginMs ?? 5000);
  let shuttingDown = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (shuttingDown) {
      log(`seqcast: ${signal} again, exiting without waiting for shutdown`);
      exit(128 + (SIGNAL_CODES[signal] ?? 0));
      return;
    }
    shuttingDown = true;
    log(`seqcast: ${signal}, shutting down (at most ${deadlineMs} ms)`);
    // Ref'd on purpose: this timer is what ends a shutdown that hangs.
    const deadline = setTimeout(() => {
      log(`seqcast: shutdown took longer than ${deadlineMs} ms, exiting`);
      exit(1);
    }, deadlineMs);
    target.close().then(
      () => {
        clearTimeout(deadline);
        exit(0);
      },
      (e: unknown) => {
        clearTimeout(deadline);
        log(`seqcast: shutdown failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
        exit(1);
      },
    );
  };
  for (const s of signals) process.on(s, onSignal);
  return () => {
    for (const s of signals) process.removeListener(s, onSignal);
  };
}
