/** The parts of POST /models/:id/forecast's answer the CLI prints. */
export interface ForecastAnswer {
  steps: { step: number; timestamp: string | null }[];
  channels: string[];
  point: number[][];
  bounds?: Record<string, number[][]>;
  /** Set when a timed model (ls4) read an uneven context's gaps: what step the forecast's times follow. */
  timing?: { note: string };
}

/**
 * A tab-separated table: one row per step and channel (the channel column only when there
 * are several), the point value, then every interval bound the answer carries.
 */
export function forecastLines(f: ForecastAnswer): string[] {
  const boundNames = Object.keys(f.bounds ?? {}).sort();
  const many = f.channels.length > 1;
  const header = ['time', ...(many ? ['channel'] : []), 'value', ...boundNames];
  const rows = [header.join('\t')];
  f.steps.forEach((s, t) =>
    f.channels.forEach((name, c) =>
      rows.push(
        [
          s.timestamp ?? String(s.step),
          ...(many ? [name] : []),
          String(f.point[c][t]),
          ...boundNames.map((b) => String(f.bounds![b][c][t])),
        ].join('\t'),
      ),
    ),
  );
  return rows;
}
