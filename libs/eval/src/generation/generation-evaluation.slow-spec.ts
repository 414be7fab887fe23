import { simulateAr } from '@seqcast/forecast';
import { runGenerationEvaluation, validateGenerationEvalConfig } from './generation-evaluation';

// Slow (minutes under load): two metric networks trained on 80 sequences.
const ctx = { signal: new AbortController().signal, progress: () => undefined };

describe('runGenerationEvaluation', () => {
  it('scores a Gaussian AR fitted to true AR(1) data as nearly indistinguishable from it', async () => {
    // real data from the model class of the AR generator: its samples have the real marginal
    // (z-scored Gaussian) and dependence, so a discriminator cannot do much better than chance
    const series = Array.from({ length: 80 }, (_, i) =>
      simulateAr({ coefficients: [0.6], length: 96, seed: i + 1 }),
    );
    const config = validateGenerationEvalConfig({
      length: 64,
      baselines: ['gaussian-ar'],
      seeds: 1,
      metricEpochs: 20,
    });
    const r = await runGenerationEvaluation(config, series, ctx);
    expect(r.sequences).toBe(80);
    expect(r.rows).toHaveLength(1);
    const [row] = r.rows;
    // ln 2 = 0.693 for a discriminator that cannot tell them apart; a perfect one gives 0
    expect(row.classification).toBeGreaterThan(0.55);
    expect(row.classificationAccuracy).toBeLessThan(0.7);
    // marginal: both are standard-normal-shaped after z-scoring; far below the score of values outside the range
    expect(row.marginal).toBeLessThan(0.1);
    expect(r.table).toContain('| gaussian-ar |');
  });
});
