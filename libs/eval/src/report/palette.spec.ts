import { readFileSync } from 'fs';
import { join } from 'path';
import { MODEL_DASHES, MODEL_PALETTE, modelColor, modelDash, OKABE_ITO, TRUTH_COLOR } from './palette';

describe('palette', () => {
  it("is Okabe–Ito's published set, black kept for the truth", () => {
    // Okabe & Ito (2008), as given in hex by e.g. R's palette.colors()
    expect(Object.values(OKABE_ITO)).toEqual([
      '#000000',
      '#e69f00',
      '#56b4e9',
      '#009e73',
      '#f0e442',
      '#0072b2',
      '#d55e00',
      '#cc79a7',
    ]);
    expect(TRUTH_COLOR).toBe('#000000');
    expect(new Set(MODEL_PALETTE).size).toBe(7);
    expect(MODEL_PALETTE).not.toContain(TRUTH_COLOR);
  });

  it('gives a model its colour and dash by position, cycling, and each pair once in 42', () => {
    expect(modelColor(0)).toBe(OKABE_ITO.blue);
    expect(modelColor(7)).toBe(modelColor(0));
    expect(modelColor(-1)).toBe(MODEL_PALETTE[6]);
    expect(modelDash(0)).toBe('');
    expect(modelDash(MODEL_DASHES.length)).toBe('');
    const styles = Array.from({ length: 42 }, (_, i) => `${modelColor(i)} ${modelDash(i)}`);
    expect(new Set(styles).size).toBe(42);
    expect(() => modelColor(NaN)).toThrow(/finite/);
  });

  it('imports nothing, so a browser bundle can take the file by path', () => {
    const source = readFileSync(join(__dirname, 'palette.ts'), 'utf8');
    expect(source).not.toMatch(/^\s*import\s|\brequire\s*\(|\bimport\s*\(/m);
  });
});
