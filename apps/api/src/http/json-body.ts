import { PayloadTooLarge, ValidationFailed } from '@seqcast/core';
import type { ErrorRequestHandler, RequestHandler } from 'express';

/**
 * How deep `value` nests arrays and objects (a scalar is 0, `{}` is 1), counted with an
 * explicit stack rather than recursion, so that a hostile body cannot overflow the call
 * stack here. Stops as soon as `limit` is passed and returns `limit + 1` then: the caller
 * only needs to know that the limit was passed, and the walk need not finish.
 */
export function jsonDepth(value: unknown, limit: number): number {
  if (value === null || typeof value !== 'object') return 0;
  const stack: Array<[object, number]> = [[value, 1]];
  let deepest = 1;
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (depth > deepest) {
      deepest = depth;
      if (deepest > limit) return deepest;
    }
    const children = Array.isArray(node) ? node : Object.values(node);
    for (const child of children) {
      if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
    }
  }
  return deepest;
}

/**
 * Refuses a parsed JSON body nested deeper than `maxDepth` before any pipe sees it: the
 * DTO transformation and validation recurse once per level, and 10 000 levels overflowed
 * the stack (a 500). Runs right after the JSON parser, on every route.
 */
export function jsonDepthGuard(maxDepth: number): RequestHandler {
  return (req, _res, next) => {
    const body: unknown = req.body;
    if (body !== null && typeof body === 'object' && jsonDepth(body, maxDepth) > maxDepth) {
      const reason = `nested deeper than ${maxDepth} levels of arrays and objects`;
      next(
        new ValidationFailed(`request body too deep: ${reason} (MAX_JSON_DEPTH)`, [{ field: 'body', reason }]),
      );
      return;
    }
    next();
  };
}

/** The JSON parser's "too large" error, told in the API's words: which limit and which setting. */
export function jsonTooLarge(maxBytes: number): ErrorRequestHandler {
  return (err: unknown, _req, _res, next) => {
    if ((err as { type?: unknown } | null)?.type === 'entity.too.large') {
      const reason = `larger than ${maxBytes} bytes`;
      next(new PayloadTooLarge(`request body too large: ${reason} (MAX_JSON_BYTES)`, [{ field: 'body', reason }]));
      return;
    }
    next(err);
  };
}
