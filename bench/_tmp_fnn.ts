import { detachedContext } from '@seqcast/core';
import { selectBackend } from '@seqcast/tensor';
import { DEFAULT_HAWKES } from '../libs/events/src/hawkes/hawkes-params';
import { hawkesLogLikelihood } from '../libs/events/src/hawkes/log-likelihood';
import { simulateHawkes } from '../libs/events/src/hawkes/simulate';
import { eventModelRegistry } from '../libs/events/src/registry';
async function main() {
  await selectBackend((process.env.BK as any) || 'cpu');
  const kind = process.argv[2] || 'fullynn';
  const epochs = Number(process.argv[3] || 3);
  const n = Number(process.argv[4] || 300);
  const train = simulateHawkes(DEFAULT_HAWKES, n, 1, { endTime: 70 });
  const test = simulateHawkes(DEFAULT_HAWKES, 300, 2001, { endTime: 70 });
  const truth = hawkesLogLikelihood(DEFAULT_HAWKES, test.sequences).perEvent;
  const extra = process.argv[5] ? JSON.parse(process.argv[5]) : {};
  const m = eventModelRegistry.create(kind, 3, { epochs, batchSize: 64, ...extra });
  console.log('init LL', m.logLikelihood(test).perEvent.toFixed(4));
  const fit = await m.fit(train, null, detachedContext());
  const ll = m.logLikelihood(test).perEvent;
  console.log(kind, 'losses', fit.epochs.map((e) => e.loss.toFixed(3)).join(' '), 'LL', ll.toFixed(4), 'truth', truth.toFixed(4), 'gap', (truth - ll).toFixed(4), 's/epoch', fit.secondsPerEpoch.toFixed(2));
}
main();
