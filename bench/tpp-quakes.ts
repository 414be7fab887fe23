/** The San Jacinto settings of the event benches (`--quakes`): typing, window length, magnitude threshold. */
import { TppEvalConfig } from '@seqcast/eval';

export interface QuakeSetting {
  types: 'magnitude' | 'position';
  days: number;
  min?: number;
}

/** `types=position,days=7,min=1.5;types=magnitude` -> one setting per `;`-separated entry. */
export function quakeSettings(spec: string): QuakeSetting[] {
  return spec.split(';').map((entry) => {
    const kv = Object.fromEntries(
      entry.split(',').map((p) => (p.includes('=') ? p.split('=') : ['types', p])),
    );
    const types = kv.types ?? 'magnitude';
    if (types !== 'magnitude' && types !== 'position')
      throw new Error(`--quakes: types is magnitude or position, got ${types}`);
    return { types, days: Number(kv.days ?? 30), ...(kv.min !== undefined ? { min: Number(kv.min) } : {}) };
  });
}

export function quakeDataset(
  file: string,
  q: QuakeSetting,
  maxEvents: number,
): TppEvalConfig['datasets'][number] {
  const typing = q.types === 'position' ? 'thirds along the fault' : 'magnitude < 1.5 / < 2 / >= 2';
  const threshold = q.min !== undefined ? `, magnitude >= ${q.min}` : '';
  const bins =
    q.types === 'magnitude' && q.min !== undefined && q.min >= 1.5
      ? { magnitudeBins: [q.min + 0.5, q.min + 1] }
      : {};
  const typingName = bins.magnitudeBins
    ? `magnitude < ${bins.magnitudeBins[0]} / < ${bins.magnitudeBins[1]} / >= ${bins.magnitudeBins[1]}`
    : typing;
  return {
    name: `San Jacinto earthquakes (${q.days}-day windows${threshold}, ${typingName}, first ${maxEvents} events per window, 70/10/20 in time order)`,
    source: {
      kind: 'earthquakes',
      file,
      windowDays: q.days,
      maxEvents,
      typeBy: q.types,
      ...(q.min !== undefined ? { minMagnitude: q.min } : {}),
      ...(q.types === 'magnitude' ? { magnitudeBins: [1.5, 2], ...bins } : { positionBins: 3 }),
    },
  };
}
