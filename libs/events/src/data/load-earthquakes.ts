import { ValidationFailed } from '@seqcast/core';
import { readFileSync } from 'fs';
import { EventDataset, EventSequence } from '../types';

export interface EarthquakeWindowOptions {
  /** Window length in days (default 30). */
  windowDays?: number;
  /** Magnitude bin edges: type k for edges[k-1] <= m < edges[k] (default [1.5, 2]: three classes of about 71%, 20%, 8% of the San Jacinto events). */
  magnitudeBins?: number[];
  /** Drop windows with fewer events than this (default 2). */
  minEvents?: number;
  /** Keep at most this many events per window, the first ones (default unlimited). */
  maxEvents?: number;
}

/**
 * A catalogue CSV with `time` and `magnitude` columns (e.g. EarthquakeNPP's San Jacinto
 * file) cut into consecutive windows, times in days from the window start, types from
 * binned magnitudes. Mirrors libs/data's windowing importer for files read directly.
 */
export function parseEarthquakeCsv(text: string, options: EarthquakeWindowOptions = {}): EventDataset {
  const lines = text.split(/\r?\n/).filter((l) => l.trim().length);
  const header = lines[0].split(',').map((h) => h.trim());
  const ti = header.indexOf('time');
  const mi = header.indexOf('magnitude');
  if (ti < 0 || mi < 0) throw new ValidationFailed('The catalogue needs time and magnitude columns', [{ column: ti < 0 ? 'time' : 'magnitude', reason: 'missing column' }]);
  const bins = options.magnitudeBins ?? [1.5, 2];
  const windowMs = (options.windowDays ?? 30) * 86_400_000;
  const events: Array<[number, number]> = [];
  for (let r = 1; r < lines.length; r++) {
    const cells = lines[r].split(',');
    const raw = cells[ti].trim();
    const t = Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(raw) ? raw : raw.replace(' ', 'T') + 'Z');
    const m = Number(cells[mi]);
    if (!Number.isFinite(t) || !Number.isFinite(m)) throw new ValidationFailed('Bad catalogue row', [{ row: r, reason: 'unparseable time or magnitude' }]);
    let k = 0;
    while (k < bins.length && m >= bins[k]) k++;
    events.push([t, k]);
  }
  events.sort((a, b) => a[0] - b[0]);
  const origin = new Date(events[0][0]);
  const start = Date.UTC(origin.getUTCFullYear(), origin.getUTCMonth(), origin.getUTCDate());
  const windows = new Map<number, EventSequence>();
  for (const [t, k] of events) {
    const w = Math.floor((t - start) / windowMs);
    let s = windows.get(w);
    if (!s) windows.set(w, (s = { times: [], types: [] }));
    if (options.maxEvents && s.times.length >= options.maxEvents) continue;
    s.times.push((t - start - w * windowMs) / 86_400_000);
    s.types.push(k);
  }
  const sequences = [...windows.entries()].sort((a, b) => a[0] - b[0]).map(([, s]) => s).filter((s) => s.times.length >= (options.minEvents ?? 2));
  return { numTypes: bins.length + 1, sequences };
}

export function loadEarthquakes(file: string, options: EarthquakeWindowOptions = {}): EventDataset {
  return parseEarthquakeCsv(readFileSync(file, 'utf8'), options);
}
