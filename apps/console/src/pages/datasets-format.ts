import { formatTime } from '../components/feedback';

// How the Datasets page writes numbers and times: statistics at six significant digits (a
// mean of 355.310931174 reads 355.311), whole counts grouped, event times as the numbers they are.

export function formatNumber(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '–';
  if (Number.isInteger(n) && Math.abs(n) < 1e15) return n.toLocaleString('en-US');
  const abs = Math.abs(n);
  if (abs !== 0 && (abs >= 1e9 || abs < 1e-4)) return n.toExponential(3);
  return String(Number(n.toPrecision(6)));
}

/** A time of a dataset: ISO timestamps without milliseconds, numeric event times as numbers. */
export function formatDataTime(t: string | number | null | undefined): string {
  if (t === null || t === undefined) return '–';
  return typeof t === 'number' ? formatNumber(t) : formatTime(t);
}

export function formatRange(start: string | number | null, end: string | number | null): string {
  if (start === null && end === null) return '–';
  return `${formatDataTime(start)} – ${formatDataTime(end)}`;
}
