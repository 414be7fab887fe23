import {
  JsonArrayTooLong,
  PayloadTooLarge,
  TURN_CHARS,
  Turns,
  UnsupportedMediaType,
  ValidationFailed,
  parseJsonInTurns,
} from '@seqcast/core';
import { raw } from 'express';
import type { ErrorRequestHandler, Request, RequestHandler } from 'express';

/** Bodies up to this size go to JSON.parse at once (a few milliseconds at most). */
const PARSE_AT_ONCE_BYTES = 256 * 1024;

/** A malformed body, as body-parser tells it: a 400 the error filter shows as `bad_request`. */
function parseFailed(message: string): Error {
  return Object.assign(new SyntaxError(message), { status: 400, type: 'entity.parse.failed' });
}

/**
 * The longest array a route takes in its JSON body, and its refusal of a longer one, named
 * by the array's field (`context`, `contexts[1]`; `body` for a top-level array) and length.
 */
export interface ArrayCap {
  max: number;
  tooLong: (field: string, length: number) => Error;
}

/**
 * The text of a JSON body as JSON.parse would return it, in turns when it is big: JSON.parse
 * of a 28 MB body (a forecast context of 6 M numbers) held the event loop for a third of a
 * second or more, and every request, /health included, waited. Like body-parser's strict
 * mode only an object or an array is taken, and an empty body is `{}`. With a `cap`, a big
 * body's array longer than `cap.max` is refused while it is parsed, its elements never built
 * (a small body is cheap to parse whole, and its route refuses it the same way).
 */
async function parseBody(text: string, cap: ArrayCap | undefined): Promise<unknown> {
  const first = /\S/.exec(text);
  if (!first) return {};
  if (first[0] !== '{' && first[0] !== '[')
    throw parseFailed(`the body is not a JSON object or array: it starts with ${JSON.stringify(first[0])}`);
  try {
    return text.length <= PARSE_AT_ONCE_BYTES
      ? JSON.parse(text)
      : await parseJsonInTurns(text, { maxArrayLength: cap?.max });
  } catch (e) {
    if (e instanceof JsonArrayTooLong && cap) throw cap.tooLong(e.path || 'body', e.length);
    throw parseFailed((e as Error).message);
  }
}

/**
 * The app's JSON body parser, in place of body-parser's `json`: the body is read by
 * body-parser's raw reader (MAX_JSON_BYTES, Content-Encoding, the same errors), then parsed
 * by `parseBody`, with the array cap `arrayCap` gives for the request, if any. Requests
 * `streams` says read their own body (uploads) are left unread. The function is named
 * `jsonParser` on purpose: Nest adds its own JSON parser at start-up unless a middleware by
 * that name is already there.
 */
export function jsonBodyParser(
  maxBytes: number,
  streams: (req: Request) => boolean,
  arrayCap: (req: Request) => ArrayCap | undefined = () => undefined,
): RequestHandler {
  const read = raw({ type: 'application/json', limit: maxBytes });
  return function jsonParser(req, res, next) {
    if (streams(req)) return next();
    read(req, res, (err?: unknown) => {
      if (err) return next(err);
      if (!Buffer.isBuffer(req.body)) return next(); // not JSON, or no body
      const charset = /;\s*charset=([^;\s]+)/i
        .exec(req.headers['content-type'] ?? '')?.[1]
        ?.toLowerCase()
        .replace(/"/g, '');
      if (charset && charset !== 'utf-8' && charset !== 'utf8') {
        next(
          new UnsupportedMediaType(`JSON bodies are read as UTF-8, not ${charset}`, [
            { field: 'content-type', reason: `charset ${charset} is not supported; send UTF-8` },
          ]),
        );
        return;
      }
      parseBody((req.body as Buffer).toString('utf8'), arrayCap(req)).then((body) => {
        req.body = body;
        next();
      }, next);
    });
  };
}

/**
 * How deep `value` nests arrays and objects (a scalar is 0, `{}` is 1), counted with an
 * explicit stack rather than recursion, so that a hostile body cannot overflow the call
 * stack here. Stops as soon as `limit` is passed and returns `limit + 1` then: the caller
 * only needs to know that the limit was passed, and the walk need not finish. Every value
 * is visited, so the walk gives the event loop a turn every TURN_CHARS of them (a context
 * of 6 M numbers took a quarter of a second in one go).
 */
export async function jsonDepth(value: unknown, limit: number): Promise<number> {
  if (value === null || typeof value !== 'object') return 0;
  const turns = new Turns(TURN_CHARS);
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
    await turns.add(children.length);
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
    if (body === null || typeof body !== 'object') return next();
    jsonDepth(body, maxDepth).then((depth) => {
      if (depth <= maxDepth) return next();
      const reason = `nested deeper than ${maxDepth} levels of arrays and objects`;
      next(
        new ValidationFailed(`request body too deep: ${reason} (MAX_JSON_DEPTH)`, [
          { field: 'body', reason },
        ]),
      );
    }, next);
  };
}

/** The JSON parser's "too large" error, told in the API's words: which limit and which setting. */
export function jsonTooLarge(maxBytes: number): ErrorRequestHandler {
  return (err: unknown, _req, _res, next) => {
    if ((err as { type?: unknown } | null)?.type === 'entity.too.large') {
      const reason = `larger than ${maxBytes} bytes`;
      next(
        new PayloadTooLarge(`request body too large: ${reason} (MAX_JSON_BYTES)`, [
          { field: 'body', reason },
        ]),
      );
      return;
    }
    next(err);
  };
}
