import { ValidationFailed } from '@seqcast/core';
import { runGenerationEvaluation, validateGenerationEvalConfig } from './generation-evaluation';

const ctx = { signal: new AbortController().signal, progress: () => undefined };

function fieldsOf(f: () => unknown): string[] {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(ValidationFailed);
    return (e as ValidationFailed).details.map((d) => d.field ?? '');
  }
  throw new Error('expected a ValidationFailed');
}

describe('validateGenerationEvalConfig', () => {
  it('names every bad field: length, seeds, a non-generative kind, an unknown baseline', () => {
    expect(
      fieldsOf(() =>
        validateGenerationEvalConfig({
          length: 2,
          seeds: 0,
          models: [{ kind: 'ls4' }, { kind: 'nlinear' }],
          baselines: ['gaussian-ar', 'gan'],
        }),
      ),
    ).toEqual(['length', 'seeds', 'models.1.kind', 'baselines']);
  });

  it("checks each model's options with the window the protocol gives it", () => {
    expect(
      fieldsOf(() =>
        validateGenerationEvalConfig({ length: 48, models: [{ kind: 'ls4', config: { zDim: 0 } }] }),
      ),
    ).toEqual(['models.0.config.zDim']);
    expect(fieldsOf(() => validateGenerationEvalConfig({ length: 48, models: [], baselines: [] }))).toEqual([
      'models',
    ]);
  });

  it('refuses a misspelt option rather than ignoring it', () => {
    expect(fieldsOf(() => validateGenerationEvalConfig({ length: 48, metricEpoch: 5 }))).toEqual([
      'metricEpoch',
    ]);
  });

  it('defaults: both classical baselines, 3 seeds, the LS4 metric budget', () => {
    const c = validateGenerationEvalConfig({ length: 48, models: [{ kind: 'ls4' }] });
    expect(c).toMatchObject({
      baselines: ['gaussian-ar', 'moving-block-bootstrap'],
      seeds: 3,
      firstSeed: 0,
      metricEpochs: 100,
    });
    expect(validateGenerationEvalConfig({ length: 48, seeds: 2, firstSeed: 3 })).toMatchObject({
      seeds: 2,
      firstSeed: 3,
    });
    expect(() => validateGenerationEvalConfig({ length: 48, firstSeed: -1 })).toThrow();
    expect(c.models).toEqual([{ kind: 'ls4', name: 'ls4', config: {} }]);
  });
});

describe('runGenerationEvaluation', () => {
  it('refuses a length no series reaches, naming length', async () => {
    const series = [Float64Array.from({ length: 10 }, (_, i) => i)];
    const config = validateGenerationEvalConfig({ length: 64, baselines: ['gaussian-ar'], seeds: 1 });
    await expect(runGenerationEvaluation(config, series, ctx)).rejects.toMatchObject({
      details: [expect.objectContaining({ field: 'length' })],
    });
  });
});
