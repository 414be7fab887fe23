import type { IncomingMessage, Server, ServerResponse } from 'http';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * Shares the event loop between requests and new connections when the api is saturated.
 * libuv (since 1.45, Node 20) accepts one connection per event-loop turn, and a turn that
 * starts a request for every ready socket lasts as long as all of them: with 200 busy
 * keep-alive connections on one core a turn took around a second, so new connections waited
 * in the kernel's accept queue for up to 10 s and clients gave up. Here a turn starts requests
 * until it has spent `budgetMs`; later ones queue and start in order, one per turn, each turn
 * accepting a connection first. Below saturation nothing waits. Request bodies stay unread
 * (paused) in the queue.
 */
export function requestTurns(server: Server, budgetMs: number): void {
  const handlers = server.listeners('request') as Handler[];
  server.removeAllListeners('request');
  const queue: Array<[IncomingMessage, ServerResponse]> = [];
  let turnStart = -1;
  let scheduled = false;
  const start = (req: IncomingMessage, res: ServerResponse) => {
    for (const h of handlers) h.call(server, req, res);
  };
  const spent = () => {
    const now = performance.now();
    if (turnStart < 0) {
      turnStart = now;
      // the turn's mark is cleared at its check phase, so the next turn counts afresh
      setImmediate(() => (turnStart = -1));
    }
    return now - turnStart;
  };
  // Runs in a check phase: starts the oldest queued request (its work runs right after), and
  // leaves the next one to the next turn: an immediate queued in a check phase runs after the
  // next poll, where a waiting connection is accepted.
  const drain = () => {
    const [req, res] = queue.shift()!;
    start(req, res);
    if (queue.length > 0) setImmediate(drain);
    else scheduled = false;
  };
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    if (queue.length === 0 && spent() < budgetMs) return start(req, res);
    queue.push([req, res]);
    if (!scheduled) {
      scheduled = true;
      setImmediate(drain);
    }
  });
}
