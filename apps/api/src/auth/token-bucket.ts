/**
 * Token buckets: each caller has `burst` tokens at most, gets `rate` new ones a second, and
 * spends one per request. The arithmetic is shared by the memory store here and mirrored
 * by the Redis store's script (redis-buckets.ts); both keep a bucket as (tokens, time).
 */
export interface BucketLimits {
  /** Tokens added per second (the sustained requests per second). */
  rate: number;
  /** Most tokens a bucket holds (the largest burst). */
  burst: number;
}

export interface Bucket {
  tokens: number;
  /** When `tokens` was counted, ms. */
  at: number;
}

export interface Take {
  allowed: boolean;
  /** Whole tokens left after this request. */
  remaining: number;
  /** When refused: ms until a token is there (0 when allowed). */
  waitMs: number;
}

/** The bucket refilled for the time since it was counted, capped at `burst`. A missing bucket is full. */
export function refill(bucket: Bucket | undefined, now: number, limits: BucketLimits): Bucket {
  if (!bucket) return { tokens: limits.burst, at: now };
  const elapsed = Math.max(0, now - bucket.at);
  return { tokens: Math.min(limits.burst, bucket.tokens + (elapsed * limits.rate) / 1000), at: now };
}

/** Takes one token at `now`: the bucket after it, and the answer. */
export function takeToken(bucket: Bucket | undefined, now: number, limits: BucketLimits): { bucket: Bucket; take: Take } {
  const b = refill(bucket, now, limits);
  if (b.tokens >= 1) {
    b.tokens -= 1;
    return { bucket: b, take: { allowed: true, remaining: Math.floor(b.tokens), waitMs: 0 } };
  }
  return { bucket: b, take: { allowed: false, remaining: 0, waitMs: Math.ceil(((1 - b.tokens) * 1000) / limits.rate) } };
}

/** Where buckets live: this process's memory, or Redis shared by every api process. */
export interface BucketStore {
  take(id: string): Promise<Take>;
  close(): Promise<void>;
}

/**
 * Buckets in this process (no REDIS_URL: one api process). A periodic sweep drops the
 * buckets that have refilled to full: a full bucket is what a missing one means, so the
 * map holds only callers seen within the last burst/rate seconds.
 */
export class MemoryBuckets implements BucketStore {
  private readonly buckets = new Map<string, Bucket>();
  private readonly timer?: NodeJS.Timeout;

  constructor(
    private readonly limits: BucketLimits,
    private readonly now: () => number = Date.now,
    pruneEveryMs = 60_000,
  ) {
    if (pruneEveryMs > 0) {
      this.timer = setInterval(() => this.prune(), pruneEveryMs);
      this.timer.unref();
    }
  }

  async take(id: string): Promise<Take> {
    const { bucket, take } = takeToken(this.buckets.get(id), this.now(), this.limits);
    this.buckets.set(id, bucket);
    return take;
  }

  /** Drops every bucket that is full by now. */
  prune(): void {
    const now = this.now();
    for (const [id, b] of this.buckets) {
      if (refill(b, now, this.limits).tokens >= this.limits.burst) this.buckets.delete(id);
    }
  }

  get size(): number {
    return this.buckets.size;
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    this.buckets.clear();
  }
}
