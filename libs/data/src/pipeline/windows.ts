/** Sliding windows over series: lookback rows in, horizon rows out, every `stride` rows. */
export interface WindowSpec {
  lookback: number;
  horizon: number;
  /** Rows between consecutive window starts; default 1. */
  stride?: number;
}

/** A half-open row range [start, end) of one series. */
export interface RowRange {
  start: number;
  end: number;
}

/** One window: the input is rows [start, start + lookback) of `series`, the target the next `horizon` rows. */
export interface WindowRef {
  series: number;
  start: number;
}

/** Window starts s with range.start <= s and s + lookback + horizon <= range.end. */
export function windowStarts(
  length: number,
  spec: WindowSpec,
  range: RowRange = { start: 0, end: length },
): number[] {
  const stride = spec.stride ?? 1;
  if (spec.lookback < 0 || spec.horizon < 0 || stride < 1 || !Number.isInteger(stride))
    throw new RangeError('lookback and horizon must be >= 0 and stride a positive integer');
  const end = Math.min(range.end, length);
  const out: number[] = [];
  for (let s = Math.max(0, range.start); s + spec.lookback + spec.horizon <= end; s += stride) out.push(s);
  return out;
}

/** Windows over many series, series by series; `ranges[i]` limits series i (a split). */
export function windowIndex(
  lengths: number[],
  spec: WindowSpec,
  ranges?: (RowRange | undefined)[],
): WindowRef[] {
  const out: WindowRef[] = [];
  lengths.forEach((n, series) => {
    for (const start of windowStarts(n, spec, ranges?.[series])) out.push({ series, start });
  });
  return out;
}

/** A series in memory: times and a row-major [rows x channels] matrix. */
export interface SeriesFrame {
  key: string;
  times: Float64Array;
  channels: string[];
  /** values[row * channels.length + c] */
  values: Float64Array;
}

export interface WindowBatch {
  size: number;
  lookback: number;
  horizon: number;
  channels: number;
  /** [size, lookback, channels], row-major. */
  x: Float32Array;
  /** [size, horizon, channels], row-major. */
  y: Float32Array;
  refs: WindowRef[];
}

/** Copies the windows `refs` out of `frames` into dense arrays ready for a tensor. */
export function gatherWindows(frames: SeriesFrame[], refs: WindowRef[], spec: WindowSpec): WindowBatch {
  const c = frames[0]?.channels.length ?? 0;
  const { lookback: L, horizon: H } = spec;
  const x = new Float32Array(refs.length * L * c);
  const y = new Float32Array(refs.length * H * c);
  refs.forEach((r, b) => {
    const f = frames[r.series];
    if (f.channels.length !== c) throw new RangeError('all series must have the same channels');
    x.set(f.values.subarray(r.start * c, (r.start + L) * c), b * L * c);
    y.set(f.values.subarray((r.start + L) * c, (r.start + L + H) * c), b * H * c);
  });
  return { size: refs.length, lookback: L, horizon: H, channels: c, x, y, refs };
}
