import { sharedDataFile, ValidationFailed } from '@seqcast/core';
import { mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { DEFAULT_HAWKES_PAIR, hawkesPairBayesAccuracy, hawkesPairDataset } from './hawkes-pair';
import { pendulumAngles, pendulumDataset } from './pendulum';
import { readUeaCases, ueaClassification } from './uea-ts-file';

const train = sharedDataFile('sequences/JapaneseVowels_TRAIN.ts');
const test = sharedDataFile('sequences/JapaneseVowels_TEST.ts');
if (!train || !test)
  console.warn(
    'skipping JapaneseVowels checks: sequences/JapaneseVowels_*.ts absent from the shared data folder (set SEQCAST_SHARED_DATA)',
  );
const withVowels = train && test ? describe : describe.skip;

withVowels('JapaneseVowels (UEA .ts files)', () => {
  it('has the archive figures: 270 / 370 cases, 12 dimensions, 9 speakers, lengths 7 to 29', () => {
    const d = ueaClassification('jv', train!, test!);
    expect(d.pool).toHaveLength(270);
    expect(d.test).toHaveLength(370);
    expect(d.schema).toEqual({
      task: 'classification',
      numClasses: 9,
      numericFeatures: 12,
      categoricalCardinalities: [],
    });
    const lengths = [...d.pool, ...d.test].map((r) => r.times.length);
    expect(Math.min(...lengths)).toBe(7);
    expect(Math.max(...lengths)).toBe(29);
    // 30 training utterances per speaker (the file's description)
    const perClass = new Array(9).fill(0);
    d.pool.forEach((r) => perClass[r.target]++);
    expect(perClass).toEqual(new Array(9).fill(30));
    // the first value of the first case as written in the file
    expect(d.pool[0].numeric[0][0]).toBe(1.860936);
    expect(d.pool[0].times.slice(0, 3)).toEqual([0, 1, 2]);
  });
});

describe('UEA .ts reader', () => {
  it('refuses a file without class labels, naming the target', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'uea-'));
    const f = path.join(dir, 'x.ts');
    writeFileSync(f, '@problemName x\n@dimensions 1\n@data\n1,2,3:1\n');
    expect(() => readUeaCases(f)).toThrow(ValidationFailed);
    expect(() => readUeaCases(f)).toThrow(
      expect.objectContaining({ details: [expect.objectContaining({ field: 'target' })] }),
    );
  });
});

describe('Pendulum generator', () => {
  it('follows the small-angle closed form theta0 cos(sqrt(g / L) t) without damping', () => {
    const times = [0.1, 0.37, 1, 2.5, 4.9];
    const L = 1.3;
    const theta0 = 1e-3;
    const angles = pendulumAngles(times, L, theta0, 0, 0);
    // sin theta = theta - theta^3 / 6: at 1e-3 the nonlinearity shifts the phase by ~1e-7 relative
    times.forEach((t, i) => expect(angles[i] / theta0).toBeCloseTo(Math.cos(Math.sqrt(9.81 / L) * t), 5));
  });

  it('conserves energy at large angles without damping (RK4 accuracy)', () => {
    const L = 0.8;
    const times = Array.from({ length: 50 }, (_, i) => 0.1 * (i + 1));
    const fine = pendulumAngles(times, L, 1.2, 0.5, 0);
    // energy per unit mass: 0.5 L^2 omega^2 + g L (1 - cos theta); omega by a central difference of a fine re-run
    const energy = (t: number) => {
      const h = 1e-4;
      const [a, b, c] = pendulumAngles([t - h, t, t + h], L, 1.2, 0.5, 0);
      const om = (c - a) / (2 * h);
      return 0.5 * L * L * om * om + 9.81 * L * (1 - Math.cos(b));
    };
    const e0 = 0.5 * L * L * 0.25 + 9.81 * L * (1 - Math.cos(1.2));
    for (const t of [1, 2.5, 4.9]) expect(energy(t)).toBeCloseTo(e0, 4);
    expect(fine.every(Number.isFinite)).toBe(true);
  });

  it('is seeded, irregular, on the unit circle, with the length as target', () => {
    const a = pendulumDataset({ pool: 30, test: 10, seed: 4 });
    const b = pendulumDataset({ pool: 30, test: 10, seed: 4 });
    expect(a.pool).toEqual(b.pool);
    expect(pendulumDataset({ pool: 30, test: 10, seed: 5 }).pool[0]).not.toEqual(a.pool[0]);
    for (const r of a.pool) {
      expect(r.target).toBeGreaterThanOrEqual(0.5);
      expect(r.target).toBeLessThanOrEqual(2);
      // noise 0.02 per coordinate: the radius stays near 1 whatever the length
      for (const [x, y] of r.numeric) expect(Math.hypot(x, y)).toBeGreaterThan(0.85);
      const gaps = r.times.slice(1).map((t, i) => t - r.times[i]);
      expect(Math.max(...gaps)).toBeGreaterThan(2 * Math.min(...gaps));
    }
  });
});

describe('Hawkes pair task', () => {
  it('has balanced classes with equal event rates, so counts alone cannot separate them', () => {
    const d = hawkesPairDataset({ pool: 400, test: 20, seed: 1 });
    const byClass = [0, 1].map((c) => d.pool.filter((r) => r.target === c));
    expect(byClass[0]).toHaveLength(200);
    const meanLen = byClass.map((rows) => rows.reduce((s, r) => s + r.times.length, 0) / rows.length);
    // both processes: base 0.5 per type, branching ratio 0.5 -> about 1 event per type per unit time
    expect(Math.abs(meanLen[0] - meanLen[1]) / meanLen[0]).toBeLessThan(0.1);
    expect(d.schema.categoricalCardinalities).toEqual([2]);
  });

  it('the Bayes classifier (exact likelihood ratio) is well above chance and below perfect', () => {
    const d = hawkesPairDataset({ pool: 400, test: 20, seed: 2 });
    const acc = hawkesPairBayesAccuracy(d.pool, DEFAULT_HAWKES_PAIR);
    expect(acc).toBeGreaterThan(0.75);
    expect(acc).toBeLessThan(0.99);
  });
});
