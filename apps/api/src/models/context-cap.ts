import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { AppConfig, PayloadTooLarge } from '@seqcast/core';
import { ForecastService } from '@seqcast/models';
import type { Request } from 'express';
import type { Observable } from 'rxjs';
import type { ArrayCap } from '../http/json-body';

/** The 413 for a context array longer than MAX_CONTEXT_VALUES, naming it, its length and the setting. */
export function contextTooLong(field: string, length: number, max: number): PayloadTooLarge {
  const reason = `${length} values; at most ${max} (MAX_CONTEXT_VALUES)`;
  return new PayloadTooLarge(`${field} too long: ${reason}`, [{ field, reason }]);
}

/** POST /models/:id/forecast (Express matches paths without regard to case). */
const FORECAST_PATH = /^\/models\/[^/]+\/forecast\/?$/i;

/**
 * The JSON parser's array cap (json-body.ts): MAX_CONTEXT_VALUES on a forecast body, none
 * elsewhere. A context longer than that is refused by the interceptor below whatever the
 * model, so refusing it while it is parsed refuses nothing more, with the same 413, and
 * spares building millions of values (a context of 6 M numbers held /health 200 ms when V8
 * grew the array). `quantiles`, the body's one other array, meets the same cap: 100 000
 * levels is no forecast anyone reads. No cap elsewhere, for no global one is only a refusal
 * of what is refused anyway: event histories (predict, generate), seq2seq inputs' steps and
 * inline evaluation data have no length limit of their own; uploads (datasets, observations)
 * stream past the parser; the other arrays are short lists.
 */
export function forecastArrayCap(max: number): (req: Request) => ArrayCap | undefined {
  const cap: ArrayCap = { max, tooLong: (field, length) => contextTooLong(field, length, max) };
  return (req) => (req.method === 'POST' && FORECAST_PATH.test(req.path) ? cap : undefined);
}

/** The first `context`/`contexts[i]` field of `body` longer than `max` values, or undefined. */
export function overCapContext(body: unknown, max: number): { field: string; length: number } | undefined {
  if (body === null || typeof body !== 'object') return undefined;
  const { context, contexts, contextTimes } = body as {
    context?: unknown;
    contexts?: unknown;
    contextTimes?: unknown;
  };
  if (Array.isArray(context) && context.length > max) return { field: 'context', length: context.length };
  if (Array.isArray(contextTimes) && contextTimes.length > max)
    return { field: 'contextTimes', length: contextTimes.length };
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
 * Cuts `context` and each `contexts[i]` of `body` to their last `keep` values, in place, and
 * `contextTimes` with them when it has one time per value (a mismatch is left for the
 * forecast to refuse, not hidden by the cut). Returns how many values the longest one had,
 * or 0 when nothing was cut.
 */
export function cutContexts(body: unknown, keep: number): number {
  if (body === null || typeof body !== 'object') return 0;
  const b = body as { context?: unknown; contexts?: unknown; contextTimes?: unknown };
  const first = Array.isArray(b.context) ? b.context : Array.isArray(b.contexts) ? b.contexts[0] : undefined;
  if (Array.isArray(b.contextTimes) && Array.isArray(first) && b.contextTimes.length === first.length)
    b.contextTimes = b.contextTimes.slice(Math.max(0, first.length - keep));
  let longest = 0;
  const cut = (v: unknown) => {
    if (!Array.isArray(v) || v.length <= keep) return v;
    longest = Math.max(longest, v.length);
    return v.slice(v.length - keep);
  };
  if (Array.isArray(b.context)) b.context = cut(b.context);
  if (Array.isArray(b.contexts)) b.contexts = b.contexts.map(cut);
  return longest;
}

/**
 * Bounds the work a forecast's context can cause before the validation pipe sees it
 * (interceptors run before pipes; the pipe's per-value `@IsNumber` over a multi-million-value
 * array is what blocked the event loop, while a length check costs nothing):
 * - longer than MAX_CONTEXT_VALUES: refused (413), whatever the model;
 * - for a series the model was trained on, longer than its lookback: cut to the last
 *   `lookback` values, the only ones it reads (the scale is the one kept from training), so
 *   the values before them would change nothing but the cost. A series the model never saw
 *   is scaled by its whole context, so that is kept (up to MAX_CONTEXT_VALUES), and its
 *   per-value check is a plain loop (the DTO's IsFiniteNumbers), not class-validator's.
 */
@Injectable()
export class ContextCapInterceptor implements NestInterceptor {
  constructor(
    private readonly config: AppConfig,
    private readonly forecasts: ForecastService,
  ) {}

  async intercept(ctx: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    const req = ctx.switchToHttp().getRequest<Request>();
    const max = this.config.MAX_CONTEXT_VALUES;
    const over = overCapContext(req.body, max);
    if (over) throw contextTooLong(over.field, over.length, max);
    const body = req.body as { seriesKey?: unknown; context?: unknown; contexts?: unknown } | undefined;
    const { id } = req.params;
    if (body && (Array.isArray(body.context) || Array.isArray(body.contexts)) && typeof id === 'string') {
      const keep = await this.forecasts.historyRead(
        id,
        typeof body.seriesKey === 'string' ? body.seriesKey : undefined,
      );
      if (Number.isFinite(keep)) cutContexts(body, keep);
    }
    return next.handle();
  }
}
