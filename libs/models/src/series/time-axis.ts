import { Unprocessable, ValidationFailed } from '@seqcast/core';
import { addSteps, Frequency, makeFrequency, parseFrequency, stepsBetween } from '@seqcast/data';
import { nominalGap, type StepClock } from '@seqcast/forecast';

/**
 * The time axis a timed model (LS4) reads a dataset's rows on, chosen by the frequency the
 * dataset had when the model was trained:
 * - a frequency (a regular calendar, gaps allowed): times count its steps, so a row after a gap
 *   of k - 1 missing stamps is k steps on and one step is the nominal gap (dt 1); months stay
 *   whole months whatever their length in days;
 * - none (stamps off any grid): times are the stamps themselves (UTC ms, or the numbers of a
 *   numeric time column) and the nominal gap is the median gap between training rows.
 */
export interface TimeAxis {
  frequency: Frequency | null;
}

export function timeAxis(frequency: string | null | undefined): TimeAxis {
  return { frequency: frequency ? parseFrequency(frequency) : null };
}

/**
 * What a training run or a forecast did with unevenly spaced times (the train job result's,
 * the version metrics' and the forecast answer's `timing`).
 */
export interface TimingView {
  /** true: each step was discretised by its own gap (dt = gap / nominalGap); false: rows were read as equally spaced steps. */
  dt: boolean;
  /** The unit of nominalGap: steps of the dataset's frequency, or ms (no frequency: irregular stamps). */
  unit: string;
  /** The time that is one step (dt 1). */
  nominalGap: number;
  note: string;
}

/** The calendar of a frequency label, or undefined when there is none. */
export function clockOf(frequency: string | null): StepClock | undefined {
  const freq = frequency ? parseFrequency(frequency) : null;
  return freq ? (t, n) => addSteps(t, n, freq) : undefined;
}

/**
 * A request's ISO 8601 stamps as UTC ms: each a timestamp after the one before it, else a 400
 * naming `${field}[i]`.
 */
export function parseStamps(raw: readonly unknown[], field: string): Float64Array {
  const out = new Float64Array(raw.length);
  for (let i = 0; i < raw.length; i++) {
    const v = raw[i];
    out[i] = typeof v === 'string' ? Date.parse(v) : NaN;
    if (Number.isNaN(out[i]))
      throw new ValidationFailed(`${field}[${i}] is not a timestamp`, [
        { field: `${field}[${i}]`, reason: 'not ISO 8601' },
      ]);
    if (i > 0 && !(out[i] > out[i - 1]))
      throw new ValidationFailed(`${field}[${i}] is not after ${field}[${i - 1}]`, [
        { field: `${field}[${i}]`, reason: 'times must increase strictly' },
      ]);
  }
  return out;
}

/** The unit of times on the axis, as TimingView.unit names it. */
export function axisUnit(axis: TimeAxis): string {
  return axis.frequency ? `steps of ${axis.frequency.label}` : 'ms';
}

const CALENDAR = new Set(['M', 'Q', 'Y']);

/**
 * `times` on the axis: steps of the frequency counted from the first time, or without one the
 * stamps themselves (a copy). A calendar frequency (months, quarters,
 * years) takes whole steps only: a stamp off its grid is a 422 naming `${field}[offset + i]`; a fixed
 * one (days, hours...) takes fractions of a step too.
 */
export function onAxis(axis: TimeAxis, times: ArrayLike<number>, field: string, offset = 0): Float64Array {
  const out = new Float64Array(times.length);
  const f = axis.frequency;
  if (!f) {
    out.set(times);
    return out;
  }
  if (!CALENDAR.has(f.unit)) {
    const step = addSteps(0, 1, f);
    for (let i = 0; i < times.length; i++) out[i] = (times[i] - times[0]) / step;
    return out;
  }
  for (let i = 1; i < times.length; i++) {
    const k = stepsBetween(times[i - 1], times[i], f);
    if (!(k > 0))
      throw new Unprocessable(
        `${field}[${offset + i}] is not a whole number of ${f.label} steps after the time before it`,
        [
          {
            field: `${field}[${offset + i}]`,
            reason: `on the ${f.label} grid of the model's training data, after the time before it`,
          },
        ],
      );
    out[i] = out[i - 1] + k;
  }
  return out;
}

/** The nominal gap (dt 1) of times on the axis: one step with a frequency, else the median gap. */
export function nominalGapOf(axis: TimeAxis, lists: ArrayLike<number>[]): number {
  return axis.frequency ? 1 : nominalGap(lists);
}

/** Whether every gap of every list is the nominal one (then dt is 1 at every step). */
export function evenlySpaced(lists: ArrayLike<number>[], nominal: number): boolean {
  const tol = 1e-9 * Math.abs(nominal);
  for (const t of lists)
    for (let i = 1; i < t.length; i++) if (Math.abs(t[i] - t[i - 1] - nominal) > tol) return false;
  return true;
}

/** `count` times after `last`, one nominal gap apart (where a timed forecast's steps fall on the axis). */
export function futureOnAxis(last: number, nominal: number, count: number): Float64Array {
  return Float64Array.from({ length: count }, (_, i) => last + (i + 1) * nominal);
}

/**
 * How an irregular series' forecast steps are stamped: every `gap` ms (the model's nominal
 * gap) after the origin, with the label of that fixed step (`37min`, `1h`, `90061ms`), which a
 * stored forecast's clock is rebuilt from.
 */
export function gapClock(gap: number): { label: string; clock: StepClock } {
  const ms = Math.max(1, Math.round(gap));
  let label = `${ms}ms`;
  for (const [unit, size] of [
    ['W', 604_800_000],
    ['D', 86_400_000],
    ['h', 3_600_000],
    ['min', 60_000],
    ['s', 1000],
  ] as const) {
    if (ms % size === 0) {
      label = makeFrequency(ms / size, unit).label;
      break;
    }
  }
  return { label, clock: (t, n) => t + n * gap };
}
