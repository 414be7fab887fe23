import { ValidationFailed } from '@seqcast/core';

/**
 * The tail of one series' stream, per channel, with absolute time indices (time 0 = the first
 * value given to `start`). Appends must continue the stream exactly (a gap or a repeat is
 * refused, nothing changes); reads of times not yet observed throw, so no adaptation step can
 * see a label before it exists. Keeps the newest `keep` values.
 */
export class StreamHistory {
  private values: Float64Array[];
  /** time index of values[c][0] */
  private first = 0;
  private nextTime = 0;

  constructor(
    readonly channels: number,
    readonly keep: number,
  ) {
    this.values = Array.from({ length: channels }, () => new Float64Array(0));
  }

  /** Time index of the next value. */
  get next(): number {
    return this.nextTime;
  }

  /** Oldest time still held. */
  get oldest(): number {
    return this.first;
  }

  /** Appends values[c][k] at times at + k. ValidationFailed (field `at` or `values`) and no change when they do not continue the stream. */
  append(values: ReadonlyArray<ArrayLike<number>>, at: number): void {
    if (values.length !== this.channels)
      throw new ValidationFailed(`${values.length} channels of values; the stream has ${this.channels}`, [
        { field: 'values', reason: `one array per channel (${this.channels})` },
      ]);
    const n = values[0]?.length ?? 0;
    if (n < 1 || values.some((v) => v.length !== n))
      throw new ValidationFailed('values must have the same length >= 1 in every channel', [
        { field: 'values', reason: 'equal, non-empty lengths per channel' },
      ]);
    for (let c = 0; c < values.length; c++)
      for (let k = 0; k < n; k++)
        if (!Number.isFinite(values[c][k]))
          throw new ValidationFailed(`values[${c}][${k}] is not a finite number`, [
            { field: `values[${c}][${k}]`, reason: 'finite numbers only' },
          ]);
    if (!Number.isInteger(at) || at !== this.nextTime) {
      const why =
        at < this.nextTime
          ? `time ${at} was already observed (the stream is at ${this.nextTime}): a repeat`
          : `time ${at} leaves a gap (the stream is at ${this.nextTime})`;
      throw new ValidationFailed(`observation out of order: ${why}`, [
        { field: 'at', reason: `must be ${this.nextTime}, the next time of the stream` },
      ]);
    }
    const held = this.nextTime - this.first;
    const total = held + n;
    const drop = Math.max(0, total - this.keep);
    this.values = this.values.map((old, c) => {
      const out = new Float64Array(total - drop);
      const fromOld = old.subarray(drop > held ? held : drop);
      out.set(fromOld, 0);
      const skipNew = Math.max(0, drop - held);
      for (let k = skipNew; k < n; k++) out[fromOld.length + k - skipNew] = values[c][k];
      return out;
    });
    this.first += drop;
    this.nextTime += n;
  }

  /** Values at times [from, to), per channel. Throws when any is not observed yet or no longer held. */
  slice(from: number, to: number): Float64Array[] {
    if (to > this.nextTime)
      throw new Error(
        `read of time ${to - 1}, not observed yet (next ${this.nextTime}): a label from the future`,
      );
    if (from < this.first || from > to)
      throw new Error(`read of times [${from}, ${to}): held [${this.first}, ${this.nextTime})`);
    return this.values.map((v) => v.slice(from - this.first, to - this.first));
  }

  toJSON(): { next: number; values: number[][] } {
    return { next: this.nextTime, values: this.values.map((v) => Array.from(v)) };
  }

  static fromJSON(channels: number, keep: number, json: { next: number; values: number[][] }): StreamHistory {
    const h = new StreamHistory(channels, keep);
    const n = json.values[0]?.length ?? 0;
    if (json.values.length !== channels || json.values.some((v) => v.length !== n) || n > json.next)
      throw new Error('stream history snapshot is inconsistent');
    h.values = json.values.map((v) => Float64Array.from(v));
    h.nextTime = json.next;
    h.first = json.next - n;
    return h;
  }
}
