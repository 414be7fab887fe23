import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';

export const ROLES = ['api', 'worker', 'all'] as const;
export type Role = (typeof ROLES)[number];
export const TF_BACKENDS = ['auto', 'tensorflow', 'webgpu', 'wasm', 'cpu'] as const;
export type TfBackendName = (typeof TF_BACKENDS)[number];
/** `auto`: the widest instruction set the CPU has; a narrower name tests that build on a wider CPU. */
export const NATIVE_ISAS = ['auto', 'avx512', 'avx2', 'base'] as const;
export type NativeIsa = (typeof NATIVE_ISAS)[number];
export const AUTH_MODES = ['off', 'required'] as const;
export type AuthMode = (typeof AUTH_MODES)[number];
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export const REQUEST_LOG_MODES = ['all', 'errors'] as const;

const toInt = ({ value }: { value: unknown }) =>
  typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : value;
const toList = ({ value }: { value: unknown }) =>
  typeof value === 'string'
    ? value
        .split(',')
        .map((p) => p.trim())
        .filter((p) => p.length > 0)
    : value;
const toBool = ({ value }: { value: unknown }) =>
  value === 'true' || value === '1' ? true : value === 'false' || value === '0' ? false : value;

/**
 * Every setting seqcast reads, one environment variable each. The defaults give the
 * embedded mode: SQLite and files under `var/`, in-process jobs, one process doing
 * everything. `docs` in README.md lists the same table.
 */
export class AppConfig {
  /** Which parts this process runs: HTTP API, job worker, or both. */
  @IsIn(ROLES)
  ROLE: Role = 'all';

  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT = 3000;

  /** Loopback by default, so the embedded mode is reachable only from this machine and needs no key (see AUTH). */
  @IsString()
  HOST = '127.0.0.1';

  /**
   * A worker's Prometheus endpoint (GET /metrics on HOST at this port): job runs, queue
   * depth, job progress, memory, event-loop lag. 0: none (the api's /metrics has the rest).
   */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(65535)
  WORKER_METRICS_PORT = 0;

  /**
   * `required`: every route but /health and /docs needs an API key. `off`: none does, which
   * is allowed only while HOST is a loopback address. Unset: off on loopback, required otherwise.
   */
  @IsOptional()
  @IsIn(AUTH_MODES)
  AUTH?: AuthMode;

  /**
   * Sustained requests per second allowed to one API key (or, with AUTH off, one client
   * address): a token bucket refilled at this rate, holding RATE_LIMIT_BURST. 0: no limit.
   */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  RATE_LIMIT_RPS = 50;

  /** Most requests one key (or address) may make at once before RATE_LIMIT_RPS paces it. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  RATE_LIMIT_BURST = 100;

  /** Root of everything written to disk in the embedded mode. */
  @IsString()
  DATA_DIR = 'var';

  /** PostgreSQL URL; when unset, SQLite at SQLITE_PATH. */
  @IsOptional()
  @Matches(/^postgres(ql)?:\/\/.+/, { message: 'must be a postgres:// or postgresql:// URL' })
  DATABASE_URL?: string;

  /** SQLite file; defaults to `<DATA_DIR>/seqcast.db`. `:memory:` for throwaway runs. */
  @IsOptional()
  @IsString()
  SQLITE_PATH?: string;

  /** Redis URL; when set, jobs go through BullMQ and schedules through BullMQ job schedulers. */
  @IsOptional()
  @Matches(/^rediss?:\/\/.+/, { message: 'must be a redis:// or rediss:// URL' })
  REDIS_URL?: string;

  /** BullMQ queue name (lets several deployments share one Redis). */
  @IsString()
  @Matches(/^[A-Za-z0-9_-]+$/, { message: 'only letters, digits, _ and -' })
  QUEUE_NAME = 'seqcast';

  /** Jobs run at once by one worker process. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(64)
  JOBS_CONCURRENCY = 1;

  /** Attempts per job before it is recorded as failed (a killed worker costs one). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(20)
  JOBS_ATTEMPTS = 3;

  /** BullMQ lock duration; a worker that dies loses its job's lock after this and another worker retries it. */
  @Transform(toInt)
  @IsInt()
  @Min(500)
  JOBS_LOCK_MS = 30000;

  /**
   * How often a worker compares unfinished job rows with the BullMQ queue and re-delivers
   * those the queue no longer holds (Redis restarted without persistence or was flushed).
   */
  @Transform(toInt)
  @IsInt()
  @Min(100)
  JOBS_RECONCILE_INTERVAL_MS = 30000;

  /** How long shutdown waits for running jobs before handing them back to the queue. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  SHUTDOWN_GRACE_MS = 10000;

  /** Shortest gap allowed between two fires of one schedule; a cron that fires more often is refused. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  SCHEDULE_MIN_INTERVAL_S = 60;

  /** Stored forecasts older than this many days are deleted by the api's sweep; 0 keeps them forever. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  FORECAST_RETENTION_DAYS = 0;

  /** Finished jobs (succeeded, failed, cancelled) older than this many days are deleted; 0 keeps them forever. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  JOB_RETENTION_DAYS = 0;

  /** How often the api runs the retention sweep, ms (only when a retention setting is above 0). */
  @Transform(toInt)
  @IsInt()
  @Min(100)
  RETENTION_SWEEP_INTERVAL_MS = 60 * 60 * 1000;

  @IsIn(LOG_LEVELS)
  LOG_LEVEL: (typeof LOG_LEVELS)[number] = 'info';

  /**
   * Which answered requests get a request log line: `all`, or `errors` (status 400 and above,
   * and failures) for high request rates: a line per request otherwise, whose formatting and
   * write to stdout were ~8% of the api's CPU under forecast load (docs/benchmarks.md).
   */
  @IsIn(REQUEST_LOG_MODES)
  REQUEST_LOG: (typeof REQUEST_LOG_MODES)[number] = 'all';

  /**
   * When the api is saturated, how long (ms) one event-loop turn may spend starting requests
   * before the rest wait a turn each, so new connections keep being accepted; 0: no limit.
   */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  REQUEST_TURN_BUDGET_MS = 10;

  /** tfjs backend for training and inference (see docs/benchmarks.md for what auto picks). */
  @IsIn(TF_BACKENDS)
  TF_BACKEND: TfBackendName = 'auto';

  /**
   * Training steps between checkpoints inside an epoch (one is also written at every epoch end
   * and on cancel); 0: epoch ends only. A killed or handed-back train job resumes from the last.
   */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  TRAIN_CHECKPOINT_STEPS = 50;

  /** Whether the optional native kernels run (where built); off, the WebAssembly kernels do. */
  @Transform(toBool)
  @IsBoolean()
  SEQCAST_NATIVE = true;

  /** The native kernels' instruction set: at most this one (the CPU may have less). */
  @IsIn(NATIVE_ISAS)
  SEQCAST_NATIVE_ISA: NativeIsa = 'auto';

  /**
   * Threads the native kernels split large calls over (gemm, the FFTs and convolutions, the
   * event models' passes; results identical for any count); 0: every CPU the process may use.
   */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(1024)
  SEQCAST_THREADS = 0;

  /** Largest accepted upload, bytes. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  MAX_UPLOAD_BYTES = 2 * 1024 * 1024 * 1024;

  /**
   * Lease of an upload's temporary files: their writer renews it every few seconds, and a
   * sweep (at start, then periodically, in every process) removes only files whose lease
   * is older than this, the leftovers of a crashed or killed upload.
   */
  @Transform(toInt)
  @IsInt()
  @Min(1000)
  UPLOAD_LEASE_TTL_MS = 5 * 60 * 1000;

  /** Largest accepted JSON request body, bytes (uploads have MAX_UPLOAD_BYTES). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  MAX_JSON_BYTES = 50 * 1024 * 1024;

  /**
   * Deepest nesting of arrays and objects accepted in a JSON request body. The request
   * validation recurses once per level, so the maximum keeps that recursion far from the
   * stack's end.
   */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1000)
  MAX_JSON_DEPTH = 64;

  /**
   * Most values a forecast request's `context` (or each array of `contexts`) may hold. Checked
   * on the array's length before any value is validated: validating millions of numbers one
   * by one stalled the event loop for seconds, and the model reads only its lookback anyway.
   */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  MAX_CONTEXT_VALUES = 100_000;

  /**
   * Largest CSV field, UTF-8 bytes. An upload is refused (413 naming row and column) as soon
   * as a field passes it, while streaming: an unfinished record is held in memory and
   * re-parsed as chunks arrive, so without a bound one huge field took close to a minute.
   */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  CSV_MAX_FIELD_BYTES = 1024 * 1024;

  /** Largest CSV record (a line, or several when a quoted field holds line breaks), UTF-8 bytes. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  CSV_MAX_LINE_BYTES = 4 * 1024 * 1024;

  /**
   * Origins (`https://app.example.com`, comma-separated) whose pages may call the API:
   * they get CORS headers and may write. Empty: no CORS headers at all, and a write that
   * carries any other site's `Origin` is refused with 403.
   */
  @Transform(toList)
  @Matches(/^https?:\/\/[^/\s]+$/, { each: true, message: 'each must be an origin such as https://app.example.com' })
  CORS_ORIGINS: string[] = [];

  /** Trained models kept loaded (LRU), so a forecast request does not reload weights. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(10000)
  MODEL_CACHE_SIZE = 16;

  /**
   * Modules that register model kinds beyond the zoo (comma-separated paths, relative to
   * the working directory). Each is loaded at boot and in every worker thread before its
   * task, so a plugin kind is created, trained, calibrated and served like a built-in one.
   */
  @Transform(toList)
  @IsString({ each: true })
  SEQCAST_PLUGINS: string[] = [];

  /** Load a small real dataset on first start so a new user sees data at once. */
  @Transform(toBool)
  @IsBoolean()
  SEQCAST_DEMO_DATA = true;
}
