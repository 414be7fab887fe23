import { TURN_CHARS, Turns } from './turns';

/** Values whose text is at most this long are handed to JSON.parse whole (well under a millisecond each). */
const SLICE_CHARS = 64 * 1024;
/** Members of a big object added between two turns. */
const MEMBERS_PER_TURN = 2048;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const COMMA = 0x2c;
const COLON = 0x3a;

const isSpace = (c: number) => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;

export interface JsonInTurnsOptions {
  /** Arrays and objects nested deeper than this around values bigger than a slice are refused. */
  maxDepth?: number;
  turns?: Turns;
  /**
   * Told the member count of a big object as it grows, to throw when it is over a limit (a
   * row of two million keys: the importer's 1 000 columns are known long before its end).
   */
  onMembers?: (count: number) => void;
}

/**
 * JSON.parse for big texts without holding the event loop: JSON.parse of 30 MB takes a
 * third of a second or more, and /health waits meanwhile. Arrays and objects longer than
 * a slice (64 KiB) are walked here, their elements grouped into runs of at most a slice
 * that JSON.parse reads natively (`[` + run + `]`), with a turn given to the event loop
 * after every MiB. The result is what JSON.parse would return, `__proto__` keys included
 * as plain own properties; errors are SyntaxErrors naming the character position.
 */
export async function parseJsonInTurns(text: string, options: JsonInTurnsOptions = {}): Promise<unknown> {
  const parser = new Parser(
    text,
    options.turns ?? new Turns(TURN_CHARS),
    options.maxDepth ?? 1000,
    options.onMembers ?? (() => undefined),
  );
  const value = await parser.value(0);
  parser.end();
  return value;
}

class Parser {
  private pos = 0;

  constructor(
    private readonly s: string,
    private readonly turns: Turns,
    private readonly maxDepth: number,
    private readonly onMembers: (count: number) => void,
  ) {}

  async value(depth: number): Promise<unknown> {
    this.space();
    const start = this.pos;
    const end = this.endWithin(start, SLICE_CHARS);
    if (end >= 0) {
      this.pos = end;
      await this.turns.add(end - start);
      return this.native(start, end, '', '');
    }
    const c = this.s.charCodeAt(start);
    if (c !== OPEN_ARRAY && c !== OPEN_OBJECT) {
      // a scalar over a slice: one long string
      const stop = this.scalarEnd(start);
      this.pos = stop;
      await this.turns.add(stop - start);
      return this.native(start, stop, '', '');
    }
    if (depth >= this.maxDepth) throw this.error(`nested deeper than ${this.maxDepth} levels`, start);
    return c === OPEN_ARRAY ? this.array(depth + 1) : this.object(depth + 1);
  }

  /** After the top value only white space may follow. */
  end(): void {
    this.space();
    if (this.pos < this.s.length) throw this.error('unexpected text after the JSON value', this.pos);
  }

  private async array(depth: number): Promise<unknown[]> {
    const out: unknown[] = [];
    this.pos++; // [
    this.space();
    if (this.s.charCodeAt(this.pos) === CLOSE_ARRAY) {
      this.pos++;
      return out;
    }
    // a run of small elements not yet parsed: [runStart, runEnd)
    let runStart = -1;
    let runEnd = -1;
    const flush = async () => {
      if (runStart < 0) return;
      const parsed = this.native(runStart, runEnd, '[', ']') as unknown[];
      for (const v of parsed) out.push(v);
      await this.turns.add(runEnd - runStart);
      runStart = -1;
    };
    for (;;) {
      this.space();
      const start = this.pos;
      const end = this.endWithin(start, SLICE_CHARS);
      if (end === start) throw this.error('a value was expected', start);
      if (end >= 0) {
        if (runStart < 0) runStart = start;
        runEnd = end;
        this.pos = end;
        if (runEnd - runStart >= SLICE_CHARS) await flush();
      } else {
        await flush();
        out.push(await this.value(depth));
      }
      this.space();
      const c = this.s.charCodeAt(this.pos);
      this.pos++;
      if (c === COMMA) continue;
      if (c === CLOSE_ARRAY) {
        await flush();
        return out;
      }
      throw this.error("',' or ']' was expected", this.pos - 1);
    }
  }

  private async object(depth: number): Promise<Record<string, unknown>> {
    const out: Record<string, unknown> = {};
    let members = 0;
    this.pos++; // {
    this.space();
    if (this.s.charCodeAt(this.pos) === CLOSE_OBJECT) {
      this.pos++;
      return out;
    }
    for (;;) {
      this.space();
      const keyStart = this.pos;
      if (this.s.charCodeAt(keyStart) !== QUOTE) throw this.error('a property name was expected', keyStart);
      this.pos = this.scalarEnd(keyStart);
      const key = this.native(keyStart, this.pos, '', '') as string;
      this.space();
      if (this.s.charCodeAt(this.pos) !== COLON) throw this.error("':' was expected", this.pos);
      this.pos++;
      // defined, not assigned: a "__proto__" key is data, as with JSON.parse, never the prototype
      Object.defineProperty(out, key, {
        value: await this.value(depth),
        enumerable: true,
        writable: true,
        configurable: true,
      });
      this.onMembers(++members);
      // a member costs far more than its characters (an object of a million keys is seconds)
      if (members % MEMBERS_PER_TURN === 0) await this.turns.turn();
      this.space();
      const c = this.s.charCodeAt(this.pos);
      this.pos++;
      if (c === COMMA) continue;
      if (c === CLOSE_OBJECT) return out;
      throw this.error("',' or '}' was expected", this.pos - 1);
    }
  }

  /** JSON.parse of s[start, end) between `before` and `after`, its errors placed in the whole text. */
  private native(start: number, end: number, before: string, after: string): unknown {
    try {
      return JSON.parse(before + this.s.slice(start, end) + after);
    } catch (e) {
      // JSON.parse counts positions from the slice's start
      const where = start === 0 && before === '' ? '' : ` (in the text from character ${start})`;
      throw new SyntaxError(`${(e as Error).message}${where}`);
    }
  }

  /**
   * Where the value starting at `from` ends, if within `limit` characters; -1 otherwise.
   * Only strings and brackets are followed (JSON.parse checks the rest), so this is a
   * quick scan, and a value that is too long costs at most `limit` characters of it.
   */
  private endWithin(from: number, limit: number): number {
    const s = this.s;
    const c0 = s.charCodeAt(from);
    if (c0 !== OPEN_ARRAY && c0 !== OPEN_OBJECT) {
      const end = this.scalarEnd(from);
      return end - from <= limit ? end : -1;
    }
    const stop = Math.min(s.length, from + limit);
    let depth = 0;
    for (let i = from; i < stop; i++) {
      const c = s.charCodeAt(i);
      if (c === QUOTE) {
        i = this.stringEnd(i, stop) - 1;
        if (i < 0) return -1;
      } else if (c === OPEN_ARRAY || c === OPEN_OBJECT) depth++;
      else if (c === CLOSE_ARRAY || c === CLOSE_OBJECT) {
        if (--depth === 0) return i + 1;
      }
    }
    return -1;
  }

  /** The end of a string, number or literal starting at `from` (a string to its closing quote). */
  private scalarEnd(from: number): number {
    const s = this.s;
    if (s.charCodeAt(from) === QUOTE) {
      const end = this.stringEnd(from, s.length);
      if (end < 0) throw this.error('a string is not closed', from);
      return end;
    }
    let i = from;
    for (; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c === COMMA || c === CLOSE_ARRAY || c === CLOSE_OBJECT || isSpace(c)) break;
    }
    return i;
  }

  /** The index after the closing quote of the string opening at `from`, or -1 before `stop`. */
  private stringEnd(from: number, stop: number): number {
    const s = this.s;
    for (let i = from + 1; i < stop; i++) {
      const c = s.charCodeAt(i);
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) return i + 1;
    }
    return -1;
  }

  private space(): void {
    while (this.pos < this.s.length && isSpace(this.s.charCodeAt(this.pos))) this.pos++;
  }

  private error(reason: string, at: number): SyntaxError {
    return new SyntaxError(`${reason} (at character ${at})`);
  }
}
