import { ValidationFailed } from '@seqcast/core';
import type { Series } from '../types';
import { base64ToFloat32, floatsToBase64 } from './float-codec';

/** JSON form: per series, per channel, base64 Float32. */
export type SeriesTailsState = { span: number; series: string[][] };

/**
 * The last `span - 1` values of every channel of every series a model has seen. A window
 * spans `span` steps, so joining a tail to the data that continues it yields exactly the
 * windows a refit on the whole series would add: those holding at least one new value.
 */
export class SeriesTails {
  private constructor(
    readonly span: number,
    private tails: Series[],
  ) {}

  static of(series: Series[], span: number): SeriesTails {
    return new SeriesTails(span, []).keep(series);
  }

  get count(): number {
    return this.tails.length;
  }

  /**
   * newObservations[i] continued by the kept tail of series i (further entries are new
   * series); the tails move on to the joined data's ends. Returns the joined series.
   */
  extend(newObservations: Series[]): Series[] {
    const joined = newObservations.map((s, i) => {
      const tail = this.tails[i];
      if (!tail) return s;
      if (tail.length !== s.length)
        throw new ValidationFailed(
          `newObservations[${i}] has ${s.length} channels; the series it continues has ${tail.length}`,
          [{ field: `newObservations[${i}]`, reason: `expected ${tail.length} channels` }],
        );
      return s.map((ch, c) => {
        const out = new Float32Array(tail[c].length + ch.length);
        out.set(tail[c]);
        out.set(ch, tail[c].length);
        return out;
      });
    });
    return joined;
  }

  /** Keeps the ends of `series` as the tails of series 0.. (the result of `extend`). */
  keep(series: Series[]): this {
    const next = this.tails.slice();
    series.forEach((s, i) => {
      next[i] = s.map((ch) => ch.slice(Math.max(0, ch.length - (this.span - 1))));
    });
    this.tails = next;
    return this;
  }

  toState(): SeriesTailsState {
    return { span: this.span, series: this.tails.map((s) => s.map((ch) => floatsToBase64(ch))) };
  }

  /** null when the state has no tails (artifacts written before updates existed). */
  static fromState(state: unknown, span: number): SeriesTails | null {
    const s = state as SeriesTailsState | undefined;
    if (!s || s.span !== span || !Array.isArray(s.series)) return null;
    return new SeriesTails(
      span,
      s.series.map((chs) => chs.map((text) => base64ToFloat32(text))),
    );
  }
}
