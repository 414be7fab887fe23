import type { ChartLine } from '../components/time-chart';
import { MODEL_PALETTE, TRUTH_COLOR } from '../../../../libs/eval/src/report/palette';
import type {
  EventTime,
  IntensityAnswer,
  PredictAnswer,
  SequenceValues,
  TypedSequence,
} from './events-types';

// What the event-models page draws, from the API's answers: pure, so the component test
// checks the numbers handed to uPlot rather than a canvas jsdom cannot draw.

export interface ChartData {
  x: number[];
  lines: ChartLine[];
}

/** Events the model did not see (after the history cut): grey, beside the black history. */
const HELD_OUT_COLOR = '#8a949e';

/** A time as the API writes it (ISO 8601 for timestamps, a number otherwise) as a chart x value. */
export function timeValue(t: EventTime): number {
  return typeof t === 'number' ? t : Date.parse(t);
}

/** Whether a dataset's times are timestamps (the chart then reads x as UTC milliseconds). */
export function isTimestamped(times: EventTime[]): boolean {
  return typeof times[0] === 'string';
}

/**
 * Type names in the order the server numbers them (libs/data loadEventSequences): integer
 * names are their own ids (0..max, gaps included), other names sorted.
 */
export function typeOrder(names: Iterable<string>): string[] {
  const all = [...new Set(names)];
  if (all.length && all.every((n) => /^-?\d+$/.test(n))) {
    const max = Math.max(0, ...all.map(Number));
    return Array.from({ length: max + 1 }, (_, i) => String(i));
  }
  return all.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** The type column's values as names (a sequence without a type column has one type, '0'). */
export function typeNamesOf(values: SequenceValues, typeColumn: string | null | undefined): string[] {
  const column = typeColumn ? values.columns[typeColumn] : undefined;
  return values.times.map((_, i) => (column ? String(column[i] ?? '') : '0'));
}

/** A stored sequence as numbers and type ids under `typeNames`. */
export function typedSequence(times: EventTime[], names: string[], typeNames: string[]): TypedSequence {
  return { times: times.map(timeValue), types: names.map((n) => typeNames.indexOf(n)) };
}

/** x strictly increasing (times a hair apart can round to the same millisecond). */
function increasing(x: number[]): number[] {
  const out = x.slice();
  for (let i = 1; i < out.length; i++)
    if (!(out[i] > out[i - 1])) out[i] = out[i - 1] + Math.max(Math.abs(out[i - 1]) * 1e-12, 1e-9);
  return out;
}

/**
 * The sequence as a timeline: one row per event type (y = its id), a point per event. The
 * first `cut` events are the history (black, one line per type, named for the type); later
 * observed events are held out (grey); each generated continuation is one more line of
 * points in a model colour, after the history, lifted a little (under 0.3) above its types' rows.
 */
export function timelineData(
  observed: TypedSequence,
  typeNames: string[],
  options: { cut?: number; continuations?: TypedSequence[] } = {},
): ChartData {
  const cut = Math.min(options.cut ?? observed.times.length, observed.times.length);
  const continuations = options.continuations ?? [];
  const x = [
    ...new Set([...observed.times, ...continuations.flatMap((c) => c.times)].filter(Number.isFinite)),
  ].sort((a, b) => a - b);
  const at = new Map(x.map((t, i) => [t, i]));
  const row = (times: number[], types: number[], keep: (type: number, i: number) => boolean) => {
    const y: (number | null)[] = new Array(x.length).fill(null);
    times.forEach((t, i) => {
      if (keep(types[i], i) && at.has(t)) y[at.get(t)!] = types[i];
    });
    return y;
  };
  const lines: ChartLine[] = typeNames.map((name, k) => ({
    label: name,
    y: row(observed.times, observed.types, (type, i) => type === k && i < cut),
    color: TRUTH_COLOR,
    points: true,
  }));
  if (cut < observed.times.length)
    lines.push({
      label: 'held out',
      y: row(observed.times, observed.types, (_, i) => i >= cut),
      color: HELD_OUT_COLOR,
      points: true,
    });
  // each continuation a little above its type's row, so several stay apart from the observed events and each other
  const lift = (s: number) => (0.3 * (s + 1)) / (continuations.length + 1);
  continuations.forEach((c, s) =>
    lines.push({
      label: `continuation ${s + 1}`,
      y: row(c.times, c.types, () => true).map((v) => (v === null ? null : v + lift(s))),
      color: MODEL_PALETTE[s % MODEL_PALETTE.length],
      points: true,
    }),
  );
  return { x, lines };
}

/** A generated continuation's times as numbers (types are ids already). */
export function continuationOf(sample: { times: EventTime[]; types: number[] }): TypedSequence {
  return { times: sample.times.map(timeValue), types: sample.types.slice() };
}

/**
 * The intensity over time: along the history (each time given the events up to it) and on
 * after its last event, one line per type and their total (thicker, dashed).
 */
export function intensityChartData(answer: IntensityAnswer): ChartData {
  const after = answer.times.map(timeValue);
  const along = answer.along ?? { times: [], intensity: answer.intensity.map(() => []), total: [] };
  // the history's part up to where the curve after it begins
  const keep = along.times.map(timeValue).filter((t) => t < after[0]).length;
  const x = increasing([...along.times.slice(0, keep).map(timeValue), ...after]);
  const lines: ChartLine[] = answer.typeNames.map((name, k) => ({
    label: `λ ${name}`,
    y: [...along.intensity[k].slice(0, keep), ...answer.intensity[k]],
    color: MODEL_PALETTE[k % MODEL_PALETTE.length],
  }));
  lines.push({
    label: 'total',
    y: [...along.total.slice(0, keep), ...answer.total],
    // the next colour after the types', dashed and thicker
    color: MODEL_PALETTE[answer.typeNames.length % MODEL_PALETTE.length],
    dash: [6, 4],
    width: 2.5,
  });
  return { x, lines };
}

/** The density of the time to the next event over the gap after the history's last event. */
export function nextTimeChartData(answer: IntensityAnswer): ChartData {
  return {
    x: answer.gaps.slice(),
    lines: [{ label: 'density of the next gap', y: answer.density.slice(), color: MODEL_PALETTE[0] }],
  };
}

/** The next type's probabilities by type, most likely first. */
export function typeProbabilityRows(p: PredictAnswer): { type: number; name: string; probability: number }[] {
  return p.next.typeProbabilities
    .map((probability, type) => ({ type, name: p.typeNames[type] ?? String(type), probability }))
    .sort((a, b) => b.probability - a.probability || a.type - b.type);
}
