import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { api, ApiError, onKeyChange } from './api';
import { FINISHED, type Job } from './types';

export interface Loaded<T> {
  data: T | undefined;
  error: ApiError | Error | undefined;
  loading: boolean;
  reload: () => void;
}

/** Loads `path` (null: nothing yet) and again whenever it changes, the API key changes or `reload` is called. */
export function useApi<T>(path: string | null): Loaded<T> {
  const [state, setState] = useState<{ data?: T; error?: ApiError | Error; loading: boolean }>({
    loading: path !== null,
  });
  const [tick, setTick] = useState(0);
  useEffect(() => {
    if (path === null) return;
    const ctl = new AbortController();
    setState((s) => ({ ...s, loading: true }));
    api<T>(path, { signal: ctl.signal })
      .then((data) => setState({ data, loading: false }))
      .catch((error: Error) => {
        if (!ctl.signal.aborted) setState({ error, loading: false });
      });
    return () => ctl.abort();
  }, [path, tick]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  // a key entered (or forgotten) in the shell: what was refused without it is asked again
  useEffect(() => onKeyChange(reload), [reload]);
  return { data: state.data, error: state.error, loading: state.loading, reload };
}

/** Calls `fn` every `ms` while `active`; the first call at once. */
export function usePolling(fn: () => Promise<unknown> | void, ms: number, active: boolean): void {
  const saved = useRef(fn);
  saved.current = fn;
  useEffect(() => {
    if (!active) return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const tick = async () => {
      try {
        await saved.current();
      } finally {
        if (!stopped) timer = setTimeout(tick, ms);
      }
    };
    void tick();
    return () => {
      stopped = true;
      if (timer) clearTimeout(timer);
    };
  }, [ms, active]);
}

/**
 * Follows a job (set it with the setter once the API has queued it): its state polled every
 * `ms` until it finishes, then `onFinished` once with the final state.
 */
export function useFollowedJob(ms: number, onFinished: (job: Job) => void) {
  const [job, setJob] = useState<Job | undefined>();
  usePolling(
    async () => {
      if (!job) return;
      const next = await api<Job>(`/jobs/${job.id}`);
      setJob(next);
      if (FINISHED.includes(next.status)) onFinished(next);
    },
    ms,
    job !== undefined && !FINISHED.includes(job.status),
  );
  return [job, setJob] as const;
}
