import { sharedDataFile } from '@seqcast/core';
import { readEventFile } from '@seqcast/data';
import { loadSplits } from '@seqcast/eval';
import * as fs from 'node:fs';

/**
 * The earthquake source's typings and threshold on the real San Jacinto catalogue, read as the
 * evaluation job reads it (libs/data's importers), against the catalogue's lines read here
 * with split(',') and Date.parse.
 */
const file = sharedDataFile('events/sanjac_earthquakes.csv');
if (!file)
  process.stderr.write(
    'skipping the earthquake source checks: events/sanjac_earthquakes.csv absent from the shared data folder (set SEQCAST_SHARED_DATA)\n',
  );
const withQuakes = file ? describe : describe.skip;
const DAY = 86_400_000;

withQuakes('earthquake sources on the San Jacinto catalogue', () => {
  const rows = () =>
    fs
      .readFileSync(file!, 'latin1')
      .split('\n')
      .slice(1)
      .filter(Boolean)
      .map((l) => l.split(','))
      .map((c) => ({
        t: Date.parse(c[1].replace(' ', 'T') + 'Z'),
        m: Number(c[4]),
        x: Number(c[5]),
        y: Number(c[6]),
      }));

  it('keeps, per 7-day window, the events at or above minMagnitude (windows of fewer than 2 dropped), capped at maxEvents', async () => {
    const all = rows();
    const day0 = Math.floor(all[0].t / DAY) * DAY;
    const perWindow = new Map<number, number[]>();
    for (const r of all) {
      if (r.m < 1.5) continue;
      const w = Math.floor((r.t - day0) / (7 * DAY));
      perWindow.set(w, [...(perWindow.get(w) ?? []), (r.t - day0 - w * 7 * DAY) / DAY]);
    }
    const expected = [...perWindow.values()].map((ts) => ts.slice(0, 20)).filter((ts) => ts.length >= 2);
    const d = await loadSplits(
      {
        kind: 'earthquakes',
        file: file!,
        windowDays: 7,
        minMagnitude: 1.5,
        magnitudeBins: [2, 2.5],
        maxEvents: 20,
      },
      '.',
      readEventFile,
    );
    const got = [...d.train.sequences, ...d.dev.sequences, ...d.test.sequences].map((s) => s.times);
    expect(got.length).toBe(expected.length);
    got.forEach((ts, w) => ts.forEach((t, i) => expect(t).toBeCloseTo(expected[w][i], 6)));
    expect(d.timeUnit).toBe('days');
  });

  it('types by thirds along the fault: a third of the training events in each, the same windows and times as the magnitude typing', async () => {
    const source = { kind: 'earthquakes' as const, file: file!, maxEvents: 200 };
    const byMagnitude = await loadSplits(source, '.', readEventFile);
    const byPosition = await loadSplits({ ...source, typeBy: 'position' }, '.', readEventFile);
    expect(byPosition.numTypes).toBe(3);
    for (const part of ['train', 'dev', 'test'] as const)
      expect(byPosition[part].sequences.map((s) => s.times)).toEqual(
        byMagnitude[part].sequences.map((s) => s.times),
      );
    const counts = [0, 0, 0];
    byPosition.train.sequences.forEach((s) => s.types.forEach((k) => counts[k]++));
    const n = counts[0] + counts[1] + counts[2];
    // equal-count cuts: ties at a cut (repeated epicentres) may move a few events across it
    for (const c of counts) expect(Math.abs(c - n / 3)).toBeLessThan(0.01 * n);
    // the thirds are places: the types of consecutive events agree far more often than the 1/3 of independent draws
    let same = 0;
    let pairs = 0;
    byPosition.test.sequences.forEach((s) =>
      s.types.slice(1).forEach((k, i) => ((same += k === s.types[i] ? 1 : 0), pairs++)),
    );
    expect(same / pairs).toBeGreaterThan(0.4);
  });
});
