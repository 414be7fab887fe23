import { Cancelled, EpochMetrics, ErrorDetail, ProgressFn, SeqcastError, WorkContext } from '@seqcast/core';
import * as path from 'path';
import { Worker } from 'worker_threads';
import { configuredKernels } from '../kernels/configure-kernels';
import { loadedPlugins } from './plugins';

/**
 * Runs `exportName(input, ctx)` from `modulePath` in a worker thread, so CPU-heavy work
 * (training) never blocks the caller's event loop (the HTTP server). The function gets
 * a WorkContext whose progress calls are forwarded to `onProgress` and whose signal
 * aborts when the caller's does. Its result must be structured-cloneable.
 *
 * Errors come back with their message, and SeqcastErrors keep code, status and details.
 * Cancellation first asks the task to stop (its signal aborts, so the Trainer throws
 * Cancelled at the next step) and terminates the thread if it has not stopped within
 * `cancelGraceMs`.
 *
 * A `.ts` module path (tests, benchmarks) is compiled on the fly by ts-hook.js; built
 * code passes the compiled `.js` path.
 *
 * The thread runs its kernels as this process was configured to (configureKernels): it is
 * handed the settings rather than reading the environment again. It loads the plugin
 * modules this process loaded (loadPlugins) before the task, so the task's registries know
 * the same kinds.
 */
export interface WorkerThreadOptions {
  signal?: AbortSignal;
  onProgress?: ProgressFn;
  /** How long a cancelled task may take to stop before the thread is terminated (default 2000 ms). */
  cancelGraceMs?: number;
  /** Extra environment for the thread (default: the parent's). */
  env?: Record<string, string>;
}

/** The shape a task module exports. */
export type WorkerTask<I, O> = (input: I, ctx: WorkContext) => O | Promise<O>;

interface SerializedError {
  name: string;
  message: string;
  code?: string;
  status?: number;
  details?: ErrorDetail[];
  stack?: string;
}

type WorkerMessage =
  | { type: 'progress'; fraction: number; message?: string; metrics?: EpochMetrics }
  | { type: 'result'; result: unknown }
  | { type: 'error'; error: SerializedError };

// Plain JavaScript run with `eval: true`, so no loader is needed to start the thread.
const BOOTSTRAP = `
const { parentPort, workerData } = require('worker_threads');
const { modulePath, exportName, input, hookPath, kernelsPath, kernels, plugins } = workerData;
const controller = new AbortController();
parentPort.on('message', (m) => { if (m && m.type === 'cancel') controller.abort('cancelled'); });
function serialize(e) {
  if (!(e instanceof Error)) return { name: 'Error', message: String(e) };
  return { name: e.name, message: e.message, code: e.code, status: e.status, details: e.details, stack: e.stack };
}
(async () => {
  try {
    if (hookPath) require(hookPath).register();
    require(kernelsPath).configureKernels(kernels);
    for (const plugin of plugins) require(plugin);
    const mod = require(modulePath);
    const fn = mod[exportName];
    if (typeof fn !== 'function') throw new Error('Worker task ' + exportName + ' is not exported by ' + modulePath);
    const ctx = {
      signal: controller.signal,
      progress: (fraction, message, metrics) => parentPort.postMessage({ type: 'progress', fraction, message, metrics }),
    };
    const result = await fn(input, ctx);
    parentPort.postMessage({ type: 'result', result });
  } catch (e) {
    parentPort.postMessage({ type: 'error', error: serialize(e) });
  }
  parentPort.close();
})();
`;

function rebuildError(e: SerializedError): Error {
  if (e.code === 'cancelled') return new Cancelled(e.message);
  let err: Error;
  if (e.code && typeof e.status === 'number') {
    err = new SeqcastError(e.code, e.message, e.status, e.details ?? []);
  } else {
    err = new Error(e.message);
  }
  err.name = e.name;
  if (e.stack) err.stack = `${e.stack}\n    --- in worker thread ---`;
  return err;
}

export function runInWorkerThread<I, O>(
  modulePath: string,
  exportName: string,
  input: I,
  options: WorkerThreadOptions = {},
): Promise<O> {
  const absolute = path.resolve(modulePath);
  // the module the task's kernels read their settings from: .ts beside this .ts, .js when built
  const kernelsPath = path.join(__dirname, '..', 'kernels', `configure-kernels${path.extname(__filename)}`);
  const plugins = loadedPlugins();
  const hookPath = [absolute, kernelsPath, ...plugins].some((p) => p.endsWith('.ts'))
    ? path.join(__dirname, 'ts-hook.js')
    : undefined;
  return new Promise<O>((resolve, reject) => {
    if (options.signal?.aborted) {
      reject(new Cancelled());
      return;
    }
    const worker = new Worker(BOOTSTRAP, {
      eval: true,
      workerData: {
        modulePath: absolute,
        exportName,
        input,
        hookPath,
        kernelsPath,
        kernels: configuredKernels(),
        plugins,
      },
      env: options.env ? { ...process.env, ...options.env } : process.env,
    });
    let settled = false;
    let killTimer: NodeJS.Timeout | undefined;
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      if (killTimer) clearTimeout(killTimer);
      options.signal?.removeEventListener('abort', onAbort);
      fn();
    };
    const onAbort = () => {
      worker.postMessage({ type: 'cancel' });
      killTimer = setTimeout(() => {
        finish(() => reject(new Cancelled('cancelled (worker terminated)')));
        void worker.terminate();
      }, options.cancelGraceMs ?? 2000);
    };
    options.signal?.addEventListener('abort', onAbort, { once: true });
    worker.on('message', (m: WorkerMessage) => {
      if (m.type === 'progress') options.onProgress?.(m.fraction, m.message, m.metrics);
      else if (m.type === 'result') finish(() => resolve(m.result as O));
      else if (m.type === 'error') finish(() => reject(rebuildError(m.error)));
    });
    worker.on('error', (e) => finish(() => reject(e)));
    worker.on('exit', (code) => {
      finish(() =>
        reject(
          options.signal?.aborted
            ? new Cancelled()
            : new Error(`Worker thread exited with code ${code} before returning a result`),
        ),
      );
    });
  });
}
