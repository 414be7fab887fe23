import { detachedContext } from '@seqcast/core';
import { selectBackend } from '@seqcast/tensor';
import { DEFAULT_HAWKES } from '../hawkes/hawkes-params';
import { simulateHawkes } from '../hawkes/simulate';
import { eventModelRegistry } from '../registry';
import { NeuralEventModel } from './neural-event-model';

type LL = NeuralEventModel['logLikelihood'];

jest.setTimeout(120_000);
beforeAll(() => selectBackend('cpu'));

describe('sampled integral against exact likelihoods', () => {
  const data = simulateHawkes(DEFAULT_HAWKES, 30, 21, { endTime: 50 });

  it('RMTPP: the stratified Monte Carlo integral matches the closed form', () => {
    const m = eventModelRegistry.create('rmtpp', 3, { seed: 3 });
    // make the time slopes non-trivial in both directions
    const exact = (m.logLikelihood as LL).call(m, data, { integral: 'exact' });
    const sampled = (m.logLikelihood as LL).call(m, data, { integral: 'sampled', integralPoints: 100 });
    expect(sampled.eventTerm).toBeCloseTo(exact.eventTerm, 3);
    expect(Math.abs(sampled.integralTerm - exact.integralTerm) / exact.integralTerm).toBeLessThan(2e-3);
    m.dispose();
  });

  it('IntensityFree (both variants): lambda = f / S integrated numerically recovers the exact likelihood', async () => {
    for (const kind of ['intensity_free', 'intensity_free_joint']) {
      const m = eventModelRegistry.create(kind, 3, { seed: 1, epochs: 1, batchSize: 30 });
      await m.fit(data, null, detachedContext()); // sets the log-gap standardisation from data
      const few = data.sequences.slice(0, 6);
      const exact = (m.logLikelihood as LL).call(m, few, { integral: 'exact' });
      const sampled = (m.logLikelihood as LL).call(m, few, { integral: 'sampled', integralPoints: 200 });
      expect(Math.abs(sampled.perEvent - exact.perEvent)).toBeLessThan(0.02);
      m.dispose();
    }
  });
});
