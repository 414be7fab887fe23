import { setImmediate as nextTurn } from 'node:timers/promises';

/**
 * Gives the event loop a turn after every `every` units of work (characters parsed, rows
 * made, values checked), so that a big upload being parsed does not keep /health and every
 * other request waiting. Socket reads alone do not: once a fast client has filled the
 * buffers, each read resolves at once and the parse loop never lets go.
 *
 * Hot loops ask `due(n)` (a counter, no promise) and await `turn()` only when it says so.
 */
export class Turns {
  private since = 0;

  constructor(private readonly every: number) {}

  /** Counts `n` units; true when a turn is owed. */
  due(n = 1): boolean {
    this.since += n;
    return this.since >= this.every;
  }

  /** Lets the event loop run what is waiting (timers, I/O callbacks), then goes on. */
  async turn(): Promise<void> {
    this.since = 0;
    await nextTurn();
  }

  /** `due(n)` and, if so, `turn()`. */
  async add(n: number): Promise<void> {
    if (this.due(n)) await this.turn();
  }
}

/**
 * Text scanned between two turns: 256 KiB is a few milliseconds of character-by-character
 * work (the JSON walk, line splitting) on a loaded machine.
 */
export const TURN_CHARS = 1 << 18;
/** Rows built (parsed, converted, pushed into a batch) between two turns. */
export const TURN_ROWS = 4096;
