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
 * Text scanned between two turns: 128 KiB is a millisecond or two of character-by-character
 * work (the JSON walk, line splitting), a few on a loaded machine.
 */
export const TURN_CHARS = 1 << 17;
/**
 * Rows built (parsed, converted, pushed into a batch) between two turns: 2 048 .tsf rows are
 * about 1.5 ms (0.75 us a row), a margin for a machine shared with other work.
 */
export const TURN_ROWS = 2048;
