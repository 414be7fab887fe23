import { TURN_CHARS, Turns } from './turns';

/** Values whose text is at most this long are handed to JSON.parse whole (well under a millisecond each). */
const SLICE_CHARS = 64 * 1024;
/**
 * The most elements an array parsed natively can hold: its text fits in a slice, and k
 * elements take at least 2k + 1 characters (`[1,1]`), so a limit at or above it needs no
 * walk over what JSON.parse returned.
 */
const NATIVE_MAX_ELEMENTS = (SLICE_CHARS - 1) >> 1;
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
  /**
   * Arrays longer than this are refused (JsonArrayTooLong) as soon as one more element
   * begins: the elements after it are counted, never built. A JS array of 6 M numbers cost a
   * 200 ms step when V8 grew its store, for a body its route then refused for its length.
   */
  maxArrayLength?: number;
  turns?: Turns;
  /**
   * Told the member count of a big object as it grows, to throw when it is over a limit (a
   * row of two million keys: the importer's 1 000 columns are known long before its end).
   */
  onMembers?: (count: number) => void;
}

/**
 * An array longer than `maxArrayLength`. `path` names it as API errors name fields
 * (`context`, `contexts[1]`, `history.times`; '' for the top-level array); `length` is its
 * element count, counted by a scan of its text without building the elements.
 */
export class JsonArrayTooLong extends Error {
  constructor(
    readonly path: string,
    readonly limit: number,
    readonly length: number,
  ) {
    super(`${path || 'the top-level array'} holds ${length} elements; at most ${limit}`);
    this.name = 'JsonArrayTooLong';
  }
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
  const parser = new Parser(text, {
    turns: options.turns ?? new Turns(TURN_CHARS),
    maxDepth: options.maxDepth ?? 1000,
    maxArrayLength: options.maxArrayLength ?? Infinity,
    onMembers: options.onMembers ?? (() => undefined),
  });
  const value = await parser.value(0, '');
  parser.end();
  return value;
}

/** A step of the walk over a natively parsed value: the value, and how it was reached. */
interface Step {
  v: object;
  up?: Step;
  key?: string | number;
}

/** `path` and then `key`, as API errors name fields: `a.b`, `a[3]`. */
const child = (path: string, key: string | number) =>
  typeof key === 'number' ? `${path}[${key}]` : path ? `${path}.${key}` : key;

class Parser {
  private pos = 0;
  private readonly turns: Turns;
  private readonly maxDepth: number;
  private readonly maxArrayLength: number;
  private readonly onMembers: (count: number) => void;
  /** Whether natively parsed values need a walk for maxArrayLength: a slice can hold longer arrays. */
  private readonly walks: boolean;

  constructor(
    private readonly s: string,
    limits: { turns: Turns; maxDepth: number; maxArrayLength: number; onMembers: (count: number) => void },
  ) {
    this.turns = limits.turns;
    this.maxDepth = limits.maxDepth;
    this.maxArrayLength = limits.maxArrayLength;
    this.onMembers = limits.onMembers;
    this.walks = this.maxArrayLength < NATIVE_MAX_ELEMENTS;
  }

  /** The value at the current position; `path` names it in a JsonArrayTooLong. */
  async value(depth: number, path: string): Promise<unknown> {
    this.space();
    const start = this.pos;
    const end = this.endWithin(start, SLICE_CHARS);
    if (end >= 0) {
      this.pos = end;
      await this.turns.add(end - start);
      const parsed = this.native(start, end, '', '');
      if (this.walks) this.check(parsed, path);
      return parsed;
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
    return c === OPEN_ARRAY ? this.array(depth + 1, path) : this.object(depth + 1, path);
  }

  /** After the top value only white space may follow. */
  end(): void {
    this.space();
    if (this.pos < this.s.length) throw this.error('unexpected text after the JSON value', this.pos);
  }

  private async array(depth: number, path: string): Promise<unknown[]> {
    const out: unknown[] = [];
    let count = 0; // elements met, built or still in the run
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
      if (this.walks) parsed.forEach((v, k) => this.check(v, `${path}[${out.length + k}]`));
      for (const v of parsed) out.push(v);
      await this.turns.add(runEnd - runStart);
      runStart = -1;
    };
    for (;;) {
      this.space();
      const start = this.pos;
      const end = this.endWithin(start, SLICE_CHARS);
      if (end === start) throw this.error('a value was expected', start);
      if (count === this.maxArrayLength)
        throw new JsonArrayTooLong(path, this.maxArrayLength, count + (await this.elementsFrom(start)));
      count++;
      if (end >= 0) {
        if (runStart < 0) runStart = start;
        runEnd = end;
        this.pos = end;
        if (runEnd - runStart >= SLICE_CHARS) await flush();
      } else {
        await flush();
        out.push(await this.value(depth, `${path}[${count - 1}]`));
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

  private async object(depth: number, path: string): Promise<Record<string, unknown>> {
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
        value: await this.value(depth, child(path, key)),
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

  /**
   * Elements of the array whose element starts at `from`, counted from there to its closing
   * bracket: commas outside inner strings and brackets, one more than that. Nothing is built
   * and nothing but strings and brackets is checked; a turn is given every slice.
   */
  private async elementsFrom(from: number): Promise<number> {
    const s = this.s;
    let depth = 0;
    let commas = 0;
    let i = from;
    while (i < s.length) {
      const since = i;
      const stop = Math.min(s.length, i + SLICE_CHARS);
      for (; i < stop; i++) {
        const c = s.charCodeAt(i);
        if (c === QUOTE) {
          const end = this.stringEnd(i, s.length);
          if (end < 0) throw this.error('a string is not closed', i);
          i = end - 1;
        } else if (c === OPEN_ARRAY || c === OPEN_OBJECT) depth++;
        else if (c === CLOSE_ARRAY || c === CLOSE_OBJECT) {
          if (depth-- === 0) return commas + 1;
        } else if (c === COMMA && depth === 0) commas++;
      }
      await this.turns.add(i - since);
    }
    throw this.error('an array is not closed', from);
  }

  /**
   * Refuses `value` (from JSON.parse of at most a slice) if one of its arrays is longer than
   * maxArrayLength; called only when `walks`. The walk keeps its own stack, as a slice may
   * nest thousands of levels.
   */
  private check(value: unknown, path: string): void {
    if (value === null || typeof value !== 'object') return;
    const stack: Step[] = [{ v: value }];
    // pushed last to first, so that arrays are met in the order of the text
    const push = (item: unknown, up: Step, key: string | number) => {
      if (item !== null && typeof item === 'object') stack.push({ v: item, up, key });
    };
    while (stack.length > 0) {
      const step = stack.pop()!;
      const { v } = step;
      if (Array.isArray(v)) {
        if (v.length > this.maxArrayLength)
          throw new JsonArrayTooLong(pathOf(path, step), this.maxArrayLength, v.length);
        for (let k = v.length - 1; k >= 0; k--) push(v[k], step, k);
      } else {
        const keys = Object.keys(v);
        for (let k = keys.length - 1; k >= 0; k--)
          push((v as Record<string, unknown>)[keys[k]], step, keys[k]);
      }
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

/** The path of the value `step` reached, below `path`. */
function pathOf(path: string, step: Step): string {
  const keys: Array<string | number> = [];
  for (let s: Step | undefined = step; s?.up; s = s.up) keys.push(s.key!);
  return keys.reverse().reduce<string>(child, path);
}
