import { useState } from 'preact/hooks';
import { api } from './api';
import { usePolling } from './hooks';

export interface Polled<T> {
  /** The answer for the current path; undefined until it came (a new path's old answer is not shown). */
  data: T | undefined;
  error: unknown;
  /** When the newest answer (for any path) came, in ms: a running job's duration is counted to it. */
  at: number;
  /** Whether any answer came yet. */
  loaded: boolean;
  /** Asks again now (after an action changed what the list shows). */
  reload: () => Promise<void>;
}

/**
 * GET `path` every `ms` while `keepPolling(data)` says so (a list of jobs or evaluations while
 * any runs). Each answer is kept with the path it answers, so a list whose filters just changed
 * shows no rows of the old filters.
 */
export function usePolledApi<T>(
  path: string,
  ms: number,
  keepPolling: (data: T | undefined) => boolean = () => true,
): Polled<T> {
  const [answer, setAnswer] = useState<{ path: string; data: T; at: number } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const data = answer?.path === path ? answer.data : undefined;
  const reload = async () => {
    try {
      setAnswer({ path, data: await api<T>(path), at: Date.now() });
      setError(null);
    } catch (e) {
      setError(e);
    }
  };
  usePolling(reload, ms, keepPolling(data));
  return { data, error, at: answer?.at ?? 0, loaded: answer !== null, reload };
}
