import { NotFound, ValidationFailed } from '@seqcast/core';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describeIfData, sharedFile } from '../testing/shared-data';
import { readEventFile } from './read-event-file';

const DAY = 86_400_000;
const windows30 = (bins: number[]) => ({
  timeColumn: 'time',
  window: '30D',
  typeFrom: { column: 'magnitude', bins },
});

let dir: string;
beforeAll(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'seqcast-read-events-'))));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function write(name: string, text: string): string {
  const f = path.join(dir, name);
  fs.writeFileSync(f, text);
  return f;
}

describe('readEventFile', () => {
  it('cuts a catalogue into windows: offsets in days from the window start, binned types, empty windows skipped', async () => {
    const f = write(
      'small.csv',
      [
        'time,magnitude',
        '2020-01-01 06:00:00,1.0',
        '2020-01-02 00:00:00,2.5',
        '2020-02-15 12:00:00,1.7',
        '2020-04-01 00:00:00,3.0',
      ].join('\n'),
    );
    const d = await readEventFile(f, { format: 'csv', eventWindows: windows30([1.5, 2]) });
    expect(d.numTypes).toBe(3);
    // windows from 2020-01-01: [Jan 1, Jan 31), [Jan 31, Mar 1), [Mar 1, Mar 31), [Mar 31, Apr 30)
    expect(d.sequences.map((s) => Array.from(s.times))).toEqual([[0.25, 1], [15.5], [1]]);
    expect(d.sequences.map((s) => Array.from(s.types))).toEqual([[0, 2], [1], [2]]);
  });

  it('refuses what an upload refuses, naming the row or column', async () => {
    const unsorted = write('unsorted.csv', 'time,magnitude\n2020-01-02 00:00:00,1\n2020-01-01 00:00:00,1\n');
    await expect(
      readEventFile(unsorted, { format: 'csv', eventWindows: windows30([2]) }),
    ).rejects.toMatchObject({
      details: [
        expect.objectContaining({ row: 2, column: 'time', reason: expect.stringContaining('sorted') }),
      ],
    });
    const noMagnitude = write('nomag.csv', 'time,depth\n2020-01-01 00:00:00,1\n');
    await expect(readEventFile(noMagnitude, { format: 'csv', eventWindows: windows30([2]) })).rejects.toThrow(
      ValidationFailed,
    );
    const noPosition = write('nopos.csv', 'time,magnitude,x\n2020-01-01 00:00:00,1,3\n');
    await expect(
      readEventFile(noPosition, { format: 'csv', eventWindows: { ...windows30([2]), features: ['magnitude', 'x', 'y'] } }),
    ).rejects.toMatchObject({ details: [{ column: 'y', reason: 'missing or not a numeric column' }] });
    const badJson = write('bad.json', '[{"time_since_start": [0, 1], "type_event": [0]}]');
    await expect(readEventFile(badJson)).rejects.toMatchObject({
      details: expect.arrayContaining([
        expect.objectContaining({ reason: expect.stringContaining('equal length') }),
      ]),
    });
    await expect(readEventFile(path.join(dir, 'absent.json'))).rejects.toThrow(NotFound);
  });
});

describeIfData(
  'readEventFile on the shared event files',
  ['events/easytpp_synthetic.json', 'events/sanjac_earthquakes.csv'],
  () => {
    it('reads EasyTPP JSON (a .json file of events) as the file lists it', async () => {
      const file = sharedFile('events/easytpp_synthetic.json');
      const raw = JSON.parse(fs.readFileSync(file, 'utf8')) as {
        time_since_start: number[];
        type_event: number[];
      }[];
      const d = await readEventFile(file);
      expect(d.numTypes).toBe(3);
      expect(d.sequences.map((s) => Array.from(s.times))).toEqual(raw.map((s) => s.time_since_start));
      expect(d.sequences.map((s) => Array.from(s.types))).toEqual(raw.map((s) => s.type_event));
    });

    it('windows the San Jacinto catalogue as a direct count of its lines does', async () => {
      const file = sharedFile('events/sanjac_earthquakes.csv');
      // the independent count: each line's time and magnitude read with Date.parse and split(',')
      const rows = fs
        .readFileSync(file, 'latin1')
        .split('\n')
        .slice(1)
        .filter(Boolean)
        .map((l) => l.split(','))
        .map((c) => ({ t: Date.parse(c[1].replace(' ', 'T') + 'Z'), m: Number(c[4]) }));
      const day0 = Math.floor(rows[0].t / DAY) * DAY;
      const perWindow = new Map<number, number[]>();
      for (const r of rows) {
        const w = Math.floor((r.t - day0) / (30 * DAY));
        perWindow.set(w, [...(perWindow.get(w) ?? []), r.m >= 2 ? 2 : r.m >= 1.5 ? 1 : 0]);
      }
      const d = await readEventFile(file, { format: 'csv', eventWindows: windows30([1.5, 2]) });
      expect(d.numTypes).toBe(3);
      expect(d.sequences.map((s) => Array.from(s.types))).toEqual([...perWindow.values()]);
      for (const s of d.sequences)
        expect(s.times.every((t, i) => t >= 0 && t < 30 && (i === 0 || t >= s.times[i - 1]))).toBe(true);
    });
  },
);
