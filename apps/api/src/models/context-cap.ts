import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { AppConfig, PayloadTooLarge } from '@seqcast/core';
import type { Request } from 'express';
import type { Observable } from 'rxjs';

/** The first `context`/`contexts[i]` field of `body` longer than `max` values, or undefined. */
export function overCapContext(body: unknown, max: number): { field: string; length: number } | undefined {
  if (body === null || typeof body !== 'object') return undefined;
  const { context, contexts } = body as { context?: unknown; contexts?: unknown };
  if (Array.isArray(context) && context.length > max) return { field: 'context', length: context.length };
  if (Array.isArray(contexts)) {
    // `contexts` holds one array per target channel, so its own length is bounded by the
    // same cap; each channel is then checked on its length only (no per-value work here).
    if (contexts.length > max) return { field: 'contexts', length: contexts.length };
    for (let i = 0; i < contexts.length; i++) {
      const ch: unknown = contexts[i];
      if (Array.isArray(ch) && ch.length > max) return { field: `contexts[${i}]`, length: ch.length };
    }
  }
  return undefined;
}

/**
 * Refuses a forecast whose context is longer than MAX_CONTEXT_VALUES before the validation
 * pipe sees it. Interceptors run before pipes, and the pipe's per-value `@IsNumber` over a
 * multi-million-value array is what blocked the event loop; a length check costs nothing.
 */
@Injectable()
export class ContextCapInterceptor implements NestInterceptor {
  constructor(private readonly config: AppConfig) {}

  intercept(ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    const max = this.config.MAX_CONTEXT_VALUES;
    const over = overCapContext(ctx.switchToHttp().getRequest<Request>().body, max);
    if (over) {
      const reason = `${over.length} values; at most ${max} (MAX_CONTEXT_VALUES)`;
      throw new PayloadTooLarge(`${over.field} too long: ${reason}`, [{ field: over.field, reason }]);
    }
    return next.handle();
  }
}
