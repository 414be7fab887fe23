import { CanActivate, ExecutionContext, Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AppConfig, SeqcastError } from '@seqcast/core';
import type { Response } from 'express';
import { isPublicRoute, KeyedRequest } from './api-key.guard';
import { RedisBuckets } from './redis-buckets';
import { BucketStore, MemoryBuckets } from './token-bucket';

export class RateLimited extends SeqcastError {
  constructor(message: string) {
    super('rate_limited', message, 429);
  }
}

/**
 * Per-caller token buckets (RATE_LIMIT_RPS sustained, RATE_LIMIT_BURST at once): a caller is
 * its API key when the key guard verified one (the guard before this one), otherwise its
 * address (AUTH=off, on a loopback HOST). In Redis when REDIS_URL is set, so that every api
 * replica counts against one bucket; in memory otherwise. Public routes (/health, for load
 * balancers) are not counted. Over the limit: 429 with Retry-After in whole seconds.
 */
@Injectable()
export class RateLimitGuard implements CanActivate, OnModuleInit, OnModuleDestroy {
  private readonly store?: BucketStore;
  private readonly limit: string;

  constructor(
    private readonly reflector: Reflector,
    private readonly config: AppConfig,
  ) {
    const limits = { rate: config.RATE_LIMIT_RPS, burst: config.RATE_LIMIT_BURST };
    this.limit = `${limits.rate} requests/s, bursts of ${limits.burst}`;
    if (limits.rate === 0) return; // off
    this.store = config.REDIS_URL ? new RedisBuckets(config.REDIS_URL, limits, config.QUEUE_NAME) : new MemoryBuckets(limits);
  }

  async onModuleInit(): Promise<void> {
    if (this.store instanceof RedisBuckets) await this.store.connect();
  }

  async onModuleDestroy(): Promise<void> {
    await this.store?.close();
  }

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    if (!this.store || ctx.getType() !== 'http' || isPublicRoute(this.reflector, ctx)) return true;
    const req = ctx.switchToHttp().getRequest<KeyedRequest>();
    const res = ctx.switchToHttp().getResponse<Response>();
    const take = await this.store.take(req.apiKey ? `key:${req.apiKey.id}` : `ip:${req.ip ?? 'unknown'}`);
    res.setHeader('RateLimit-Limit', String(this.config.RATE_LIMIT_BURST));
    res.setHeader('RateLimit-Remaining', String(take.remaining));
    if (take.allowed) return true;
    const seconds = Math.max(1, Math.ceil(take.waitMs / 1000));
    res.setHeader('Retry-After', String(seconds));
    const caller = req.apiKey ? `API key ${req.apiKey.prefix}` : `client ${req.ip ?? 'unknown'}`;
    throw new RateLimited(`${caller} is over its rate limit of ${this.limit} (RATE_LIMIT_RPS, RATE_LIMIT_BURST); retry after ${seconds} s`);
  }
}
