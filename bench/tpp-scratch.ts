import { selectBackend } from '@seqcast/tensor';
import { detachedContext } from '@seqcast/core';
import { simulateHawkes } from '../libs/events/src/hawkes/simulate';
import { DEFAULT_HAWKES } from '../libs/events/src/hawkes/hawkes-params';
import { hawkesLogLikelihood } from '../libs/events/src/hawkes/log-likelihood';
import { eventModelRegistry } from '../libs/events/src/registry';
import * as tf from '@tensorflow/tfjs';
(async () => {
  await selectBackend('cpu');
  const p = DEFAULT_HAWKES;
  const nTrain = Number(process.argv[4] ?? 700);
  const train = simulateHawkes(p, nTrain, 1, { endTime: 70 });
  const test = simulateHawkes(p, 200, 2, { endTime: 70 });
  const lens = train.sequences.map((s) => s.times.length);
  console.log('mean len', lens.reduce((a, b) => a + b) / lens.length, Math.max(...lens));
  const truth = hawkesLogLikelihood(p, test.sequences);
  console.log('truth LL/event', truth.perEvent);
  const kinds = (process.argv[2] ?? 'rmtpp').split(',');
  const epochs = Number(process.argv[3] ?? 5);
  for (const kind of kinds) {
    const m = eventModelRegistry.create(kind, 3, kind === 'poisson' ? {} : { epochs, batchSize: 64 });
    const r = await m.fit(train, null, detachedContext());
    console.log(kind, r.epochs.map((e) => `${e.epoch}:${e.loss.toFixed(3)} ${e.seconds}s`).join(' | '));
    const ll = m.logLikelihood(test);
    console.log(kind, 'LL', ll.perEvent.toFixed(4), 'gap', (truth.perEvent - ll.perEvent).toFixed(4));
    const t0 = Date.now();
    const pe = m.predictEachNext(test.sequences.slice(0, 50), { samples: 20 });
    let se = 0, sd = 0, err = 0;
    for (let i = 0; i < pe.trueGap.length; i++) { se += (pe.gapMean[i] - pe.trueGap[i]) ** 2; sd += (pe.gapDraw[i] - pe.trueGap[i]) ** 2; err += pe.typePred[i] !== pe.trueType[i] ? 1 : 0; }
    const n = pe.trueGap.length;
    console.log(kind, 'rmse', Math.sqrt(se / n).toFixed(3), 'draw', Math.sqrt(sd / n).toFixed(3), 'err', (err / n).toFixed(3), 'predict ms', Date.now() - t0);
    m.dispose();
    console.log('tensors', tf.memory().numTensors);
  }
})();
