import { AT_MAJORITY, BELOW_POISSON, TIES_POISSON, majorityClass, sanityFlags } from './sanity-gate';

describe('the TPP sanity gate', () => {
  const base = { poisson: -1.2, majorityErrorRate: 0.4, numTypes: 3 };

  it('flags an LL below Poisson and an accuracy at or below the majority class, and passes a model above both', () => {
    expect(sanityFlags({ logLikelihood: -1.3, errorRate: 0.3 }, base)).toEqual([BELOW_POISSON]);
    expect(sanityFlags({ logLikelihood: -1.1, errorRate: 0.4 }, base)).toEqual([AT_MAJORITY]);
    expect(sanityFlags({ logLikelihood: -1.3, errorRate: 0.5 }, base)).toEqual([BELOW_POISSON, AT_MAJORITY]);
    expect(sanityFlags({ logLikelihood: -1.1, errorRate: 0.39 }, base)).toEqual([]);
  });

  it("calls an LL within 0.0005 of Poisson's a tie, beyond it below or above", () => {
    expect(sanityFlags({ logLikelihood: -1.2004, errorRate: 0.3 }, base)).toEqual([TIES_POISSON]);
    expect(sanityFlags({ logLikelihood: -1.1996, errorRate: 0.3 }, base)).toEqual([TIES_POISSON]);
    expect(sanityFlags({ logLikelihood: -1.2006, errorRate: 0.3 }, base)).toEqual([BELOW_POISSON]);
    expect(sanityFlags({ logLikelihood: -1.1994, errorRate: 0.3 }, base)).toEqual([]);
  });

  it('judges no accuracy on single-type data (every prediction is right)', () => {
    expect(
      sanityFlags({ logLikelihood: -1.1, errorRate: 0 }, { ...base, majorityErrorRate: 0, numTypes: 1 }),
    ).toEqual([]);
  });

  it('takes the majority from the scored training events (2..L) and scores it on the test events 2..L', () => {
    // first events (type 2 here) are not scored: counted, type 2 would be the majority
    const train = {
      numTypes: 3,
      sequences: [
        { times: [0, 1, 2], types: [2, 1, 1] },
        { times: [0, 1, 2], types: [2, 0, 2] },
      ],
    };
    const test = { numTypes: 3, sequences: [{ times: [0, 1, 2, 3], types: [1, 1, 0, 1] }] };
    expect(majorityClass(train, test)).toEqual({ type: 1, errorRate: 1 / 3 });
  });
});
