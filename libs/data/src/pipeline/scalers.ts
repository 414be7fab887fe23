/**
 * Scalers are per-channel affine maps: scaled = (x - shift) / scale and back
 * x = scaled * scale + shift. A global scaler fits shift and scale once on training
 * rows; a per-window scaler derives them from each window's lookback and returns
 * them as state, which inverting the forecast needs. `toJSON` is what a model
 * artifact stores; `scalerFromJSON` restores it.
 */
export type ScalerKind = 'none' | 'standard' | 'mean' | 'last' | 'instance';

export interface AffineState {
  shift: Float64Array;
  scale: Float64Array;
}

export interface ScalerJSON {
  kind: ScalerKind;
  channels: number;
  /** Global scalers only. */
  shift?: number[];
  scale?: number[];
  eps?: number;
}

type Values = Float32Array | Float64Array;

function apply(x: Values, channels: number, s: AffineState): Float64Array {
  const out = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const c = i % channels;
    out[i] = (x[i] - s.shift[c]) / s.scale[c];
  }
  return out;
}

function invert(y: Values, channels: number, s: AffineState): Float64Array {
  const out = new Float64Array(y.length);
  for (let i = 0; i < y.length; i++) {
    const c = i % channels;
    out[i] = y[i] * s.scale[c] + s.shift[c];
  }
  return out;
}

export abstract class Scaler {
  abstract readonly kind: ScalerKind;
  constructor(readonly channels: number) {}

  /** Shift and scale for one window, given its lookback rows ([rows x channels]). */
  abstract stateFor(lookback: Values): AffineState;

  /** Scales a window's lookback and returns the state that inverts its forecast. */
  normalize(lookback: Values): { scaled: Float64Array; state: AffineState } {
    const state = this.stateFor(lookback);
    return { scaled: apply(lookback, this.channels, state), state };
  }

  /** Scales any rows (the target, covariates) with a given state. */
  transform(x: Values, state: AffineState): Float64Array {
    return apply(x, this.channels, state);
  }

  denormalize(y: Values, state: AffineState): Float64Array {
    return invert(y, this.channels, state);
  }

  abstract toJSON(): ScalerJSON;
}

function perChannel(x: Values, channels: number, f: (values: number[]) => [number, number]): AffineState {
  const shift = new Float64Array(channels);
  const scale = new Float64Array(channels);
  for (let c = 0; c < channels; c++) {
    const v: number[] = [];
    for (let i = c; i < x.length; i += channels) if (Number.isFinite(x[i])) v.push(x[i]);
    [shift[c], scale[c]] = f(v);
  }
  return { shift, scale };
}

function meanStd(v: number[]): [number, number] {
  if (v.length === 0) return [0, 1];
  const m = v.reduce((a, b) => a + b, 0) / v.length;
  const variance = v.reduce((a, b) => a + (b - m) * (b - m), 0) / v.length;
  return [m, variance];
}

export class IdentityScaler extends Scaler {
  readonly kind = 'none';
  stateFor(): AffineState {
    return { shift: new Float64Array(this.channels), scale: new Float64Array(this.channels).fill(1) };
  }
  toJSON(): ScalerJSON {
    return { kind: 'none', channels: this.channels };
  }
}

/** Global z-score per channel, fitted on training rows only (population std; a constant channel keeps scale 1). */
export class StandardScaler extends Scaler {
  readonly kind = 'standard';
  private state: AffineState | null = null;

  fit(rows: Values): this {
    this.state = perChannel(rows, this.channels, (v) => {
      const [m, variance] = meanStd(v);
      const sd = Math.sqrt(variance);
      return [m, sd > 0 ? sd : 1];
    });
    return this;
  }

  stateFor(): AffineState {
    if (!this.state) throw new Error('StandardScaler used before fit');
    return this.state;
  }

  toJSON(): ScalerJSON {
    const s = this.stateFor();
    return { kind: 'standard', channels: this.channels, shift: [...s.shift], scale: [...s.scale] };
  }

  static fromState(channels: number, shift: number[], scale: number[]): StandardScaler {
    const s = new StandardScaler(channels);
    s.state = { shift: Float64Array.from(shift), scale: Float64Array.from(scale) };
    return s;
  }
}

/** Per-window mean absolute value (GluonTS's mean scaling): no shift, scale = mean |x| of the lookback. */
export class MeanScaler extends Scaler {
  readonly kind = 'mean';
  constructor(
    channels: number,
    readonly minScale = 1e-10,
  ) {
    super(channels);
  }
  stateFor(lookback: Values): AffineState {
    return perChannel(lookback, this.channels, (v) => {
      const m = v.length ? v.reduce((a, b) => a + Math.abs(b), 0) / v.length : 1;
      return [0, Math.max(m, this.minScale)];
    });
  }
  toJSON(): ScalerJSON {
    return { kind: 'mean', channels: this.channels, eps: this.minScale };
  }
}

/** Per-window last value (NLinear): subtract the lookback's last row, scale 1. */
export class LastValueScaler extends Scaler {
  readonly kind = 'last';
  stateFor(lookback: Values): AffineState {
    const shift = new Float64Array(this.channels);
    const rows = lookback.length / this.channels;
    for (let c = 0; c < this.channels; c++) shift[c] = lookback[(rows - 1) * this.channels + c];
    return { shift, scale: new Float64Array(this.channels).fill(1) };
  }
  toJSON(): ScalerJSON {
    return { kind: 'last', channels: this.channels };
  }
}

/** Instance normalisation (RevIN without its affine weights): per-window mean and sqrt(variance + eps). */
export class InstanceNormScaler extends Scaler {
  readonly kind = 'instance';
  constructor(
    channels: number,
    readonly eps = 1e-5,
  ) {
    super(channels);
  }
  stateFor(lookback: Values): AffineState {
    return perChannel(lookback, this.channels, (v) => {
      const [m, variance] = meanStd(v);
      return [m, Math.sqrt(variance + this.eps)];
    });
  }
  toJSON(): ScalerJSON {
    return { kind: 'instance', channels: this.channels, eps: this.eps };
  }
}

export function createScaler(kind: ScalerKind, channels: number): Scaler {
  switch (kind) {
    case 'none':
      return new IdentityScaler(channels);
    case 'standard':
      return new StandardScaler(channels);
    case 'mean':
      return new MeanScaler(channels);
    case 'last':
      return new LastValueScaler(channels);
    case 'instance':
      return new InstanceNormScaler(channels);
  }
}

export function scalerFromJSON(json: ScalerJSON): Scaler {
  switch (json.kind) {
    case 'standard':
      return StandardScaler.fromState(json.channels, json.shift ?? [], json.scale ?? []);
    case 'mean':
      return new MeanScaler(json.channels, json.eps);
    case 'instance':
      return new InstanceNormScaler(json.channels, json.eps);
    default:
      return createScaler(json.kind, json.channels);
  }
}
