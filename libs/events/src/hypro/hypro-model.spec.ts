import { ValidationFailed } from '@seqcast/core';
import { Rng } from '@seqcast/tensor';
import { DEFAULT_HAWKES } from '../hawkes/hawkes-params';
import { simulateHawkesSequence } from '../hawkes/simulate';
import { eventModelRegistry } from '../registry';
import { generateMany, horizonWindows, joined, lastEvents } from './continuations';
import { HyproModel, canRerank } from './hypro-model';

// untrained weights: these specs check the mechanics; the training spec is hypro-model.slow-spec.ts
const SMALL = { hidden: 8, heads: 2, proposals: 3, energyContext: 4, seed: 1 };
const history = { times: [0, 0.4, 1.1, 1.5, 2.8, 3.0], types: [0, 1, 2, 0, 1, 1] };

describe('HYPRO (mechanics)', () => {
  let m: HyproModel;
  beforeAll(() => {
    m = eventModelRegistry.create('hypro', 3, SMALL) as HyproModel;
  });
  afterAll(() => m.dispose());

  it('is registered with the AttNHP options and its own, and can rerank; AttNHP cannot', () => {
    expect(canRerank(m)).toBe(true);
    const a = eventModelRegistry.create('attnhp', 3, { hidden: 8, heads: 2 });
    expect(canRerank(a)).toBe(false);
    a.dispose();
    const c = eventModelRegistry.resolveConfig('hypro', {});
    expect(c).toMatchObject({ horizonEvents: 20, energyLoss: 'mnce+hinge', hingeWeight: 0.1, nullKey: true });
    expect(() => eventModelRegistry.resolveConfig('hypro', { energyLoss: 'nce' })).toThrow(ValidationFailed);
  });

  it('generate keeps, of each group of proposals, the one of lowest energy', () => {
    const out = m.generate(history, { count: 4, samples: 2, seed: 5, rerank: { proposals: 3 } }).samples;
    // the same draws, taken from the base directly
    const drawn = m.base.generate(history, { count: 4, samples: 6, seed: 5 }).samples;
    expect(out).toHaveLength(2);
    for (let s = 0; s < 2; s++) {
      const group = drawn.slice(3 * s, 3 * s + 3);
      const e = m.energyOf(history, group);
      expect(out[s]).toEqual(group[e.indexOf(Math.min(...e))]);
    }
  });

  it('energy of a continuation is the network on the last energyContext history events joined to it', () => {
    const cont = { times: [3.5, 4.0], types: [2, 0] };
    const direct = m.energy.score([joined(lastEvents(history, 4), cont)], m.base.timeScale, [4])[0];
    expect(m.energyOf(history, [cont])[0]).toBeCloseTo(direct, 6);
    // context beyond the last four events does not matter
    const longer = { times: [-5, ...history.times], types: [2, ...history.types] };
    expect(m.energyOf(longer, [cont])[0]).toBeCloseTo(direct, 6);
  });

  it('refuses a bad proposals count naming rerank.proposals', () => {
    expect(() => m.generate(history, { count: 2, rerank: { proposals: 0 } })).toThrow(
      expect.objectContaining({ details: [expect.objectContaining({ field: 'rerank.proposals' })] }),
    );
  });

  it('round-trips through its artifact: same energies and likelihoods', () => {
    const back = eventModelRegistry.fromArtifact(m.toArtifact()) as HyproModel;
    try {
      const conts = generateMany(m.base, [history], 3, 4, new Rng(2))[0];
      const a = m.energyOf(history, conts);
      const b = back.energyOf(history, conts);
      a.forEach((v, i) => expect(b[i]).toBeCloseTo(v, 6));
      expect(back.logLikelihood([history]).perEvent).toBeCloseTo(m.logLikelihood([history]).perEvent, 6);
    } finally {
      back.dispose();
    }
  });

  it('windows: the last events of each long enough sequence are the truth', () => {
    const s = simulateHawkesSequence(DEFAULT_HAWKES, new Rng(4), { endTime: 60 });
    const [w] = horizonWindows([s, { times: [1, 2], types: [0, 0] }], 5, 3);
    const L = s.times.length;
    expect(w.truth.times).toEqual(s.times.slice(L - 5));
    expect(w.history.times).toEqual(s.times.slice(0, L - 5));
    expect(horizonWindows([s], 5, 3, new Rng(1))[0].truth.times.length).toBe(5);
  });
});
