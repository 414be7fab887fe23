import { Unprocessable } from '@seqcast/core';
import { WindowSet } from '../data/windows';
import { addWindowMoments, emptyMoments, WindowMoments } from '../linalg/window-moments';
import { base64ToFloat64, floatsToBase64 } from '../trainable/float-codec';
import { SeriesTails } from '../trainable/series-tails';
import type { Series } from '../types';

/**
 * What an exact update of a closed-form model needs: the accumulated window moments (the
 * Gram matrix X'X and X'y with the sums an intercept and a ridge penalty read) and the
 * ends of the series they came from. Adding the windows of new data (joined to those
 * ends) gives the moments of a fit on the concatenated series, so solving again equals
 * a refit.
 */
export class NormalEquations {
  private constructor(
    readonly moments: WindowMoments,
    private readonly tails: SeriesTails,
  ) {}

  static fromWindows(train: Series[], windows: WindowSet, signal?: AbortSignal): NormalEquations {
    const { lookback: p, horizon: h } = windows;
    return new NormalEquations(
      addWindowMoments(emptyMoments(p, h), windows, signal),
      SeriesTails.of(train, p + h),
    );
  }

  /** Adds the windows of the new data (and those straddling it); returns how many. */
  add(newObservations: Series[], signal?: AbortSignal): number {
    const joined = this.tails.extend(newObservations);
    const windows = new WindowSet(joined, this.moments.p, this.moments.h);
    addWindowMoments(this.moments, windows, signal);
    this.tails.keep(joined);
    return windows.size;
  }

  toState(): Record<string, unknown> {
    const m = this.moments;
    return {
      normalEquations: {
        n: m.n,
        sx: floatsToBase64(m.sx),
        sy: floatsToBase64(m.sy),
        sxx: floatsToBase64(upperTriangle(m.sxx, m.p)),
        sxy: floatsToBase64(m.sxy),
      },
      tails: this.tails.toState(),
    };
  }

  /** null for artifacts written before updates existed (no normal equations saved). */
  static fromState(
    state: Record<string, unknown>,
    p: number,
    h: number,
    kind: string,
  ): NormalEquations | null {
    const s = state.normalEquations as Record<string, unknown> | undefined;
    if (!s) return null;
    const tails = SeriesTails.fromState(state.tails, p + h);
    const m: WindowMoments = {
      n: Number(s.n),
      p,
      h,
      sx: base64ToFloat64(String(s.sx)),
      sy: base64ToFloat64(String(s.sy)),
      sxx: symmetricFrom(base64ToFloat64(String(s.sxx)), p),
      sxy: base64ToFloat64(String(s.sxy)),
    };
    if (!tails || m.sx.length !== p || m.sy.length !== h || !m.sxx.length || m.sxy.length !== p * h)
      throw new Unprocessable(`${kind} artifact is damaged: its normal equations do not match its sizes`, [
        { field: 'artifact.state.normalEquations', reason: `expected ${p} inputs and ${h} targets` },
      ]);
    return new NormalEquations(m, tails);
  }

  /** The error update throws for a model loaded from an artifact without normal equations. */
  static predatesUpdates(kind: string): Unprocessable {
    return new Unprocessable(
      `This ${kind} model was loaded from an artifact that predates updates: it holds no normal equations, so it cannot be updated exactly; fit it again on the full data`,
      [{ field: 'model', reason: 'artifact has no normal equations (written before update existed)' }],
    );
  }
}

/** X'X is symmetric: the state keeps rows of its upper triangle (half the bytes). */
function upperTriangle(a: Float64Array, p: number): Float64Array {
  const out = new Float64Array((p * (p + 1)) / 2);
  let k = 0;
  for (let i = 0; i < p; i++) for (let j = i; j < p; j++) out[k++] = a[i * p + j];
  return out;
}

/** The full p x p matrix from its upper triangle; empty when the length does not fit p. */
function symmetricFrom(upper: Float64Array, p: number): Float64Array {
  if (upper.length !== (p * (p + 1)) / 2) return new Float64Array(0);
  const out = new Float64Array(p * p);
  let k = 0;
  for (let i = 0; i < p; i++)
    for (let j = i; j < p; j++) {
      out[i * p + j] = upper[k];
      out[j * p + i] = upper[k++];
    }
  return out;
}
