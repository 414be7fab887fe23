import { createServer, IncomingMessage, ServerResponse } from 'http';
import { requestTurns } from './request-turns';

/** Busy for `ms` (a request's CPU work). */
function busy(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until);
}

describe('requestTurns', () => {
  it('starts requests at once until the turn has spent its budget, then one per turn, in order', async () => {
    const started: Array<{ id: number; turn: number }> = [];
    let turn = 0;
    let ticking = true;
    // counts event-loop turns: an immediate queued from a check phase runs in the next turn
    const tick = () => {
      turn++;
      if (ticking) setImmediate(tick);
    };
    setImmediate(tick);
    const server = createServer((req) => {
      started.push({ id: Number(req.url), turn });
      busy(4);
    });
    requestTurns(server, 10);
    const fake = (i: number) => [{ url: String(i) } as IncomingMessage, {} as ServerResponse] as const;
    // eight requests ready in one turn (one poll phase)
    for (let i = 0; i < 8; i++) server.emit('request', ...fake(i));
    const direct = started.length;
    // each takes at least 4 ms, so a 10 ms budget starts at most three (fewer if the machine is slow)
    expect(direct).toBeGreaterThanOrEqual(1);
    expect(direct).toBeLessThanOrEqual(3);
    while (started.length < 8) await new Promise((r) => setImmediate(r));
    ticking = false;
    expect(started.map((s) => s.id)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    const queued = started.slice(direct).map((s) => s.turn);
    // one queued request per turn
    expect(new Set(queued).size).toBe(queued.length);
  });

  it('starts every request at once while turns stay under budget', () => {
    const seen: string[] = [];
    const server = createServer((req) => void seen.push(req.url!));
    requestTurns(server, 1000);
    for (let i = 0; i < 5; i++) server.emit('request', { url: String(i) } as IncomingMessage, {} as ServerResponse);
    expect(seen).toEqual(['0', '1', '2', '3', '4']);
  });
});
