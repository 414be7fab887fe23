import { detachedContext } from '@seqcast/core';
import { selectBackend } from '@seqcast/tensor';
import { DEFAULT_HAWKES } from '../libs/events/src/hawkes/hawkes-params';
import { simulateHawkes } from '../libs/events/src/hawkes/simulate';
import { eventModelRegistry } from '../libs/events/src/registry';
async function main() {
  await selectBackend('cpu');
  const train = simulateHawkes(DEFAULT_HAWKES, 64, 1, { endTime: 70 });
  const test = simulateHawkes(DEFAULT_HAWKES, 50, 2001, { endTime: 70 });
  const m = eventModelRegistry.create('attnhp', 3, { epochs: 1, batchSize: 64 });
  const fit = await m.fit(train, null, detachedContext());
  const t0 = Date.now();
  const r = m.predictEachNext(test.sequences, { samples: 10, seed: 1 });
  console.log('fit s/epoch (64 seqs)', fit.secondsPerEpoch.toFixed(2), 'predictEachNext 50 seqs', ((Date.now() - t0) / 1000).toFixed(1), 's for', r.gapMean.length, 'events');
}
main();
