import { detachedContext } from '@seqcast/core';
import { selectBackend } from '@seqcast/tensor';
import { PoissonModel } from '../baselines/poisson';
import { DEFAULT_HAWKES } from '../hawkes/hawkes-params';
import { hawkesLogLikelihood } from '../hawkes/log-likelihood';
import { simulateHawkes } from '../hawkes/simulate';
import { eventModelRegistry } from '../registry';

// Long runs (npm run test:slow): each model trained on the 3-type Hawkes simulation must
// beat the homogeneous Poisson fit and come near the true process's test LL per event.
// SEQCAST_TPP_EPOCHS / SEQCAST_TPP_TRAIN scale the run; the gaps reached are printed.
jest.setTimeout(3 * 3600_000);
beforeAll(() => selectBackend('cpu'));

const epochs = Number(process.env.SEQCAST_TPP_EPOCHS ?? 15);
const nTrain = Number(process.env.SEQCAST_TPP_TRAIN ?? 700);
const train = simulateHawkes(DEFAULT_HAWKES, nTrain, 1, { endTime: 70 });
const dev = simulateHawkes(DEFAULT_HAWKES, 100, 1001, { endTime: 70 });
const test = simulateHawkes(DEFAULT_HAWKES, 300, 2001, { endTime: 70 });
const truth = hawkesLogLikelihood(DEFAULT_HAWKES, test.sequences).perEvent;

// Loose bounds: the goals (EasyTPP's gaps; under 0.02 for NHP, AttNHP, IntensityFree) need
// more epochs than a test run gives; docs/benchmarks.md has the figures of longer runs.
const bounds: Record<string, number> = {
  rmtpp: 0.1,
  nhp: 0.1,
  thp: 0.2,
  sahp: 0.2,
  attnhp: 0.15,
  fullynn: 0.15,
  // 15 epochs at its default lr 0.001 (the paper's) leave it at about 0.057
  intensity_free: 0.08,
  intensity_free_joint: 0.08,
};

describe('event models approach the true Hawkes log-likelihood', () => {
  let poisson = 0;
  beforeAll(async () => {
    const p = new PoissonModel(3);
    await p.fit(train, null, detachedContext());
    poisson = p.logLikelihood(test).perEvent;
  });

  it.each(Object.keys(bounds))('%s', async (kind) => {
    const m = eventModelRegistry.create(kind, 3, { epochs, batchSize: 64, patience: 3 });
    const fit = await m.fit(train, dev, detachedContext());
    const ll = m.logLikelihood(test).perEvent;
    m.dispose();
    const gap = truth - ll;
    console.log(`${kind}: test LL/event ${ll.toFixed(4)}, truth ${truth.toFixed(4)}, gap ${gap.toFixed(4)}, poisson ${poisson.toFixed(4)}, ${fit.secondsPerEpoch.toFixed(2)} s/epoch`);
    expect(ll).toBeGreaterThan(poisson);
    expect(gap).toBeLessThan(bounds[kind]);
  });
});
