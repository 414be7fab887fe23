import { detachedContext } from '@seqcast/core';
import { selectBackend } from '@seqcast/tensor';
import { PoissonModel } from '../baselines/poisson';
import { eventModelRegistry } from '../registry';
import { realShapedSets } from '../testing/real-shaped';

// Regression tests of issue 28's defects (npm run test:slow), each on a small Hawkes set
// shaped like the real data the zoo fell over on, every model at its defaults (the step
// budget, early stopping on dev): the test LL per event above the Poisson fit's and, where
// there are several types, the type accuracy above always predicting the majority class.
// The outside truths: Poisson's closed-form fit, and the majority type counted in the data.
jest.setTimeout(3 * 3600_000);
beforeAll(() => selectBackend('cpu'));

const sets = realShapedSets(1);
const byName = (name: string) => sets.find((s) => s.name === name)!;

/**
 * The defect each case guards against, its set, the models it concerned, and those still
 * failing it (marked failing until fixed; none now). On the few long bursty sequences THP
 * and SAHP were above Poisson's LL but had type errors above the majority class's (0.675
 * and 0.597 against 0.578) until their training shifted the encoded times (below).
 */
const cases: Array<[string, string, string[], string[]]> = [
  // THP, SAHP, AttNHP below Poisson on a long bursty catalogue; FullyNN at the majority class
  ['long bursty sequences', 'few long sequences', ['attnhp', 'fullynn', 'thp', 'sahp'], []],
  // FullyNN's type head collapsing to the majority class
  ['many short sequences', 'many short sequences', ['fullynn', 'rmtpp', 'sahp'], []],
  // FullyNN below Poisson on a small single-type set (38 sequences: 30 steps at the old defaults)
  ['one type, 38 sequences', 'one type', ['fullynn', 'rmtpp', 'thp'], []],
  // long gaps in a unit 1000x the process's: the models' own time scaling
  ['long gaps', 'long gaps', ['fullynn', 'thp', 'intensity_free'], []],
];

function majorityErrorRate(
  train: { sequences: { types: number[] }[] },
  test: { sequences: { types: number[] }[] },
  K: number,
): number {
  const counts = new Array(K).fill(0);
  for (const s of train.sequences) for (let i = 1; i < s.types.length; i++) counts[s.types[i]]++;
  const major = counts.indexOf(Math.max(...counts));
  let n = 0;
  let wrong = 0;
  for (const s of test.sequences)
    for (let i = 1; i < s.types.length; i++, n++) if (s.types[i] !== major) wrong++;
  return wrong / n;
}

describe.each(cases)('%s', (_defect, setName, kinds, stillFailing) => {
  const set = byName(setName);
  const K = set.truth.mu.length;
  let poisson = 0;
  let majority = 0;
  beforeAll(async () => {
    const p = new PoissonModel(K);
    await p.fit(set.train, null, detachedContext());
    poisson = p.logLikelihood(set.test).perEvent;
    majority = majorityErrorRate(set.train, set.test, K);
  });

  const check = async (kind: string) => {
    const m = eventModelRegistry.create(kind, K, { seed: 0 });
    try {
      const fit = await m.fit(set.train, set.dev, detachedContext());
      const ll = m.logLikelihood(set.test, { seed: 0 }).perEvent;
      const each = m.predictEachNext(set.test.sequences, { samples: 20, seed: 0 });
      let wrong = 0;
      for (let i = 0; i < each.trueType.length; i++) if (each.typePred[i] !== each.trueType[i]) wrong++;
      const errorRate = wrong / each.trueType.length;
      console.log(
        `${setName} / ${kind}: LL ${ll.toFixed(4)} (poisson ${poisson.toFixed(4)}), type error ${errorRate.toFixed(3)} (majority ${majority.toFixed(3)}), ${fit.epochs.length} epochs`,
      );
      expect(ll).toBeGreaterThan(poisson);
      if (K > 1) expect(errorRate).toBeLessThan(majority);
    } finally {
      m.dispose();
    }
  };
  it.each(kinds)('%s beats Poisson (and the majority class)', check);
  if (stillFailing.length)
    it.failing.each(stillFailing)('%s beats Poisson and the majority class (open defect)', check);
});

/**
 * Why THP and SAHP failed there: their encoder sees each event's time since its sequence's
 * start, which on six training sequences tells the events apart, and they fitted the
 * training events by it. Cut the first 100 events off each training sequence (the rest
 * rebased to start at 0) and a model that learned the history scores them about as before
 * (the truth: -0.029 full, +0.044 cut, so 0.07 nats better cut), one that learned the times
 * falls apart (without the shift: THP after 60 epochs -0.105 full, -1.274 cut; SAHP after
 * 200, 0.212 full, -1.885 cut, though not yet after 60; with it, after 200: THP -0.816 and
 * -0.839, SAHP -0.371 and -0.309).
 */
describe('few long sequences: the time since the start does not identify training events', () => {
  const set = byName('few long sequences');
  const cut = {
    ...set.train,
    sequences: set.train.sequences.map((s) => ({ times: s.times.slice(100), types: s.types.slice(100) })),
  };
  it.each(['thp', 'sahp'])(
    '%s scores the training events about as well with the first 100 cut off',
    async (kind) => {
      const m = eventModelRegistry.create(kind, set.truth.mu.length, {
        seed: 0,
        epochs: 200,
        earlyStopping: false,
      });
      try {
        await m.fit(set.train, set.dev, detachedContext());
        const full = m.logLikelihood(set.train, { seed: 0 }).perEvent;
        const rest = m.logLikelihood(cut, { seed: 0 }).perEvent;
        console.log(
          `few long sequences / ${kind}, 200 epochs: training LL ${full.toFixed(3)}, first 100 events cut off ${rest.toFixed(3)}`,
        );
        expect(full - rest).toBeLessThan(0.3);
      } finally {
        m.dispose();
      }
    },
  );
});
