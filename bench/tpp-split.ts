/**
 * Plain IntensityFree's gap to the true process, split (`npm run bench:tpp-split`): on the
 * Hawkes benchmark data of `bench:tpp`, the model's LL per event falls short of the truth's by
 *   type-time information (no model with the next type independent of its time can recover it)
 *   + type part  E[log p(k | h) - log q(k | h)]   (true and model next-type probabilities, time unknown)
 *   + time part  E[log p(tau | h) - log q(tau | h)] (the rest: gap - information - type part)
 * for the training and the test sequences. A training-set excess near 0 with a test excess
 * well above it says the remaining gap is estimation error, not capacity. Figures only.
 *
 *   --epochs N   training epochs (default: the model's, up to 300 with early stopping)
 *   --seed S     model seed (default 0)
 *   --train N    Hawkes training sequences (default 700)
 */
import { detachedContext, loadConfig } from '@seqcast/core';
import { loadSplits } from '@seqcast/eval';
import { EventSequence, eventModelRegistry, hawkesNextTypeProbabilities, hawkesTypeTimeInformation } from '@seqcast/events';
import { configureTensors } from '@seqcast/tensor';

function arg(name: string, def: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && process.argv[i + 1] ? process.argv[i + 1] : def;
}

async function main(): Promise<void> {
  // the configuration's kernel tier and backend; TF_BACKEND=auto (unset) means cpu, as for the recorded runs
  await configureTensors(loadConfig(), { auto: 'cpu' });
  const epochsArg = arg('epochs', '');
  const seed = Number(arg('seed', '0'));
  const nTrain = Number(arg('train', '700'));
  // the same simulation as bench:tpp's Hawkes dataset
  const data = await loadSplits({ kind: 'hawkes', train: nTrain, dev: 100, test: 300, endTime: 70, seed: 1 }, process.cwd());
  const params = data.truth!;
  const truth = eventModelRegistry.createHawkes(params);
  const model = eventModelRegistry.create('intensity_free', data.numTypes, { ...(epochsArg ? { epochs: Number(epochsArg) } : {}), seed });
  const started = Date.now();
  const fit = await model.fit(data.train, data.dev, {
    ...detachedContext(),
    progress: (f, m) => process.stderr.write(`\r${(100 * f).toFixed(0).padStart(3)}% ${m ?? ''}`.padEnd(100).slice(0, 100)),
  });
  process.stderr.write('\n');

  const split = (sequences: EventSequence[]) => {
    const gap = truth.logLikelihood(sequences).perEvent - model.logLikelihood(sequences).perEvent;
    const info = hawkesTypeTimeInformation(params, sequences).perEvent;
    let typePart = 0;
    let n = 0;
    for (const s of sequences) {
      for (let i = 1; i < s.times.length; i++, n++) {
        const history = { times: s.times.slice(0, i), types: s.types.slice(0, i) };
        const p = hawkesNextTypeProbabilities(params, history.times, history.types);
        // plain IntensityFree's type probabilities do not depend on the drawn time: one draw gives them exactly
        const q = model.predictNext(history, { samples: 1 }).typeProbs;
        typePart += Math.log(p[s.types[i]]) - Math.log(q[s.types[i]]);
      }
    }
    typePart /= n;
    return { gap, info, typePart, timePart: gap - info - typePart, events: n };
  };
  const rows = [
    ['training', split(data.train.sequences)],
    ['test', split(data.test.sequences)],
  ] as const;
  const f = (x: number) => x.toFixed(4);
  console.log(
    `Run: \`npm run bench:tpp-split -- ${process.argv.slice(2).join(' ')}\` (${new Date().toISOString().slice(0, 10)}): intensity_free, ${fit.epochs.length} epochs, seed ${seed}, ${nTrain} training sequences; ${((Date.now() - started) / 60000).toFixed(1)} min.\n`,
  );
  console.log('| sequences | events | gap to truth | type-time information | type part | time part | excess over the bound |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const [name, r] of rows) console.log(`| ${name} | ${r.events} | ${f(r.gap)} | ${f(r.info)} | ${f(r.typePart)} | ${f(r.timePart)} | ${f(r.gap - r.info)} |`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
