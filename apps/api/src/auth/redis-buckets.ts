import { Logger } from '@nestjs/common';
import IORedis, { Redis } from 'ioredis';
import { BucketLimits, BucketStore, Take } from './token-bucket';

/**
 * takeToken (token-bucket.ts) in one script, so that refill, take and write are one atomic
 * step however many api processes share the bucket. Time is Redis's own (TIME), not each
 * process's clock, so that skewed clocks neither mint nor lose tokens. The key expires once
 * it would have refilled to full: a missing bucket is a full one.
 * KEYS[1]: the bucket; ARGV: rate (tokens/s), burst. Returns {allowed 0|1, whole tokens left, wait ms}.
 */
const TAKE_TOKEN = `
local rate = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local b = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(b[1])
local at = tonumber(b[2])
if tokens == nil or at == nil then
  tokens = burst
  at = now
end
tokens = math.min(burst, tokens + math.max(0, now - at) * rate / 1000)
local allowed = 0
local wait = 0
if tokens >= 1 then
  tokens = tokens - 1
  allowed = 1
else
  wait = math.ceil((1 - tokens) * 1000 / rate)
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
redis.call('PEXPIRE', KEYS[1], math.ceil((burst - tokens) * 1000 / rate) + 1000)
return {allowed, math.floor(tokens), wait}
`;

type TakeTokenCommand = (key: string, rate: number, burst: number) => Promise<[number, number, number]>;

/** How long a request waits on Redis before it is let through without a count. */
const COMMAND_TIMEOUT_MS = 250;
const WARN_EVERY_MS = 10_000;

/**
 * Buckets in Redis (REDIS_URL): every api process counts against the same bucket. When
 * Redis does not answer, requests are let through uncounted ("fail open") with a warning
 * logged at most every 10 s: a rate limit protects the API, it must not take it down with
 * Redis. The connection neither queues commands while away nor retries them, so a request
 * waits COMMAND_TIMEOUT_MS at most.
 */
export class RedisBuckets implements BucketStore {
  private readonly logger = new Logger('RateLimit');
  private readonly redis: Redis;
  private lastWarning = 0;

  constructor(
    url: string,
    private readonly limits: BucketLimits,
    /** Prefix of the keys (the queue name: deployments sharing a Redis stay apart). */
    private readonly namespace: string,
  ) {
    this.redis = new IORedis(url, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      commandTimeout: COMMAND_TIMEOUT_MS,
      lazyConnect: true,
      // Closing a connection that already failed still waits this long for its stream (2 s by default).
      disconnectTimeout: 500,
    });
    this.redis.defineCommand('takeToken', { numberOfKeys: 1, lua: TAKE_TOKEN });
    this.redis.on('error', (e: Error) => this.warn(`redis: ${e.message}`));
  }

  /** Connects (a boot with Redis away is not an error: requests pass uncounted until it is back). */
  async connect(): Promise<void> {
    await this.redis.connect().catch((e: unknown) => this.warn(`redis: ${String(e)}`));
  }

  async take(id: string): Promise<Take> {
    try {
      const [allowed, remaining, waitMs] = await (this.redis as unknown as { takeToken: TakeTokenCommand }).takeToken(
        `${this.namespace}:ratelimit:${id}`,
        this.limits.rate,
        this.limits.burst,
      );
      return { allowed: allowed === 1, remaining, waitMs };
    } catch (e) {
      this.warn(`could not count a request against its rate limit, let through: ${e instanceof Error ? e.message : String(e)}`);
      return { allowed: true, remaining: this.limits.burst, waitMs: 0 };
    }
  }

  async close(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }

  private warn(message: string): void {
    const now = Date.now();
    if (now - this.lastWarning < WARN_EVERY_MS) return;
    this.lastWarning = now;
    this.logger.warn(message);
  }
}
