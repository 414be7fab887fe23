import { CanActivate, ExecutionContext, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AppConfig, authRequired, SeqcastError } from '@seqcast/core';
import { ApiKeyScope, ApiKeyView, scopeCovers } from '@seqcast/db';
import type { Request } from 'express';
import { VerifiedKeys } from './verified-keys';

const SCOPE_KEY = 'seqcast:scope';
const PUBLIC_KEY = 'seqcast:public';

/** A route needing more than its method implies (key management needs admin). */
export const RequireScope = (scope: ApiKeyScope) => SetMetadata(SCOPE_KEY, scope);
/** A route anyone may call (health checks from load balancers and orchestrators). */
export const PublicRoute = () => SetMetadata(PUBLIC_KEY, true);

export class Unauthorized extends SeqcastError {
  constructor(message: string) {
    super('unauthorized', message, 401);
  }
}
export class Forbidden extends SeqcastError {
  constructor(message: string) {
    super('forbidden', message, 403);
  }
}

/** A request whose key the guard verified (the rate limit counts it against that key). */
export interface KeyedRequest extends Request {
  apiKey?: ApiKeyView;
}

/** Whether a route is marked public (health checks: no key, no rate limit). */
export function isPublicRoute(reflector: Reflector, ctx: ExecutionContext): boolean {
  return reflector.getAllAndOverride<boolean>(PUBLIC_KEY, [ctx.getHandler(), ctx.getClass()]) === true;
}

/** `Authorization: Bearer <key>` or `X-Api-Key: <key>`; undefined when neither is sent. */
function presentedKey(req: Request): string | undefined {
  const auth = req.headers.authorization;
  if (typeof auth === 'string') {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(auth);
    if (m) return m[1];
  }
  const header = req.headers['x-api-key'];
  return typeof header === 'string' && header.trim() ? header.trim() : undefined;
}

/**
 * Checks the API key of every controller route when AUTH is required. Reads need `read`,
 * every other method `write`, unless the route asks for more. The Swagger UI and its JSON
 * are mounted outside Nest's routing and stay public: they describe, they expose no data.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  private readonly required: boolean;

  constructor(
    private readonly reflector: Reflector,
    private readonly keys: VerifiedKeys,
    config: AppConfig,
  ) {
    this.required = authRequired(config);
  }

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    if (!this.required || ctx.getType() !== 'http') return true;
    if (isPublicRoute(this.reflector, ctx)) return true;
    const targets = [ctx.getHandler(), ctx.getClass()];
    const req = ctx.switchToHttp().getRequest<KeyedRequest>();
    const key = presentedKey(req);
    if (!key) throw new Unauthorized('an API key is required: send Authorization: Bearer <key> or X-Api-Key: <key>');
    const found = await this.keys.verify(key);
    if (!found) throw new Unauthorized('unknown or revoked API key');
    const method = req.method.toUpperCase();
    const needed: ApiKeyScope =
      this.reflector.getAllAndOverride<ApiKeyScope>(SCOPE_KEY, targets) ??
      (method === 'GET' || method === 'HEAD' || method === 'OPTIONS' ? 'read' : 'write');
    if (!scopeCovers(found.scopes, needed)) {
      throw new Forbidden(`this key (${found.prefix}) lacks the ${needed} scope (it has: ${found.scopes.join(', ')})`);
    }
    req.apiKey = found;
    return true;
  }
}
